// What the pages learn about the sign-in: never a token or a credential.
import { isSerializedError, type SerializedError } from './errors';

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
}

// Pages learn of changes by listening to `storage.onChanged` and asking `getAuthState` again (cheap:
// it reads storage.session, never the network). The worker keeps the state in `authState` (session).

export const AUTH_STATUSES: readonly AuthStatus[] = ['notConfigured', 'signedOut', 'signingIn', 'signedIn', 'needsSignIn'];

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null) return false;
  const { sub, name, email, picture } = value as Record<string, unknown>;
  return typeof sub === 'string' && optionalString(name) && optionalString(email) && optionalString(picture);
}

/** Reads a stored AuthState back; anything else reads as absent. */
export function parseAuthState(value: unknown): AuthState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { status, profile, identityId, credentialsExpireAt, error } = value as Record<string, unknown>;
  if (!AUTH_STATUSES.includes(status as AuthStatus)) return undefined;
  if (profile !== undefined && !isProfile(profile)) return undefined;
  if (!optionalString(identityId)) return undefined;
  if (credentialsExpireAt !== undefined && typeof credentialsExpireAt !== 'number') return undefined;
  if (error !== undefined && !isSerializedError(error)) return undefined;
  return value as AuthState;
}
