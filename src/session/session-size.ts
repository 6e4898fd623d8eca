import { PayloadTooLargeException } from '@nestjs/common';

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Throws 413 when a session would exceed `maxBytes` of names and JSON once `name` holds
 * `json`. `current` yields every other attribute's name and JSON (pending changes included).
 */
export function checkSessionSize(
  current: Iterable<[string, string]>,
  name: string,
  json: string,
  maxBytes: number,
): void {
  let bytes = byteLength(name) + byteLength(json);
  for (const [other, value] of current) {
    if (other !== name) bytes += byteLength(other) + byteLength(value);
  }
  if (bytes > maxBytes) {
    throw new PayloadTooLargeException(`Session would exceed ${maxBytes} bytes`);
  }
}
