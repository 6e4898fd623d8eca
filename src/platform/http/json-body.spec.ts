import type { IncomingMessage } from 'node:http';
import { BodyRejected } from './body-rejected';
import { jsonBodyOptions, MAX_JSON_DEPTH } from './json-body';

const verify = (text: string | Buffer) =>
  jsonBodyOptions.verify({} as IncomingMessage, undefined, Buffer.from(text));
const parse = (text: string): unknown => JSON.parse(text, jsonBodyOptions.reviver);

describe('JSON body checks', () => {
  it('accepts nesting up to the limit, brackets inside strings not counted', () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(() => verify(atLimit)).not.toThrow();
    expect(() => verify(`{"a":"${'[{'.repeat(100)}"}`)).not.toThrow();
    expect(() => verify(`{"a":"\\"${'['.repeat(100)}"}`)).not.toThrow();
  });

  it.each([
    ['arrays', '['.repeat(MAX_JSON_DEPTH + 1)],
    ['objects', '{"a":'.repeat(MAX_JSON_DEPTH + 1)],
    ['100,000 levels', '['.repeat(100_000)],
  ])('refuses %s nested too deep before parsing', (_what, text) => {
    expect(() => verify(text)).toThrow(BodyRejected);
  });

  it('refuses bytes that are not UTF-8, and raw NULs', () => {
    expect(() => verify(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(BodyRejected);
    expect(() => verify('{"a":"\0"}')).toThrow(BodyRejected);
  });

  it.each(['{"a":"x\\u0000"}', '{"a\\u0000":1}', '{"a":"\\ud800"}', '["\\udc00x"]'])(
    'refuses escaped NUL or a lone surrogate: %s',
    (text) => expect(() => parse(text)).toThrow(BodyRejected),
  );

  it('keeps paired surrogates (emoji) and ordinary control characters', () => {
    expect(parse('{"a":"\\ud83d\\ude00\\n\\t"}')).toEqual({ a: '😀\n\t' });
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf'])(
    'refuses the prototype-named key %s at any depth',
    (key) => {
      expect(() => parse(`{"${key}":1}`)).toThrow(`property ${key} should not exist`);
      expect(() => parse(`{"a":{"${key}":{}}}`)).toThrow(BodyRejected);
    },
  );
});
