import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { HttpSession } from '../../../session';
import { OrderOwner } from '../order.model';

/** Session attribute naming the anonymous visitor whose orders these are; kept across login. */
export const VISITOR_ATTRIBUTE = 'orderVisitor';

@Injectable()
export class OrderOwnership {
  of(session: HttpSession): OrderOwner {
    return { visitorKey: session.get<string>(VISITOR_ATTRIBUTE), username: session.principal };
  }

  /** Placing an order needs an owner, so it creates the session when there is none. */
  async ensureVisitor(session: HttpSession): Promise<OrderOwner & { visitorKey: string }> {
    const visitorKey = await session.update<string>(
      VISITOR_ATTRIBUTE,
      (key) => key ?? randomUUID(),
    );
    return { visitorKey: visitorKey!, username: session.principal };
  }
}
