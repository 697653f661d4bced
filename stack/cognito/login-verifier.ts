// How Cognito checks a Logins entry: the key names the provider (issuer without scheme and trailing slash),
// the token must be that issuer's, RS256-signed by a key of its JWKS, for one of its client ids, and unexpired.
// Cognito allows no clock skew here: it answers "Token expired: <now> >= <exp>" from the second `exp` is
// reached (e.g. https://github.com/aws-amplify/aws-sdk-ios/issues/2570, refused 271 s after `exp`).
import { compactVerify, createLocalJWKSet, decodeJwt, errors } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { AwsError, isObject } from '../http';

export interface LoginProvider {
  issuer: string;
  clientIds: string[];
  /** The stack's own provider hands its keys over; other issuers' keys are discovered. */
  jwks?: JSONWebKeySet;
}

export interface VerifiedLogin {
  providerName: string;
  sub: string;
}

export type LoginVerifier = (providerName: string, token: string) => Promise<VerifiedLogin>;

type KeySource = ReturnType<typeof createLocalJWKSet>;

/** 'https://tenant.auth0.com/' → 'tenant.auth0.com': what Cognito calls the provider name (the Logins key). */
function providerNameOf(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function notAuthorized(reason: string): AwsError {
  return new AwsError('NotAuthorizedException', `Invalid login token. ${reason}`);
}

async function fetchJson(url: URL): Promise<unknown> {
  // no-store: a provider that rotates its key serves its JWKS with max-age; a cached copy would lack the new key.
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
  return response.json();
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
  const metadata = await fetchJson(new URL('.well-known/openid-configuration', base));
  if (!isObject(metadata) || typeof metadata['jwks_uri'] !== 'string') throw new Error(`no jwks_uri in ${issuer}'s discovery document`);
  return new URL(metadata['jwks_uri']);
}

async function fetchKeys(jwksUri: URL): Promise<KeySource> {
  const jwks = await fetchJson(jwksUri);
  if (!isObject(jwks) || !Array.isArray(jwks['keys'])) throw new Error(`${jwksUri.href} is not a JWKS`);
  return createLocalJWKSet({ keys: jwks['keys'] });
}

/**
 * A discovered issuer's keys: fetched once, and fetched again (past any HTTP cache) as soon as a token names
 * a key they lack — a provider that rotates its signing key is followed at once, not after a cool-down.
 * Concurrent logins share one fetch.
 */
function discoveredKeys(issuer: string): { current(): Promise<KeySource>; refresh(stale: Promise<KeySource>): Promise<KeySource> } {
  let jwksUri: Promise<URL> | undefined;
  let keys: Promise<KeySource> | undefined;
  const load = (): Promise<KeySource> => {
    jwksUri ??= discoverJwksUri(issuer);
    const loading = jwksUri.then(fetchKeys);
    // A failed fetch is retried by the next login rather than remembered.
    loading.catch(() => {
      if (keys === loading) {
        keys = undefined;
        jwksUri = undefined;
      }
    });
    keys = loading;
    return loading;
  };
  return {
    current: () => keys ?? load(),
    // Only the first caller holding the stale set fetches; the others wait for its answer.
    refresh: (stale) => (keys === stale ? load() : (keys ?? load())),
  };
}

function audiences(payload: JWTPayload): string[] {
  const aud = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  return typeof payload['azp'] === 'string' ? [...aud, payload['azp']] : aud;
}

export function createLoginVerifier(providers: LoginProvider[], now: () => number): LoginVerifier {
  const byName = new Map(providers.map((provider) => [providerNameOf(provider.issuer), provider]));
  const discovered = new Map<string, ReturnType<typeof discoveredKeys>>();

  function keysOf(provider: LoginProvider): ReturnType<typeof discoveredKeys> {
    if (provider.jwks) {
      const local = Promise.resolve(createLocalJWKSet(provider.jwks));
      return { current: () => local, refresh: () => local };
    }
    let keys = discovered.get(provider.issuer);
    if (!keys) {
      keys = discoveredKeys(provider.issuer);
      discovered.set(provider.issuer, keys);
    }
    return keys;
  }

  async function verifySignature(provider: LoginProvider, token: string): Promise<void> {
    const keys = keysOf(provider);
    const held = keys.current();
    try {
      await compactVerify(token, await held, { algorithms: ['RS256'] });
    } catch (error) {
      // A kid the held keys lack may be a key the provider has just rotated in: ask the provider again, once.
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      await compactVerify(token, await keys.refresh(held), { algorithms: ['RS256'] });
    }
  }

  return async (providerName, token) => {
    const provider = byName.get(providerName);
    if (!provider) throw notAuthorized('Token is not from a supported provider of this identity pool.');

    let payload: JWTPayload;
    try {
      payload = decodeJwt(token);
    } catch {
      throw notAuthorized('Not a valid OpenId Connect identity token.');
    }
    if (typeof payload.iss !== 'string' || providerNameOf(payload.iss) !== providerName) {
      throw notAuthorized("Issuer doesn't match providerName");
    }
    try {
      await verifySignature(provider, token);
    } catch {
      throw notAuthorized("Couldn't verify signed token.");
    }
    if (!audiences(payload).some((aud) => provider.clientIds.includes(aud))) {
      throw notAuthorized('Incorrect token audience.');
    }
    const nowSeconds = Math.floor(now() / 1000);
    if (typeof payload.exp !== 'number' || nowSeconds >= payload.exp) {
      throw notAuthorized(`Token expired: ${nowSeconds} >= ${payload.exp ?? 'no exp claim'}`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw notAuthorized('Missing a required claim: sub');
    }
    return { providerName, sub: payload.sub };
  };
}
