/** The API's base URL: empty on the app's own origin; a dev build on another port names it. */
const base = document.querySelector<HTMLMetaElement>('meta[name="api-base"]')?.content ?? '';
const TIMEOUT_MS = 15_000;

export const apiUrl = (path: string): string => base + path;

export interface FieldError {
  field: string;
  message: string;
}

/** A failed call, with the API's error body (SPEC §2) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method,
      // The session cookie also travels to an API on another port (CORS_ORIGINS).
      credentials: 'include',
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(0, 'The shop cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as (T & ErrorBody) | null;
  if (!res.ok) {
    const details = Array.isArray(data?.details) ? data.details : [];
    throw new ApiError(res.status, data?.message ?? `The shop answered ${res.status}.`, details);
  }
  return data as T;
}

interface ErrorBody {
  message?: string;
  details?: FieldError[];
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export interface Product {
  code: string;
  name: string;
  description: string;
  price: number;
}

export interface Page<T> {
  data: T[];
  totalElements: number;
  pageNumber: number;
  totalPages: number;
  hasNext: boolean;
  hasPrevious: boolean;
}

export interface CartItem {
  code: string;
  name: string;
  price: number;
  quantity: number;
  subtotal: number;
}

export interface Cart {
  items: CartItem[];
  totalAmount: number;
  itemCount: number;
}

export interface Customer {
  name: string;
  email: string;
  phone: string;
}

export interface OrderSummary {
  orderNumber: string;
  status: string;
  customer: Customer;
  totalAmount: number;
  createdAt: string;
}

export interface Order extends OrderSummary {
  deliveryAddress: string;
  items: CartItem[];
}

export const coverUrl = (code: string): string =>
  apiUrl(`/api/products/${encodeURIComponent(code)}/cover`);
