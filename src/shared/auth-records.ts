// The worker's own records of a sign-in, as stored. Tokens and credentials live in storage.session only;
// what storage.local keeps here (identity ids, discovery, JWKS) is public and survives restarts.
import type { Profile } from './auth-state';

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
}

// The parsers below are built when the module loads; `@__PURE__` lets a page bundle that reads none of
// these items leave them out.
type Shape = Record<string, 'string' | 'number' | 'boolean' | 'object' | 'string?' | 'object?'>;

function hasShape(value: unknown, shape: Shape): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(shape).every(([key, type]) => {
    const optional = type.endsWith('?');
    const field = record[key];
    if (field === undefined) return optional;
    const want = optional ? type.slice(0, -1) : type;
    return want === 'object' ? typeof field === 'object' && field !== null : typeof field === want;
  });
}

function parser<T>(shape: Shape): (value: unknown) => T | undefined {
  return (value) => (hasShape(value, shape) ? (value as T) : undefined);
}

export const parseTokenSet = /* @__PURE__ */ parser<TokenSet>({
  issuer: 'string',
  clientId: 'string',
  profile: 'object',
  idToken: 'string',
  idTokenIssuedAt: 'number',
  idTokenExpiresAt: 'number',
  nonce: 'string',
  refreshToken: 'string?',
});

const parseSignInFlight = /* @__PURE__ */ parser<SignInFlight>({
  state: 'string',
  nonce: 'string',
  codeVerifier: 'string',
  redirectUri: 'string',
  interactive: 'boolean',
  startedAt: 'number',
});

/** Flights filed under another key than their own state are dropped: the key is what a redirect is matched by. */
export function parseSignInFlights(value: unknown): SignInFlights | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const flights: SignInFlights = {};
  for (const [state, entry] of Object.entries(value)) {
    const flight = parseSignInFlight(entry);
    if (flight?.state === state) flights[state] = flight;
  }
  return flights;
}

export const parseCredentialsRecord = /* @__PURE__ */ parser<CredentialsRecord>({
  identityPoolId: 'string',
  provider: 'string',
  sub: 'string',
  identityId: 'string',
  accessKeyId: 'string',
  secretAccessKey: 'string',
  sessionToken: 'string',
  obtainedAt: 'number',
  expiresAt: 'number',
});

const parseRememberedIdentity = /* @__PURE__ */ parser<RememberedIdentity>({
  identityPoolId: 'string',
  provider: 'string',
  sub: 'string',
  identityId: 'string',
  usedAt: 'number',
  email: 'string?',
});

export function parseRememberedIdentities(value: unknown): RememberedIdentity[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((entry: unknown) => parseRememberedIdentity(entry) ?? []);
}

export const parseDiscoveryRecord = /* @__PURE__ */ parser<DiscoveryRecord>({ issuer: 'string', fetchedAt: 'number', metadata: 'object' });

export function parseJwksRecord(value: unknown): JwksRecord | undefined {
  if (!hasShape(value, { jwksUri: 'string', jwks: 'object', uat: 'number' })) return undefined;
  return Array.isArray((value['jwks'] as { keys?: unknown }).keys) ? (value as unknown as JwksRecord) : undefined;
}
