// What the sync backends' error mappings share: the loose shape of an AWS SDK error, "no answer at all", and
// the mapping itself once a backend's own rules have had their say.
import { AppError, type ErrorCode } from '../../shared/errors';
import { t } from '../../shared/i18n';

/** A refused signature or token: the identity's credentials do not reach the dataset. */
const DENIED = new Set([
  'NotAuthorizedException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);
/** A signature refused for its time (AWS's names for it). */
const CLOCK_REFUSALS = new Set(['InvalidSignatureException', 'SignatureDoesNotMatch', 'RequestTimeTooSkewed', 'RequestExpired']);
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
  $metadata?: { httpStatusCode?: unknown; clockSkewCorrected?: unknown };
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

/** What an SDK error says, each field read once; `status` is undefined when no HTTP answer came. */
export interface SdkFailure {
  name: string;
  message: string;
  status: number | undefined;
}

export type Wrap = (retryable: boolean, code: ErrorCode, text: string) => Classified;

/** A backend's own part of the mapping: the answers only it gives, and its sentences for the shared cases. */
export interface BackendErrors {
  /** Tried first; undefined leaves the error to the shared rules. */
  own(failure: SdkFailure, wrap: Wrap): Classified | undefined;
  denied(failure: SdkFailure): string;
  notFound(failure: SdkFailure): string;
}

/**
 * An AWS SDK error as a Classified: the backend's own rules, then what every backend shares (a refused
 * identity, a missing resource, a server fault, no answer at all, anything else). An AppError stays as it is.
 */
export function classifySdkError(error: unknown, backend: BackendErrors): Classified {
  if (error instanceof AppError) return { retryable: false, error };
  const e = shape(error);
  const failure: SdkFailure = {
    name: typeof e.name === 'string' ? e.name : '',
    message: typeof e.message === 'string' ? e.message : String(error),
    status: typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined,
  };
  const { name, message, status } = failure;
  const wrap: Wrap = (retryable, code, text) => ({ retryable, error: new AppError(code, text, { cause: error }) });
  // A signature refused because this computer's clock is off by minutes: the SDK has taken the offset from
  // the answer's Date and signs the next request with it, so trying again goes through.
  // The SDK marks any error whose answer's Date is minutes off its clock, whatever the error: only a refusal
  // for the time is this one.
  if (e.$metadata?.clockSkewCorrected === true && CLOCK_REFUSALS.has(name)) return wrap(true, 'NETWORK', t('errorClockSkew', `${name}: ${message}`));
  const own = backend.own(failure, wrap);
  if (own) return own;
  // Not a refused role: the credentials' time is over by AWS's clock (this computer's moved since they came).
  // The sync gets new ones and runs again once (dataset-service.ts); the message is for when AWS refuses even
  // those, which no setting here causes.
  if (name === 'ExpiredTokenException') return wrap(false, 'CREDENTIALS_EXPIRED', t('errorCredentialsExpired', name));
  if (DENIED.has(name) || status === 403) return wrap(false, 'CREDENTIALS_DENIED', backend.denied(failure));
  if (name === 'ResourceNotFoundException') return wrap(false, 'NOT_CONFIGURED', backend.notFound(failure));
  if ((status !== undefined && status >= 500) || e.$fault === 'server') {
    return wrap(true, 'NETWORK', t('errorSyncServer', name || `HTTP ${status ?? '5xx'}`));
  }
  if (status === undefined && isNetworkFailure(e, name, message)) return wrap(true, 'NETWORK', t('errorSyncNetwork', message));
  return wrap(false, 'INTERNAL', t('errorSyncUnexpected', `${name || 'Error'}: ${message}`));
}
