import { PayloadTooLargeException } from '@nestjs/common';

/** Bytes an attribute takes: its name and its JSON, as UTF-8. */
export const sizeOf = (name: string, json: string) =>
  Buffer.byteLength(name, 'utf8') + Buffer.byteLength(json, 'utf8');

/** 413 when `name` holding `json`, besides `others` bytes of other attributes, exceeds `maxBytes`. */
export function checkSessionSize(others: number, name: string, json: string, maxBytes: number) {
  if (others + sizeOf(name, json) > maxBytes) {
    throw new PayloadTooLargeException(`Session would exceed ${maxBytes} bytes`);
  }
}
