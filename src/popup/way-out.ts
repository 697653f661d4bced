// The one action that helps after a failure, by its code: sign in, open the settings, try again, or
// nothing to press (the message says what to change: a shorter value, another key).
import type { ErrorCode } from '../shared/errors';

export type WayOut = 'signIn' | 'openSettings' | 'retry' | 'none';

const WAY_OUT: Readonly<Record<ErrorCode, WayOut>> = {
  NOT_CONFIGURED: 'openSettings',
  INVALID_SETTINGS: 'openSettings',
  PERMISSION_DENIED: 'openSettings',
  AUTH_CANCELLED: 'signIn',
  AUTH_WINDOW_OPEN: 'none',
  AUTH_FLOW_BUSY: 'signIn',
  AUTH_REQUIRED: 'signIn',
  AUTH_STATE_MISMATCH: 'signIn',
  AUTH_NONCE_MISMATCH: 'signIn',
  AUTH_UNEXPECTED_REDIRECT: 'openSettings',
  AUTH_DENIED: 'signIn',
  AUTH_INVALID_TOKEN: 'retry',
  // These four are fixed at the provider, whose application the messages name; no setting here changes them.
  // Once it is, a new sign-in goes through.
  AUTH_TOKEN_UNSIGNED: 'signIn',
  AUTH_TOKEN_ALGORITHM: 'signIn',
  AUTH_TOKEN_ISSUER: 'signIn',
  AUTH_TOKEN_AUDIENCE: 'signIn',
  AUTH_TOKEN_NO_AZP: 'signIn',
  AUTH_TOKEN_EXPIRED: 'signIn',
  AUTH_TOKEN_SIGNATURE: 'signIn',
  AUTH_TOKEN_UNKNOWN_KEY: 'retry',
  // Once the provider puts fewer claims in it, a new sign-in brings a token Cognito takes.
  AUTH_TOKEN_TOO_LARGE: 'signIn',
  AUTH_SCOPE_REFUSED: 'signIn',
  AUTH_PROVIDER: 'openSettings',
  AUTH_PROVIDER_DOWN: 'retry',
  CREDENTIALS_DENIED: 'openSettings',
  // The pool's administrator restores it; the settings are right, and a sign-in then goes through.
  CREDENTIALS_IDENTITY_REFUSED: 'signIn',
  CREDENTIALS_CONFIG: 'openSettings',
  CREDENTIALS_BASIC_FLOW_OFF: 'openSettings',
  CREDENTIALS_ROLE_NOT_TRUSTED: 'openSettings',
  CREDENTIALS_ROLE_DURATION: 'openSettings',
  // Renewed once already by the sync that met it: nothing to change, a later try may go through.
  CREDENTIALS_EXPIRED: 'retry',
  THROTTLED: 'retry',
  SERVICE_DOWN: 'retry',
  NETWORK: 'retry',
  SYNC_CONFLICT: 'retry',
  // Refused by a rule: trying the same again gets the same answer; the message names what to change.
  DATASET_LIMIT: 'none',
  INVALID_INPUT: 'none',
  FORBIDDEN_SENDER: 'none',
  UNKNOWN_MESSAGE: 'none',
  INTERNAL: 'retry',
};

export function wayOut(code: ErrorCode): WayOut {
  return WAY_OUT[code];
}
