// Sign-ins that must fail, each with its own error code, leaving nothing stored.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { createHandlers } from '../../src/background/worker';
import type { ErrorCode } from '../../src/shared/errors';
import { authContext, newProfile, requests, stackSettings, type Flow, type Profile, type TestContext } from '../support/auth-context';
import { createForger, type Forger, type Tamper } from '../support/auth-token-forger';
import { loginThroughForm } from '../support/login-driver';

let stack: Stack;
let forger: Forger;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  forger = await createForger(`${stack.url}/oauth/token`, `${stack.url}/.well-known/jwks.json`);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  stack.resetCounters();
  stack.clearFaults();
  forger.tamper = undefined;
});

interface Attempt {
  ctx: TestContext;
  profile: Profile;
}

async function attempt(options: { interactive?: Flow | undefined; tamper?: Tamper } = {}): Promise<Attempt & { error: unknown }> {
  const profile = newProfile();
  const ctx = authContext(profile, { fetch: forger.fetch });
  if ('interactive' in options) ctx.identity.interactive = options.interactive;
  forger.tamper = options.tamper;
  await ctx.items.settings.set(stackSettings(stack));
  const error = await createHandlers(ctx)
    .signIn()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return { ctx, profile, error };
}

/** No token, credential, in-flight request or identity id anywhere; the state says why. */
async function expectNothingStored({ ctx, profile }: Attempt, code: ErrorCode): Promise<void> {
  expect(await profile.session.get(['authTokens', 'awsCredentials', 'authFlights'])).toEqual({});
  expect(Object.keys(await profile.local.get(null))).not.toContain('identityIds');
  expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', error: { code } });
  expect(requests(stack)('cognito-identity.GetId')).toBe(0);
  expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(0);
}

/** The real login, then the redirect as `change` rewrites it. */
function rewrittenRedirect(change: (url: URL, sent: URL) => URL | string): Flow {
  return async (details, jar) => {
    const back = await loginThroughForm(details.url, { username: 'alice', password: 'password', jar });
    return String(change(new URL(back), new URL(details.url)));
  };
}

describe('a sign-in that must fail', () => {
  it('refuses an answer whose state does not match (AUTH_STATE_MISMATCH)', async () => {
    const result = await attempt({
      interactive: rewrittenRedirect((url) => {
        url.searchParams.set('state', 'not-the-state-we-sent');
        return url;
      }),
    });
    expect(result.error).toMatchObject({ code: 'AUTH_STATE_MISMATCH' });
    // The code was never exchanged.
    expect(requests(stack)('oidc.token')).toBe(0);
    await expectNothingStored(result, 'AUTH_STATE_MISMATCH');
  });

  it('refuses an error answer whose state does not match, whatever its text (AUTH_STATE_MISMATCH)', async () => {
    const result = await attempt({
      interactive: async (details) => {
        // A page the login window reached sends it back to the redirect URL with words of its own.
        const back = new URL(new URL(details.url).searchParams.get('redirect_uri') ?? '');
        back.search = new URLSearchParams({ error: 'access_denied', error_description: 'Your account is locked: call 555-0100' }).toString();
        return back.href;
      },
    });
    expect(result.error).toMatchObject({ code: 'AUTH_STATE_MISMATCH' });
    expect(String((result.error as Error).message)).not.toContain('555-0100');
    await expectNothingStored(result, 'AUTH_STATE_MISMATCH');
  });

  it('refuses an ID token with another nonce (AUTH_NONCE_MISMATCH)', async () => {
    const result = await attempt({ tamper: { kind: 'claims', change: (claims) => ({ ...claims, nonce: 'another-nonce' }) } });
    expect(result.error).toMatchObject({ code: 'AUTH_NONCE_MISMATCH' });
    await expectNothingStored(result, 'AUTH_NONCE_MISMATCH');
  });

  it('recognises access_denied in the redirect (AUTH_DENIED)', async () => {
    const result = await attempt({
      interactive: async (details) => {
        const sent = new URL(details.url);
        const back = new URL(sent.searchParams.get('redirect_uri') ?? '');
        back.search = new URLSearchParams({
          error: 'access_denied',
          error_description: 'The person refused',
          state: sent.searchParams.get('state') ?? '',
          iss: stack.config.issuer,
        }).toString();
        return back.href;
      },
    });
    expect(result.error).toMatchObject({ code: 'AUTH_DENIED', message: expect.stringContaining('The person refused') });
    expect(requests(stack)('oidc.token')).toBe(0);
    await expectNothingStored(result, 'AUTH_DENIED');
  });

  it('reports the person closing the window (AUTH_CANCELLED)', async () => {
    const result = await attempt({ interactive: undefined });
    expect(result.error).toMatchObject({ code: 'AUTH_CANCELLED' });
    expect(result.ctx.identity.calls).toHaveLength(1);
    await expectNothingStored(result, 'AUTH_CANCELLED');
  });

  it('refuses a redirect to an unexpected URL before reading it (AUTH_UNEXPECTED_REDIRECT)', async () => {
    const result = await attempt({ interactive: rewrittenRedirect((url) => `https://evil.example/callback${url.search}`) });
    expect(result.error).toMatchObject({ code: 'AUTH_UNEXPECTED_REDIRECT', message: expect.stringContaining('https://evil.example/callback') });
    expect(requests(stack)('oidc.token')).toBe(0);
    await expectNothingStored(result, 'AUTH_UNEXPECTED_REDIRECT');
  });

  it('refuses a redirect to another path of the redirect host (AUTH_UNEXPECTED_REDIRECT)', async () => {
    const result = await attempt({
      interactive: rewrittenRedirect((url) => {
        url.pathname = '/elsewhere';
        return url;
      }),
    });
    expect(result.error).toMatchObject({ code: 'AUTH_UNEXPECTED_REDIRECT' });
    await expectNothingStored(result, 'AUTH_UNEXPECTED_REDIRECT');
  });

  const badTokens: Array<[string, Tamper, RegExp, ErrorCode]> = [
    ['an unsigned token (alg: none)', { kind: 'alg-none' }, /not signed/, 'AUTH_TOKEN_UNSIGNED'],
    ['an HS256 token', { kind: 'hs256' }, /HS256.*RS256/, 'AUTH_TOKEN_ALGORITHM'],
    ['a token from another issuer', { kind: 'claims', change: (c) => ({ ...c, iss: 'https://evil.example/' }) }, /iss/, 'AUTH_TOKEN_ISSUER'],
    ['a token for another audience', { kind: 'claims', change: (c) => ({ ...c, aud: 'someone-else' }) }, /aud/, 'AUTH_TOKEN_AUDIENCE'],
    ['an expired token', { kind: 'claims', change: (c, now) => ({ ...c, iat: now - 7200, exp: now - 3600 }) }, /expired/, 'AUTH_TOKEN_EXPIRED'],
    ['a token with a forged signature', { kind: 'foreign-key' }, /signature/, 'AUTH_TOKEN_SIGNATURE'],
    ['a token authorised for another party', { kind: 'claims', change: (c) => ({ ...c, azp: 'someone-else' }) }, /azp/, 'AUTH_INVALID_TOKEN'],
    [
      'a token for several audiences that does not say which it is for',
      { kind: 'claims', change: (c) => ({ ...c, aud: [String(c.aud), 'https://api.example/'] }) },
      /other audiences \(https:\/\/api\.example\/\).*azp/,
      'AUTH_TOKEN_NO_AZP',
    ],
    [
      'a token signed with a key the provider does not publish',
      { kind: 'unknown-kid' },
      /signed with a key \(unpublished\)/,
      'AUTH_TOKEN_UNKNOWN_KEY',
    ],
  ];

  for (const [name, tamper, message, code] of badTokens) {
    it(`refuses ${name} (${code})`, async () => {
      const result = await attempt({ tamper });
      expect(result.error).toMatchObject({ code, message: expect.stringMatching(message) });
      // The settings are right: the sentence must not send the person to them.
      expect(String((result.error as Error).message)).not.toMatch(/Check the provider domain|in the settings/);
      expect(requests(stack)('oidc.token')).toBe(1);
      await expectNothingStored(result, code);
    });
  }

  it('accepts the forger’s untampered token, whose signature Cognito then refuses (AUTH_TOKEN_SIGNATURE)', async () => {
    // The control for the cases above: only their one change made the extension refuse the token. Cognito
    // reads the provider's own keys, not the forger's: the settings are right and are not named.
    const result = await attempt();
    expect(result.error).toMatchObject({
      code: 'AUTH_TOKEN_SIGNATURE',
      message: expect.stringContaining(`Amazon Cognito could not verify the signature of the ID token from ${new URL(stack.url).host}`),
    });
    expect(String((result.error as Error).message)).not.toMatch(/Check the provider domain|in the settings|add .* as an OpenID Connect provider/);
    expect(requests(stack)('cognito-identity.GetId')).toBe(1);
    // The refused sign-in is undone: its refresh token revoked, nothing kept.
    expect(requests(stack)('oidc.revoke')).toBe(1);
    expect(await result.profile.session.get(['authTokens', 'awsCredentials', 'authFlights'])).toEqual({});
    expect(Object.keys(await result.profile.local.get(null))).not.toContain('identityIds');
  });

  it('tells the person to configure the pool’s role (CREDENTIALS_CONFIG)', async () => {
    stack.addFault({
      service: 'cognito-identity',
      operation: 'GetCredentialsForIdentity',
      kind: 'error',
      errorType: 'InvalidIdentityPoolConfigurationException',
      message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
    });
    const profile = newProfile();
    const ctx = authContext(profile);
    await ctx.items.settings.set(stackSettings(stack));
    await expect(createHandlers(ctx).signIn()).rejects.toMatchObject({
      code: 'CREDENTIALS_CONFIG',
      message: expect.stringContaining('authenticated role whose trust policy allows cognito-identity.amazonaws.com'),
    });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect((await createHandlers(ctx).getAuthState()).error?.code).toBe('CREDENTIALS_CONFIG');
  });
});

describe('a provider that signs ID tokens with HS256', () => {
  let hs256: Stack;
  beforeAll(async () => {
    hs256 = await startStack({ port: 0, idTokenAlg: 'HS256' });
  });
  afterAll(async () => {
    await hs256?.close();
  });

  it('is refused before the login window, with a message that says to switch to RS256 (AUTH_TOKEN_ALGORITHM)', async () => {
    const profile = newProfile();
    const ctx = authContext(profile);
    await ctx.items.settings.set(stackSettings(hs256));
    const error = await createHandlers(ctx)
      .signIn()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_TOKEN_ALGORITHM', message: expect.stringMatching(/signs ID tokens with HS256.*RS256/) });
    // Its metadata says so: no window opens, nobody types a password for nothing.
    expect(ctx.identity.calls).toHaveLength(0);
    expect(await profile.session.get(['authTokens', 'awsCredentials', 'authFlights'])).toEqual({});
    expect(requests(hs256)('cognito-identity.GetId')).toBe(0);
  });
});
