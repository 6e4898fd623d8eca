import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HttpSession, sessionAttribute } from '../../../session';
import { OrderOwner } from '../order.model';

/** The anonymous visitor whose orders these are, kept across login; not a UUID: absent. */
const VISITOR = sessionAttribute<string>('orderVisitor', z.uuid());

@Injectable()
export class OrderOwnership {
  of(session: HttpSession): OrderOwner {
    return { visitorKey: session.read(VISITOR), username: session.principal };
  }

  /** Placing an order needs an owner, so it creates the session when there is none. */
  async ensureVisitor(session: HttpSession): Promise<OrderOwner & { visitorKey: string }> {
    const visitorKey = await session.update(VISITOR, (key) => key ?? randomUUID());
    return { visitorKey: visitorKey!, username: session.principal };
  }
}
