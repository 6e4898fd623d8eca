import { STATUS_CODES } from 'node:http';

/** The one error shape every endpoint returns (SPEC §2). */
export interface ErrorBody {
  status: number;
  error: string;
  message: string;
  timestamp: string;
  path: string;
  details?: unknown[];
}

export function errorBody(
  status: number,
  message: string,
  path: string,
  details?: unknown[],
): ErrorBody {
  return {
    status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    timestamp: new Date().toISOString(),
    path,
    ...(details && details.length > 0 ? { details } : {}),
  };
}
