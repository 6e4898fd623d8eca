import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isCleanText } from './json-body';

/** Query values are strings or arrays of strings (express's simple parser); checked one level. */
function clean(value: unknown): boolean {
  if (typeof value === 'string') return isCleanText(value);
  if (Array.isArray(value)) return value.every(clean);
  if (value && typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => isCleanText(k) && clean(v));
  }
  return true;
}

/**
 * NUL and malformed Unicode in a path parameter or the query string never reach a
 * handler (Postgres refuses NUL in text: that would be a 500). Bodies are checked by
 * the JSON parser (json-body.ts).
 */
@Injectable()
export class CleanTextPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if ((meta.type === 'param' || meta.type === 'query') && !clean(value)) {
      const where = meta.type === 'param' ? 'Path' : 'Query string';
      throw new BadRequestException(`${where} contains invalid text (NUL or malformed Unicode)`);
    }
    return value;
  }
}
