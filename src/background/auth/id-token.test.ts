import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ErrorCode } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { Context } from '../platform/context';
import { authContext, newProfile } from '../../../test/support/auth-context';
import type { OidcProvider } from './discovery';
import { httpOptions } from './http';
import { verifyIdToken, type IdTokenExpectations } from './id-token';

const ISSUER = 'https://tenant.auth0.com/';
const JWKS_URI = `${ISSUER}.well-known/jwks.json`;
const NOW = 1_800_000_000;

let key: CryptoKeyPair;
let jwksFetches = 0;
let ctx: Context;

const provider: OidcProvider = {
  settings: { ...DEFAULT_SETTINGS, domain: 'tenant.auth0.com', clientId: 'client' },
  as: { issuer: ISSUER, jwks_uri: JWKS_URI },
  client: { client_id: 'client' },
  http: httpOptions(authContext(newProfile()), new URL(ISSUER)),
};

const claims = (extra: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  aud: 'client',
  sub: 'auth0|alice',
  iat: NOW - 10,
  exp: NOW + 3600,
  nonce: 'n-1',
  name: 'Alice',
  email: 'alice@example.com',
  ...extra,
});

function sign(payload: JWTPayload, signer = key.privateKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(signer);
}

beforeAll(async () => {
  key = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  ctx = authContext(newProfile(), {
    fetch: async (input: string | URL | Request) => {
      expect(String(input)).toBe(JWKS_URI);
      jwksFetches += 1;
      return Response.json({ keys: [jwk] });
    },
    now: () => NOW * 1000,
  });
});

describe('verifyIdToken', () => {
  it('answers the profile and the lifetime from a valid token', async () => {
    const verified = await verifyIdToken(ctx, provider, await sign(claims()), { nonce: 'n-1' });
    expect(verified).toEqual({
      profile: { sub: 'auth0|alice', name: 'Alice', email: 'alice@example.com' },
      issuedAt: (NOW - 10) * 1000,
      expiresAt: (NOW + 3600) * 1000,
    });
  });

  it('fetches the provider’s keys once and keeps them in storage.local', async () => {
    const before = jwksFetches;
    await verifyIdToken(ctx, provider, await sign(claims()), { nonce: 'n-1' });
    await verifyIdToken(ctx, provider, await sign(claims()), { nonce: 'n-1' });
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
    expect((await ctx.items.jwks.get())?.jwksUri).toBe(JWKS_URI);
  });

  const refused: Array<[string, () => Promise<string>, string]> = [
    ['another issuer', () => sign(claims({ iss: 'https://tenant.auth0.com' })), 'AUTH_TOKEN_ISSUER'],
    ['another audience', () => sign(claims({ aud: 'other' })), 'AUTH_TOKEN_AUDIENCE'],
    ['several audiences without azp', () => sign(claims({ aud: ['client', 'other'] })), 'AUTH_TOKEN_NO_AZP'],
    ['another azp', () => sign(claims({ azp: 'other' })), 'AUTH_INVALID_TOKEN'],
    ['an expired token', () => sign(claims({ iat: NOW - 7200, exp: NOW - 3600 })), 'AUTH_TOKEN_EXPIRED'],
    ['another nonce', () => sign(claims({ nonce: 'n-2' })), 'AUTH_NONCE_MISMATCH'],
    ['no nonce at sign-in', () => sign(claims({ nonce: undefined })), 'AUTH_NONCE_MISMATCH'],
    ['an iat in the future', () => sign(claims({ iat: NOW + 3600, exp: NOW + 7200 })), 'AUTH_INVALID_TOKEN'],
    ['a forged signature', async () => sign(claims(), (await generateKeyPair('RS256')).privateKey), 'AUTH_TOKEN_SIGNATURE'],
    [
      'an HS256 token',
      () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32))),
      'AUTH_TOKEN_ALGORITHM',
    ],
    ['garbage', async () => 'not.a.jwt', 'AUTH_INVALID_TOKEN'],
  ];
  for (const [name, token, code] of refused) {
    it(`refuses ${name} with ${code}`, async () => {
      await expect(verifyIdToken(ctx, provider, await token(), { nonce: 'n-1' })).rejects.toMatchObject({ code });
    });
  }

  it.each([
    ['another issuer', claims({ iss: 'https://evil.example/' }), ['https://evil.example/', ISSUER]],
    ['another audience', claims({ aud: 'other' }), ['issued for other', 'client ID client']],
    ['several audiences without azp', claims({ aud: ['client', 'https://api.example/'] }), ['(https://api.example/)', '"azp"']],
    ['another azp', claims({ azp: 'other' }), ['issued to other', 'client ID client']],
  ])('names the cause of a refusal for %s, without sending the person to the settings', async (_, payload, parts) => {
    const error = await verifyIdToken(ctx, provider, await sign(payload), { nonce: 'n-1' }).catch((e: unknown) => e);
    const message = String((error as Error).message);
    for (const part of parts) expect(message).toContain(part);
    expect(message).not.toMatch(/Check the provider domain|in the settings/);
  });

  it('accepts a refreshed token without a nonce only when told to', async () => {
    const token = await sign(claims({ nonce: undefined }));
    await expect(verifyIdToken(ctx, provider, token, { nonce: 'n-1', nonceOptional: true })).resolves.toBeDefined();
  });

  it('refuses a refreshed token for another subject', async () => {
    const token = await sign(claims());
    await expect(verifyIdToken(ctx, provider, token, { nonce: 'n-1', sub: 'auth0|bob' })).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
  });
});

describe('refusal messages', () => {
  const unsigned = (): string => {
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${encode({ alg: 'none' })}.${encode(claims())}.`;
  };
  const cases: Array<[string, () => Promise<string>, IdTokenExpectations, ErrorCode]> = [
    ['not a JWT', async () => 'not.a.jwt', { nonce: 'n-1' }, 'AUTH_INVALID_TOKEN'],
    ['unsigned', async () => unsigned(), { nonce: 'n-1' }, 'AUTH_TOKEN_UNSIGNED'],
    ['another azp', () => sign(claims({ azp: 'other' })), { nonce: 'n-1' }, 'AUTH_INVALID_TOKEN'],
    ['another subject', () => sign(claims()), { nonce: 'n-1', sub: 'auth0|bob' }, 'AUTH_INVALID_TOKEN'],
    ['an iat in the future', () => sign(claims({ iat: NOW + 3600, exp: NOW + 7200 })), { nonce: 'n-1' }, 'AUTH_INVALID_TOKEN'],
  ];

  // A translator sees whole sentences: what is substituted is a name (a claim, an algorithm), never English.
  it.each(cases)('are whole catalogue sentences for %s', async (_, token, expect_, code) => {
    const i18n = (globalThis as typeof globalThis & { chrome: { i18n: { getMessage(key: string, substitutions?: string | string[]): string } } })
      .chrome.i18n;
    const spy = vi.spyOn(i18n, 'getMessage');
    try {
      await expect(verifyIdToken(ctx, provider, await token(), expect_)).rejects.toMatchObject({ code });
      const substituted = spy.mock.calls.flatMap(([, substitutions]) => (substitutions === undefined ? [] : [substitutions].flat()));
      for (const value of substituted) expect(value).toMatch(/^[\w.:|-]*$/);
    } finally {
      spy.mockRestore();
    }
  });
});
