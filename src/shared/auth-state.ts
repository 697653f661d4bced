// What the pages learn about the sign-in: never a token or a credential.
import { parseSerializedError, type SerializedError } from './errors';
import { fields, isNumber, isString, optional } from './guards';

export type AuthStatus = 'notConfigured' | 'signedOut' | 'signingIn' | 'signedIn' | 'needsSignIn';

export interface Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
}

export interface AuthState {
  status: AuthStatus;
  profile?: Profile;
  identityId?: string;
  /** When the AWS credentials expire, in milliseconds since the epoch. */
  credentialsExpireAt?: number;
  /** Why the last attempt failed, or why renewal needs the person. */
  error?: SerializedError;
  /**
   * Signed out here, but the provider's own session could not be ended (no logout endpoint, or its logout
   * failed): the provider's host, where the person is still signed in.
   */
  stillSignedInAt?: string;
}

// Pages learn of changes by listening to `storage.onChanged` and asking `getAuthState` again (cheap:
// it reads storage.session, never the network). The worker keeps the state in `authState` (session).

export const AUTH_STATUSES: readonly AuthStatus[] = ['notConfigured', 'signedOut', 'signingIn', 'signedIn', 'needsSignIn'];

/** The profile as stored, rebuilt from its checked fields; anything else reads as absent. */
export function parseProfile(value: unknown): Profile | undefined {
  return fields(value, { sub: isString, name: optional(isString), email: optional(isString), picture: optional(isString) });
}

function isStatus(value: unknown): value is AuthStatus {
  return AUTH_STATUSES.some((status) => status === value);
}

/** Reads a stored AuthState back, rebuilt from its checked fields; anything else reads as absent. */
export function parseAuthState(value: unknown): AuthState | undefined {
  return fields(value, {
    status: isStatus,
    profile: optional(parseProfile),
    identityId: optional(isString),
    credentialsExpireAt: optional(isNumber),
    error: optional(parseSerializedError),
    stillSignedInAt: optional(isString),
  });
}
