import { CanActivate, ExecutionContext, ForbiddenException, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { checkCrossOrigin, CrossOriginPolicy } from './cross-origin';

const MAX_LOGGED_CHARS = 200;

/**
 * Refuses unsafe requests another site's page makes a browser send (checkCrossOrigin), before
 * any other guard: the session is not even loaded, so nothing changes. A global guard runs on
 * every route, login and logout included, whether or not the request carries a cookie.
 */
export class CrossOriginGuard implements CanActivate {
  private readonly logger = new Logger('CrossOrigin');

  constructor(private readonly policy: CrossOriginPolicy) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const origin = header(req, 'origin');
    const secFetchSite = header(req, 'sec-fetch-site');
    const verdict = checkCrossOrigin(
      { method: req.method, host: header(req, 'host'), origin, secFetchSite },
      this.policy,
    );
    if (verdict.allowed) return true;
    // Info, not warn: any page can make a browser send these, so they are no fault of ours.
    this.logger.log(
      `Cross-origin request refused (${verdict.reason}): ${req.method} ${req.path}, ` +
        `Origin ${shown(origin)}, Sec-Fetch-Site ${shown(secFetchSite)}`,
    );
    throw new ForbiddenException(`Cross-origin request refused: ${verdict.reason}`);
  }
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function shown(value: string | undefined): string {
  return value === undefined ? '(absent)' : JSON.stringify(value.slice(0, MAX_LOGGED_CHARS));
}
