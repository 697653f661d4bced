// The worker's own records of a sign-in, as stored. Tokens and credentials live in storage.session only;
// what storage.local keeps here (identity ids, discovery, JWKS) is public and survives restarts.
import { parseProfile, type Profile } from './auth-state';
import { fields, ifValid, isBoolean, isNumber, isObject, isString, isTrue, optional } from './guards';

/** The tokens of the current sign-in (storage.session). */
export interface TokenSet {
  /** The issuer and client the tokens were issued for: a change of settings makes them foreign. */
  issuer: string;
  clientId: string;
  profile: Profile;
  idToken: string;
  /** ID token `iat` and `exp`, in milliseconds since the epoch. */
  idTokenIssuedAt: number;
  idTokenExpiresAt: number;
  /** The nonce of the interactive or silent sign-in; refreshed ID tokens carry the original one. */
  nonce: string;
  // No access token: nothing here calls the provider's APIs with one, so none is kept (less to leak).
  /** Absent when the provider issues none: renewal is then silent (`prompt=none`). */
  refreshToken?: string;
}

/** An authorization request waiting for its redirect (storage.session): the worker may stop meanwhile. */
export interface SignInFlight {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  interactive: boolean;
  startedAt: number;
}

/**
 * Every authorization request waiting for its redirect, by `state`: an interactive sign-in and a silent
 * renewal may be under way at once, and each answer is matched to its own request.
 */
export type SignInFlights = Record<string, SignInFlight>;

/** AWS credentials from GetCredentialsForIdentity (storage.session). */
export interface CredentialsRecord {
  identityPoolId: string;
  /** The Logins key and the subject they were issued for. */
  provider: string;
  sub: string;
  identityId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  obtainedAt: number;
  expiresAt: number;
}

/** One identity id per (pool, provider, subject); not a secret (storage.local). */
export interface RememberedIdentity {
  identityPoolId: string;
  provider: string;
  sub: string;
  identityId: string;
  usedAt: number;
  /**
   * The person's email when the provider gave one: the `login_hint` of a silent sign-in at browser start.
   * Not a secret, but personal: it stays until the entry is forgotten, as the identity id does.
   */
  email?: string;
}

/**
 * Cognito refused an identity id this browser held for a login (merged into another when two sign-ins were
 * linked, or deleted): its datasets here are the person's, and the sync module takes them into the identity GetId
 * answers for the same login (`into`, unset until it has answered). Storage.local, not a secret: identity ids.
 */
export interface IdentityMove {
  identityPoolId: string;
  provider: string;
  sub: string;
  from: string;
  into?: string;
}

/**
 * A person who signed out on this browser (storage.local, not a secret): no silent sign-in at browser start
 * brings them back until they sign in themselves. `provider` is the Logins key of the issuer.
 */
export interface SignOutMark {
  provider: string;
  sub: string;
  at: number;
  /**
   * This sign-out is the last thing that happened here: nobody has signed in since. The provider's session
   * may have outlived it (a logout that failed, a provider without one), so the next sign-in asks for the
   * person's credentials rather than take that session as theirs.
   */
  last?: true;
}

/** Discovered provider metadata (storage.local). */
export interface DiscoveryRecord {
  issuer: string;
  fetchedAt: number;
  metadata: Record<string, unknown>;
}

/** The provider's signing keys as jose caches them (storage.local): public keys only. */
export interface JwksRecord {
  jwksUri: string;
  jwks: { keys: Record<string, unknown>[] };
  uat: number;
  /** A key id a token named that these keys, fetched at `at`, still lacked (src/background/auth/jwks.ts). */
  missed?: { kid: string; at: number };
}

// Each parser checks every field and rebuilds the record from what it checked (a stored value of the
// wrong shape reads as absent); fields it does not know are not carried along (guards.ts `fields`).

export function parseTokenSet(value: unknown): TokenSet | undefined {
  return fields(value, {
    issuer: isString,
    clientId: isString,
    profile: parseProfile,
    idToken: isString,
    idTokenIssuedAt: isNumber,
    idTokenExpiresAt: isNumber,
    nonce: isString,
    refreshToken: optional(isString),
  });
}

function parseSignInFlight(value: unknown): SignInFlight | undefined {
  return fields(value, {
    state: isString,
    nonce: isString,
    codeVerifier: isString,
    redirectUri: isString,
    interactive: isBoolean,
    startedAt: isNumber,
  });
}

/** Flights filed under another key than their own state are dropped: the key is what a redirect is matched by. */
export function parseSignInFlights(value: unknown): SignInFlights | undefined {
  if (!isObject(value)) return undefined;
  const flights: SignInFlights = {};
  for (const [state, entry] of Object.entries(value)) {
    const flight = parseSignInFlight(entry);
    if (flight?.state === state) flights[state] = flight;
  }
  return flights;
}

/** Whose credentials or identity id: the pool, the Logins key, the subject. */
const IDENTITY = { identityPoolId: isString, provider: isString, sub: isString, identityId: isString };

export function parseCredentialsRecord(value: unknown): CredentialsRecord | undefined {
  return fields(value, {
    ...IDENTITY,
    accessKeyId: isString,
    secretAccessKey: isString,
    sessionToken: isString,
    obtainedAt: isNumber,
    expiresAt: isNumber,
  });
}

/** The entries of a stored list that read as `parse` reads them; the others are dropped. */
function parseList<T>(value: unknown, parse: (entry: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((entry: unknown) => parse(entry) ?? []);
}

export function parseRememberedIdentities(value: unknown): RememberedIdentity[] | undefined {
  return parseList(value, (entry) => fields(entry, { ...IDENTITY, usedAt: isNumber, email: optional(isString) }));
}

export function parseIdentityMoves(value: unknown): IdentityMove[] | undefined {
  return parseList(value, (entry) =>
    fields(entry, { identityPoolId: isString, provider: isString, sub: isString, from: isString, into: optional(isString) }),
  );
}

export function parseSignOutMarks(value: unknown): SignOutMark[] | undefined {
  return parseList(value, (entry) => fields(entry, { provider: isString, sub: isString, at: isNumber, last: ifValid<true>(isTrue) }));
}

export function parseDiscoveryRecord(value: unknown): DiscoveryRecord | undefined {
  return fields(value, { issuer: isString, fetchedAt: isNumber, metadata: isObject });
}

export function parseJwksRecord(value: unknown): JwksRecord | undefined {
  return fields(value, {
    jwksUri: isString,
    jwks: (jwks: unknown) => (isObject(jwks) && Array.isArray(jwks['keys']) ? { keys: jwks['keys'].filter(isObject) } : undefined),
    uat: isNumber,
    missed: optional((missed: unknown) => fields(missed, { kid: isString, at: isNumber })),
  });
}
