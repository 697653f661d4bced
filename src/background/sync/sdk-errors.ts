// What the sync backends' error mappings share: the loose shape of an AWS SDK error, and "no answer at all".
import type { AppError } from '../../shared/errors';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** An error mapped once at the boundary, and whether the call may be tried again. */
export interface Classified {
  retryable: boolean;
  error: AppError;
}

/** What an AWS SDK v3 error may carry; every field is checked before use. */
export interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: unknown;
}

export function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** No HTTP answer at all: Node's socket errors, the browser's fetch TypeError, a timeout or abort. */
export function isNetworkFailure(e: SdkErrorShape, name: string, message: string): boolean {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (name === 'TypeError' || name === 'TimeoutError' || name === 'AbortError') return true;
  return /socket hang up|network|fetch failed|ECONNRESET|ECONNREFUSED/i.test(message);
}
