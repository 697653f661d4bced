import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { Context } from '../platform/context';
import type { OidcProvider } from './discovery';
import { httpOptions } from './http';
import { verifyIdToken } from './id-token';
import { JWKS_MAX_AGE_MS, UNKNOWN_KID_RETRY_MS } from './jwks';

const ISSUER = 'https://tenant.auth0.com/';
const JWKS_URI = `${ISSUER}.well-known/jwks.json`;

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

let first: Key;
let second: Key;
let now: number;
/** What the provider publishes now, and the cache mode of every request for it. */
let published: Key[];
let requests: Array<RequestCache | undefined>;
let ctx: Context;

function sign(key: Key): Promise<string> {
  const seconds = Math.floor(now / 1000);
  return new SignJWT({ iss: ISSUER, aud: 'client', sub: 'auth0|alice', iat: seconds, exp: seconds + 3600, nonce: 'n-1' })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .sign(key.privateKey);
}

let provider: OidcProvider;

const verify = async (key: Key) => verifyIdToken(ctx, provider, await sign(key), { nonce: 'n-1' });

beforeAll(async () => {
  [first, second] = await Promise.all([newKey('k1'), newKey('k2')]);
});

beforeEach(() => {
  now = 1_800_000_000_000;
  published = [first];
  requests = [];
  ctx = authContext(newProfile(), {
    fetch: async (input, init) => {
      expect(String(input)).toBe(JWKS_URI);
      requests.push(init?.cache);
      return Response.json({ keys: published.map((key) => key.jwk) }, { headers: { 'cache-control': 'public, max-age=300' } });
    },
    now: () => now,
  });
  provider = {
    settings: { ...DEFAULT_SETTINGS, domain: 'tenant.auth0.com', clientId: 'client' },
    as: { issuer: ISSUER, jwks_uri: JWKS_URI },
    client: { client_id: 'client' },
    http: httpOptions(ctx, new URL(ISSUER)),
  };
});

describe('the provider’s signing keys', () => {
  it('asks for them past the browser’s HTTP cache, and keeps them in storage.local', async () => {
    await verify(first);
    expect(requests).toEqual(['reload']);
    expect(await ctx.items.jwks.get()).toMatchObject({ jwksUri: JWKS_URI, jwks: { keys: [{ kid: 'k1' }] }, uat: now });
  });

  it('serves from storage while fresh, then asks again', async () => {
    await verify(first);
    now += JWKS_MAX_AGE_MS - 1000;
    await verify(first);
    expect(requests).toHaveLength(1);
    now += 2000;
    await verify(first);
    expect(requests).toEqual(['reload', 'reload']);
  });

  it('accepts a rotated key at once: a token with an unknown kid right after a fetch fetches the keys again', async () => {
    await verify(first);
    published = [second];
    now += 1000;
    await expect(verify(second)).resolves.toMatchObject({ profile: { sub: 'auth0|alice' } });
    expect(requests).toEqual(['reload', 'reload']);
    // storage.local holds what the provider publishes now, and the old key no longer verifies.
    expect((await ctx.items.jwks.get())?.jwks.keys.map((key) => key['kid'])).toEqual(['k2']);
    expect((await ctx.items.jwks.get())?.missed).toBeUndefined();
    await expect(verify(first)).rejects.toMatchObject({ code: 'AUTH_TOKEN_UNKNOWN_KEY' });
  });

  it('verifies a token without kid when the provider publishes several keys without one, and refuses a forged one', async () => {
    const unnamed = (key: Key): Key => {
      const { kid: _, ...jwk } = key.jwk;
      return { ...key, jwk };
    };
    published = [unnamed(first), unnamed(second)];
    const signWithoutKid = (privateKey: CryptoKey): Promise<string> => {
      const seconds = Math.floor(now / 1000);
      return new SignJWT({ iss: ISSUER, aud: 'client', sub: 'auth0|alice', iat: seconds, exp: seconds + 3600, nonce: 'n-1' })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
    };
    // The next key, published beside the current one, signs first: both must verify.
    for (const key of [second, first]) {
      await expect(verifyIdToken(ctx, provider, await signWithoutKid(key.privateKey), { nonce: 'n-1' })).resolves.toMatchObject({
        profile: { sub: 'auth0|alice' },
      });
    }
    const { privateKey: forger } = await generateKeyPair('RS256');
    await expect(verifyIdToken(ctx, provider, await signWithoutKid(forger), { nonce: 'n-1' })).rejects.toMatchObject({
      code: 'AUTH_TOKEN_SIGNATURE',
    });
  });

  it('fetches the keys again when a provider that names no keys replaced its one key, and then verifies', async () => {
    const unnamed = (key: Key): Key => {
      const { kid: _, ...jwk } = key.jwk;
      return { ...key, jwk };
    };
    const signWithoutKid = (key: Key): Promise<string> => {
      const seconds = Math.floor(now / 1000);
      return new SignJWT({ iss: ISSUER, aud: 'client', sub: 'auth0|alice', iat: seconds, exp: seconds + 3600, nonce: 'n-1' })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(key.privateKey);
    };
    published = [unnamed(first)];
    await verifyIdToken(ctx, provider, await signWithoutKid(first), { nonce: 'n-1' });
    published = [unnamed(second)];
    now += 1000;
    await expect(verifyIdToken(ctx, provider, await signWithoutKid(second), { nonce: 'n-1' })).resolves.toMatchObject({
      profile: { sub: 'auth0|alice' },
    });
    expect(requests).toEqual(['reload', 'reload']);
    // A signature no published key makes is still refused as one.
    const { privateKey: forger } = await generateKeyPair('RS256');
    await expect(verifyIdToken(ctx, provider, await signWithoutKid({ ...second, privateKey: forger }), { nonce: 'n-1' })).rejects.toMatchObject({
      code: 'AUTH_TOKEN_SIGNATURE',
    });
  });

  it('refuses a key the provider does not publish, with its own code and no pointer to the settings', async () => {
    await verify(first);
    const error = await verify(second).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_TOKEN_UNKNOWN_KEY', message: expect.stringContaining('k2') });
    expect(String((error as Error).message)).not.toMatch(/settings/);
    expect(requests).toHaveLength(2);
  });

  it('asks for the same unknown kid at most once a minute, and never twice in one verification', async () => {
    await verify(first);
    await expect(verify(second)).rejects.toMatchObject({ code: 'AUTH_TOKEN_UNKNOWN_KEY' });
    now += UNKNOWN_KID_RETRY_MS - 1000;
    await expect(verify(second)).rejects.toMatchObject({ code: 'AUTH_TOKEN_UNKNOWN_KEY' });
    expect(requests).toHaveLength(2);
    // Known keys still work meanwhile, without a fetch.
    await verify(first);
    expect(requests).toHaveLength(2);

    published = [first, second];
    now += 2000;
    await expect(verify(second)).resolves.toBeDefined();
    expect(requests).toHaveLength(3);

    // Stale keys and an unknown kid: one fetch, not two.
    now += JWKS_MAX_AGE_MS;
    published = [first];
    await expect(verify(await newKey('k3'))).rejects.toMatchObject({ code: 'AUTH_TOKEN_UNKNOWN_KEY' });
    expect(requests).toHaveLength(4);
  });

  it('says the provider is in trouble when its keys answer a server error', async () => {
    ctx.fetch = async () => new Response('oops', { status: 503 });
    await expect(verify(first)).rejects.toMatchObject({ code: 'AUTH_PROVIDER_DOWN', message: expect.stringContaining('503') });
  });

  it('says the provider is limiting requests when its keys answer 429, with Try again', async () => {
    ctx.fetch = async () => new Response('slow down', { status: 429 });
    await expect(verify(first)).rejects.toMatchObject({ code: 'AUTH_PROVIDER_DOWN', message: expect.stringContaining('limiting requests') });
  });

  it('offers Try again, not the settings, when the keys answer something else than a key set', async () => {
    for (const answer of [() => new Response('gone', { status: 404 }), () => new Response('<html>', { status: 200 })]) {
      ctx.fetch = async () => answer();
      await expect(verify(first)).rejects.toMatchObject({ code: 'AUTH_PROVIDER_DOWN', message: expect.stringContaining('could not be read') });
    }
  });

  it('says the network failed when the keys cannot be fetched', async () => {
    ctx.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(verify(first)).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
