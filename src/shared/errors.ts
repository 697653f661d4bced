// One error type crosses every boundary of the extension. Callers switch on `code`, never on text.
import { t } from './i18n';

export const ERROR_CODES = [
  'NOT_CONFIGURED',
  'INVALID_SETTINGS',
  'PERMISSION_DENIED',
  'AUTH_CANCELLED',
  'AUTH_WINDOW_OPEN',
  // The browser would still not open the window after waiting for a flow without one (a renewal, the silent
  // sign-in at browser start, a sign-out's logout) to end: no window to finish in, Sign in again in a moment.
  'AUTH_FLOW_BUSY',
  'AUTH_REQUIRED',
  'AUTH_STATE_MISMATCH',
  'AUTH_NONCE_MISMATCH',
  'AUTH_UNEXPECTED_REDIRECT',
  'AUTH_DENIED',
  'AUTH_INVALID_TOKEN',
  // One code per way an ID token can be refused, so each gets a sentence naming its own cause.
  'AUTH_TOKEN_UNSIGNED',
  'AUTH_TOKEN_ALGORITHM',
  'AUTH_TOKEN_ISSUER',
  'AUTH_TOKEN_AUDIENCE',
  'AUTH_TOKEN_NO_AZP',
  'AUTH_TOKEN_EXPIRED',
  'AUTH_TOKEN_SIGNATURE',
  'AUTH_TOKEN_UNKNOWN_KEY',
  // Valid, but longer than Cognito takes in Logins: the provider puts too many claims in it.
  'AUTH_TOKEN_TOO_LARGE',
  'AUTH_SCOPE_REFUSED',
  'AUTH_PROVIDER',
  // The provider is there but failing for now (a server error, temporarily_unavailable): nothing to change.
  'AUTH_PROVIDER_DOWN',
  'CREDENTIALS_DENIED',
  // Cognito refuses this person's identity itself, asked for again: disabled, or merged into another, in the pool.
  'CREDENTIALS_IDENTITY_REFUSED',
  'CREDENTIALS_CONFIG',
  // The basic (classic) flow's refusals, each with its own fix: the pool's setting, the role's trust policy
  // (STS gives one answer for an unknown role, a wrong principal and an aud/amr condition), its session length.
  'CREDENTIALS_BASIC_FLOW_OFF',
  'CREDENTIALS_ROLE_NOT_TRUSTED',
  'CREDENTIALS_ROLE_DURATION',
  // AWS called the credentials expired before their time here: this computer's clock moved since they came.
  'CREDENTIALS_EXPIRED',
  'THROTTLED',
  // AWS answered with a server error (Cognito's InternalErrorException, a 5xx): its trouble for now, not this
  // computer's network nor a setting.
  'SERVICE_DOWN',
  'NETWORK',
  'SYNC_CONFLICT',
  'DATASET_LIMIT',
  'INVALID_INPUT',
  'FORBIDDEN_SENDER',
  'UNKNOWN_MESSAGE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The part of a record a refusal is about, where it is one (limits.ts): the popup's Add form marks that field. */
export type ErrorField = 'key' | 'value';

export interface SerializedError {
  code: ErrorCode;
  message: string;
  field?: ErrorField | undefined;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly field: ErrorField | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; field?: ErrorField | undefined }) {
    super(message, options);
    this.code = code;
    this.field = options?.field;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, ...(this.field && { field: this.field }) };
  }
}

/**
 * Cognito's refusals that signing in again cannot fix for now: the identity pool (or the role of the basic
 * flow) must be configured first, or Cognito cannot verify the provider's signature (credentials/cognito.ts).
 * A sign-in that meets one ends (lifecycle/after-sign-in.ts); a renewal that meets one asks again only after
 * a while (auth/machine.ts), since asking each minute gets the same answer.
 */
export const SIGN_IN_REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set([
  'CREDENTIALS_CONFIG',
  'CREDENTIALS_DENIED',
  'CREDENTIALS_BASIC_FLOW_OFF',
  'CREDENTIALS_ROLE_NOT_TRUSTED',
  'CREDENTIALS_ROLE_DURATION',
  'CREDENTIALS_IDENTITY_REFUSED',
  'AUTH_TOKEN_SIGNATURE',
]);

export function isSignInRefusal(error: unknown): error is AppError {
  return error instanceof AppError && SIGN_IN_REFUSAL_CODES.has(error.code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** A serialized error rebuilt from its two fields; anything else reads as absent. */
export function parseSerializedError(value: unknown): SerializedError | undefined {
  return isSerializedError(value) ? { code: value.code, message: value.message } : undefined;
}

/** What crosses the message boundary: an AppError as it is, anything else as INTERNAL. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: t('errorInternal', message) };
}

/** Rebuilds the AppError on the receiving side, keeping what was sent as the cause. */
export function deserializeError(error: SerializedError): AppError {
  return new AppError(error.code, error.message, { cause: error, field: error.field });
}
