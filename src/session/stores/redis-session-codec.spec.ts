import { decodeSession, decodeWriteReply, encodeWrite } from './redis-session-codec';

describe('Redis session codec', () => {
  it('decodes a Spring Session hash, and a missing one as null', () => {
    const hash = {
      creationTime: '1',
      lastAccessedTime: '2',
      maxInactiveInterval: '1800',
      'sessionAttr:cart': '[]',
    };
    expect(decodeSession(hash)).toEqual({
      creationTime: 1,
      lastAccessedTime: 2,
      maxInactiveInterval: 1800,
      attributes: new Map([['cart', '[]']]),
    });
    expect(decodeSession({})).toBeNull();
  });

  it('encodes a delta as the short argument list of the write script', () => {
    const changes = new Map([
      ['a', '1'],
      ['b', null],
    ]);
    expect(encodeWrite({ lastAccessedTime: 5, maxInactiveInterval: 60, changes })).toEqual([
      5,
      60,
      '',
      '',
      '\0',
      60,
      'sessionAttr:a',
      '1',
      'sessionAttr:b',
      '\0',
    ]);
    const create = { create: { creationTime: 4 }, expect: { name: 'a', json: null } };
    const args = encodeWrite({
      lastAccessedTime: 5,
      maxInactiveInterval: 60,
      ttlSeconds: 7,
      changes,
      ...create,
    });
    expect(args.slice(0, 6)).toEqual([5, 60, 4, 'sessionAttr:a', '\0', 7]);
  });

  it('decodes the replies', () => {
    expect(decodeWriteReply('ok')).toEqual({ status: 'ok' });
    expect(decodeWriteReply('gone')).toEqual({ status: 'gone' });
    expect(decodeWriteReply(['conflict', '\0'])).toEqual({ status: 'conflict', current: null });
    expect(decodeWriteReply(['conflict', '3'])).toEqual({ status: 'conflict', current: '3' });
  });
});
