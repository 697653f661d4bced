// What the pages learn about the sign-in: never a token or a credential.
import { isSerializedError, type SerializedError } from './errors';
import { isNumber, isObject, isOptional, isString } from './guards';

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
  if (!isObject(value)) return undefined;
  const { sub, name, email, picture } = value;
  if (!isString(sub) || !isOptional(name, isString) || !isOptional(email, isString) || !isOptional(picture, isString)) return undefined;
  const profile: Profile = { sub };
  if (name !== undefined) profile.name = name;
  if (email !== undefined) profile.email = email;
  if (picture !== undefined) profile.picture = picture;
  return profile;
}

function isStatus(value: unknown): value is AuthStatus {
  return AUTH_STATUSES.some((status) => status === value);
}

/** Reads a stored AuthState back, rebuilt from its checked fields; anything else reads as absent. */
export function parseAuthState(value: unknown): AuthState | undefined {
  if (!isObject(value)) return undefined;
  const { status, profile, identityId, credentialsExpireAt, error, stillSignedInAt } = value;
  if (!isStatus(status) || !isOptional(identityId, isString) || !isOptional(credentialsExpireAt, isNumber)) return undefined;
  if (!isOptional(stillSignedInAt, isString)) return undefined;
  const parsedProfile = parseProfile(profile);
  if (profile !== undefined && !parsedProfile) return undefined;
  if (error !== undefined && !isSerializedError(error)) return undefined;
  const state: AuthState = { status };
  if (parsedProfile) state.profile = parsedProfile;
  if (identityId !== undefined) state.identityId = identityId;
  if (credentialsExpireAt !== undefined) state.credentialsExpireAt = credentialsExpireAt;
  if (error !== undefined) state.error = { code: error.code, message: error.message };
  if (stillSignedInAt !== undefined) state.stillSignedInAt = stillSignedInAt;
  return state;
}
