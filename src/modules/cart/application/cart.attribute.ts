import { z } from 'zod';
import { sessionAttribute } from '../../../session';
import { CartData, CLEANED_UP_MARKS, MAX_LINES, MAX_QUANTITY } from '../domain/cart';

const line = z.object({
  code: z.string().min(1).max(64),
  name: z.string(),
  priceCents: z.number().int().nonnegative(),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
});

/**
 * The session attribute holding the cart. A stored cart that breaks a cart rule (written by
 * another version, by hand, half-written) is dropped whole: an empty cart, never a wrong order.
 */
export const CART = sessionAttribute<CartData>(
  'cart',
  z.object({
    lines: z
      .array(line)
      .max(MAX_LINES)
      .refine(
        (lines) => new Set(lines.map((l) => l.code)).size === lines.length,
        'duplicate lines',
      ),
    cleanedUp: z.array(z.string().max(64)).max(CLEANED_UP_MARKS).optional(),
  }),
);
