// How Cognito checks a Logins entry: the key names the provider (issuer without scheme and trailing slash),
// the token must be that issuer's, RS256-signed by a key of its JWKS, for one of its client ids, and unexpired
// give or take five minutes.
import { compactVerify, createLocalJWKSet, createRemoteJWKSet, decodeJwt } from 'jose';
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

type KeySource = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

const CLOCK_SKEW_SECONDS = 300;

/** 'https://tenant.auth0.com/' → 'tenant.auth0.com': what Cognito calls the provider name (the Logins key). */
function providerNameOf(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function notAuthorized(reason: string): AwsError {
  return new AwsError('NotAuthorizedException', `Invalid login token. ${reason}`);
}

async function discoverKeys(issuer: string): Promise<KeySource> {
  const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
  const response = await fetch(new URL('.well-known/openid-configuration', base));
  const metadata: unknown = await response.json();
  if (!response.ok || !isObject(metadata) || typeof metadata['jwks_uri'] !== 'string') {
    throw new Error(`no jwks_uri in ${issuer}'s discovery document`);
  }
  return createRemoteJWKSet(new URL(metadata['jwks_uri']));
}

function audiences(payload: JWTPayload): string[] {
  const aud = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  return typeof payload['azp'] === 'string' ? [...aud, payload['azp']] : aud;
}

export function createLoginVerifier(providers: LoginProvider[], now: () => number): LoginVerifier {
  const byName = new Map(providers.map((provider) => [providerNameOf(provider.issuer), provider]));
  const keySources = new Map<string, Promise<KeySource>>();

  function keysOf(provider: LoginProvider): Promise<KeySource> {
    if (provider.jwks) return Promise.resolve(createLocalJWKSet(provider.jwks));
    let keys = keySources.get(provider.issuer);
    if (!keys) {
      keys = discoverKeys(provider.issuer);
      // A failed discovery is retried by the next login rather than remembered.
      keys.catch(() => keySources.delete(provider.issuer));
      keySources.set(provider.issuer, keys);
    }
    return keys;
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
      await compactVerify(token, await keysOf(provider), { algorithms: ['RS256'] });
    } catch {
      throw notAuthorized("Couldn't verify signed token.");
    }
    if (!audiences(payload).some((aud) => provider.clientIds.includes(aud))) {
      throw notAuthorized('Incorrect token audience.');
    }
    const nowSeconds = Math.floor(now() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp + CLOCK_SKEW_SECONDS < nowSeconds) {
      throw notAuthorized(`Token expired: ${payload.exp ?? 'no exp claim'} + ${CLOCK_SKEW_SECONDS}s of clock skew < ${nowSeconds}`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw notAuthorized('Missing a required claim: sub');
    }
    return { providerName, sub: payload.sub };
  };
}
