import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  checkIdToken,
  checkIssuer,
  checkLogout,
  checkPkce,
  checkRefresh,
  checkRedirectRegistered,
  checkSigningAlgorithms,
  discoveryUrl,
  HS256_FAULT,
  idTokenFrom,
} from './provider';

describe('discovery URL', () => {
  it('keeps the issuer’s path and never doubles the slash', () => {
    expect(discoveryUrl(new URL('https://tenant.auth0.com/')).href).toBe('https://tenant.auth0.com/.well-known/openid-configuration');
    expect(discoveryUrl(new URL('https://id.example.com/realms/main')).href).toBe(
      'https://id.example.com/realms/main/.well-known/openid-configuration',
    );
    expect(discoveryUrl(new URL('https://id.example.com/realms/main/')).href).toBe(
      'https://id.example.com/realms/main/.well-known/openid-configuration',
    );
  });
});

describe('issuer', () => {
  it('passes the exact issuer and names its Logins key', () => {
    expect(checkIssuer(new URL('https://tenant.auth0.com/'), { issuer: 'https://tenant.auth0.com/' })).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('Logins key for it is tenant.auth0.com'),
    });
  });

  it('says to type a path issuer without the slash the provider leaves out', () => {
    const check = checkIssuer(new URL('https://id.example.com/realms/main/'), { issuer: 'https://id.example.com/realms/main' });
    expect(check).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/^Enter https:\/\/id\.example\.com\/realms\/main as Provider domain, without the trailing slash\./),
    });
  });

  it('accepts a root issuer announced without its slash: it is the same URL', () => {
    const check = checkIssuer(new URL('https://dev-1.okta.example/'), { issuer: 'https://dev-1.okta.example' });
    expect(check).toMatchObject({ status: 'pass', detail: expect.stringContaining('Logins key for it is dev-1.okta.example') });
  });

  it('names another issuer altogether, and an absent one', () => {
    expect(checkIssuer(new URL('https://a.auth0.com/'), { issuer: 'https://login.example.com/' })).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/^Enter https:\/\/login\.example\.com\/ as Provider domain/),
    });
    expect(checkIssuer(new URL('https://a.auth0.com/'), {})).toMatchObject({ status: 'fail', detail: 'the discovery document names no issuer.' });
  });

  it('names no template as the issuer to type (Entra ID’s common endpoint)', () => {
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    const check = checkIssuer(new URL('https://login.microsoftonline.com/common/v2.0'), { issuer: template });
    expect(check).toMatchObject({ status: 'fail', fault: { field: 'domain', message: 'checkIssuerTemplate', args: [template] } });
  });
});

describe('ID token signing algorithms', () => {
  it('passes RS256 and notes when HS256 is offered too', () => {
    expect(checkSigningAlgorithms({ id_token_signing_alg_values_supported: ['HS256', 'RS256'] })).toMatchObject({
      check: { status: 'pass' },
      offersHs256: true,
    });
  });

  it('names the HS256 fault when it is all the provider offers', () => {
    const { check } = checkSigningAlgorithms({ id_token_signing_alg_values_supported: ['HS256'] });
    expect(check).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(HS256_FAULT),
      fix: expect.stringContaining('JSON Web Token Signature Algorithm'),
    });
  });

  it('fails without RS256, and only warns when nothing is advertised', () => {
    expect(checkSigningAlgorithms({ id_token_signing_alg_values_supported: ['ES256'] }).check).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does not offer RS256'),
    });
    expect(checkSigningAlgorithms({}).check.status).toBe('warn');
  });
});

describe('code flow, refresh tokens and logout', () => {
  it('fails without the code response type or S256, warns when PKCE is not advertised', () => {
    expect(checkPkce({ response_types_supported: ['id_token'], code_challenge_methods_supported: ['S256'] }).status).toBe('fail');
    expect(checkPkce({ response_types_supported: ['code'], code_challenge_methods_supported: ['plain'] }).status).toBe('fail');
    expect(checkPkce({ response_types_supported: ['code'] }).status).toBe('warn');
    expect(checkPkce({ response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }).status).toBe('pass');
  });

  it('warns when grant types are not advertised, since their default has no refresh_token', () => {
    expect(checkRefresh({ scopes_supported: ['openid', 'offline_access'] })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no grant_types_supported'),
    });
    expect(checkRefresh({ grant_types_supported: ['refresh_token'] }).status).toBe('pass');
  });

  it('points an Auth0 tenant without end_session_endpoint at its tenant setting', () => {
    expect(checkLogout({}, new URL('https://t.eu.auth0.com/'))).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('RP-Initiated Logout End Session Endpoint Discovery'),
    });
    expect(checkLogout({}, new URL('https://id.example.com/'))).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('will not end the session'),
    });
  });
});

describe('ID token', () => {
  const issuer = new URL('https://tenant.auth0.com/');

  async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }
  const sign = (key: CryptoKey, kid: string, claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(issuer.href).setAudience('client-1').setExpirationTime('1h').sign(key);

  it('passes an RS256 token signed by the provider’s key, even expired', async () => {
    const { privateKey, jwk } = await keyPair('k1');
    const token = await sign(privateKey, 'k1', {});
    const later = Date.now() + 2 * 3600_000;
    expect(await checkIdToken(token, { issuer, clientId: 'client-1', jwks: { keys: [jwk] }, now: later })).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('which does not matter here'),
    });
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const own = await keyPair('k1');
    const stranger = await keyPair('k1');
    const token = await sign(stranger.privateKey, 'k1', {});
    expect(await checkIdToken(token, { issuer, clientId: 'client-1', jwks: { keys: [own.jwk] }, now: Date.now() })).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('signature does not verify'),
    });
  });

  it('refuses a token from another issuer', async () => {
    const { privateKey, jwk } = await keyPair('k1');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://tenant.auth0.com')
      .setAudience('client-1')
      .sign(privateKey);
    expect(await checkIdToken(token, { issuer, clientId: 'client-1', jwks: { keys: [jwk] }, now: Date.now() })).toMatchObject({
      status: 'fail',
      detail: 'the token was issued by https://tenant.auth0.com, not https://tenant.auth0.com/.',
    });
  });

  it('refuses what is not a JWT, and unsigned tokens', async () => {
    const expectations = { issuer, clientId: 'client-1', jwks: { keys: [] }, now: Date.now() };
    expect(await checkIdToken('not a token', expectations)).toMatchObject({ status: 'fail', detail: 'the file does not hold a JWT.' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"x"}').toString('base64url')}.`;
    expect(await checkIdToken(none, expectations)).toMatchObject({ status: 'fail', detail: expect.stringContaining('signed with none') });
  });

  it('reads a token response as well as a bare token', () => {
    expect(idTokenFrom('{"access_token":"a","id_token":"h.p.s"}\n')).toBe('h.p.s');
    expect(idTokenFrom('  h.p.s\n')).toBe('h.p.s');
  });
});

describe('the redirect URL, from an authorization request with prompt=none', () => {
  const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
  const metadata = { authorization_endpoint: 'https://tenant.auth0.com/authorize' };
  const answering =
    (response: () => Response): typeof fetch =>
    async () =>
      response();
  const probe = (response: () => Response) =>
    checkRedirectRegistered({ fetch: answering(response), timeoutMs: 1_000, getId: async () => undefined }, metadata, 'AbC123', REDIRECT);

  it('passes a redirect to it, as Node sees one, and a redirect a page’s fetch cannot see into', async () => {
    const toRedirect = () => new Response(null, { status: 302, headers: { location: `${REDIRECT}?error=login_required&state=x` } });
    expect((await probe(toRedirect)).status).toBe('pass');
    // What a page's fetch with redirect: 'manual' answers: status 0, no headers.
    const opaque = () => Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
    expect((await probe(opaque)).status).toBe('pass');
  });

  it('names Client ID when the provider refuses the request with an error page', async () => {
    expect(await probe(() => new Response('Callback URL mismatch', { status: 400 }))).toMatchObject({
      status: 'fail',
      fault: { field: 'clientId', message: 'checkRedirectRefused', args: [REDIRECT, '400'] },
    });
  });

  it('only warns when the answer tells nothing: a redirect elsewhere, a login page, a server error', async () => {
    for (const response of [
      () => new Response(null, { status: 302, headers: { location: 'https://tenant.auth0.com/u/login?state=x' } }),
      () => new Response('<form>', { status: 200 }),
      () => new Response(null, { status: 503 }),
    ]) {
      const check = await probe(response);
      expect(check.status).toBe('warn');
      expect(check.fault).toBeUndefined();
    }
  });

  it('leaves the check undecided, naming no field, when the provider fails or limits requests', async () => {
    for (const status of [429, 500, 503]) {
      const check = await probe(() => new Response(null, { status }));
      expect(check, String(status)).toMatchObject({
        status: 'warn',
        unsettled: { message: 'checkProviderBusy', args: [expect.stringMatching(/^https:\/\//), String(status)] },
      });
      expect(check.fault, String(status)).toBeUndefined();
    }
  });
});
