import { checkCrossOrigin, CrossOriginPolicy, CrossOriginRequest } from './cross-origin';

const HOST = 'shop.example:8080';
const FRONTEND = 'http://localhost:5173';
const cookie: CrossOriginPolicy = { trustedOrigins: new Set([FRONTEND]), sessionIdIn: 'cookie' };
const header: CrossOriginPolicy = { ...cookie, sessionIdIn: 'header' };

const ORIGINS: Record<string, string | undefined> = {
  absent: undefined,
  empty: '',
  same: `http://${HOST}`,
  'same, upper case': 'HTTP://SHOP.EXAMPLE:8080',
  'same, https': `https://${HOST}`,
  trusted: FRONTEND,
  'trusted with a path': `${FRONTEND}/`,
  'other port': 'http://shop.example:8081',
  'sibling subdomain': 'http://evil.shop.example:8080',
  evil: 'https://evil.example',
  null: 'null',
  garbage: 'not a url',
  'two origins': `http://${HOST}, https://evil.example`,
};
const SITES = [undefined, '', 'same-origin', 'none', 'same-site', 'cross-site', 'bogus'];

/** The rule as the issue states it, written independently of the implementation. */
function expected(origin: string | undefined, site: string | undefined): boolean {
  if (site === 'same-origin' || site === 'none') return true;
  if (site) return origin === FRONTEND;
  if (!origin) return true;
  return ['same', 'same, upper case', 'same, https', 'trusted'].some((k) => ORIGINS[k] === origin);
}

const cases = Object.entries(ORIGINS).flatMap(([name, origin]) =>
  SITES.map((site) => ({ name, origin, site })),
);

describe('checkCrossOrigin', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('always lets %s through', (method) => {
    for (const { origin, site } of cases) {
      expect(checkCrossOrigin({ method, host: HOST, origin, secFetchSite: site }, cookie)).toEqual({
        allowed: true,
        reason: 'safe method',
      });
    }
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    '%s: Origin × Sec-Fetch-Site in cookie mode',
    (method) => {
      for (const { name, origin, site } of cases) {
        const verdict = checkCrossOrigin(
          { method, host: HOST, origin, secFetchSite: site },
          cookie,
        );
        expect({ name, site, allowed: verdict.allowed }).toEqual({
          name,
          site,
          allowed: expected(origin, site),
        });
      }
    },
  );

  it('exempts header mode: a browser never adds X-Auth-Token by itself', () => {
    for (const { origin, site } of cases) {
      const req: CrossOriginRequest = { method: 'POST', host: HOST, origin, secFetchSite: site };
      expect(checkCrossOrigin(req, header).allowed).toBe(true);
    }
  });

  it('refuses Origin without a Host to compare with, unless trusted', () => {
    expect(checkCrossOrigin({ method: 'POST', origin: `http://${HOST}` }, cookie)).toEqual({
      allowed: false,
      reason: 'Origin does not match Host',
    });
    expect(checkCrossOrigin({ method: 'POST', origin: FRONTEND }, cookie).allowed).toBe(true);
  });

  it('names the reason of a refusal', () => {
    const post = (origin?: string, secFetchSite?: string) =>
      checkCrossOrigin({ method: 'POST', host: HOST, origin, secFetchSite }, cookie).reason;
    expect(post('null')).toBe('Origin does not match Host');
    expect(post(undefined, 'cross-site')).toBe('cross-site (Sec-Fetch-Site)');
    expect(post()).toBe('no Origin (not a browser)');
  });

  it('checks a WebSocket handshake (a GET) like an unsafe request, and wants its Origin', () => {
    const upgrade = (origin?: string, secFetchSite?: string) =>
      checkCrossOrigin({ method: 'GET', upgrade: true, host: HOST, origin, secFetchSite }, cookie);
    expect(upgrade()).toEqual({ allowed: false, reason: 'no Origin' });
    expect(upgrade(undefined, 'same-origin').allowed).toBe(false);
    expect(upgrade(`http://${HOST}`).allowed).toBe(true);
    expect(upgrade(FRONTEND, 'cross-site').allowed).toBe(true);
    expect(upgrade('https://evil.example').allowed).toBe(false);
    expect(upgrade('https://evil.example', 'cross-site').allowed).toBe(false);
  });
});
