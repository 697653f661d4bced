import { describe, expect, it } from 'vitest';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { discover } from './discovery';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'id.example.com',
  clientId: 'client',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};

function serving(issuer: string, extra: Record<string, unknown> = {}): typeof fetch {
  return async () =>
    Response.json({
      issuer,
      authorization_endpoint: `${issuer.replace(/\/$/, '')}/authorize`,
      token_endpoint: `${issuer.replace(/\/$/, '')}/token`,
      jwks_uri: `${issuer.replace(/\/$/, '')}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      ...extra,
    });
}

describe('discovery', () => {
  it('accepts Auth0’s issuer with its trailing slash, and keeps it as announced', async () => {
    const provider = await discover(authContext(newProfile(), { fetch: serving('https://id.example.com/') }), settings);
    expect(provider.as.issuer).toBe('https://id.example.com/');
  });

  it('accepts a root issuer announced without the slash (as Google and Okta do), and keeps it as announced', async () => {
    const provider = await discover(authContext(newProfile(), { fetch: serving('https://id.example.com') }), settings);
    expect(provider.as.issuer).toBe('https://id.example.com');
  });

  it('refuses a provider announcing another issuer, naming the issuer it announces', async () => {
    const ctx = authContext(newProfile(), { fetch: serving('https://evil.example.com/') });
    await expect(discover(ctx, settings)).rejects.toMatchObject({
      code: 'AUTH_PROVIDER',
      message: expect.stringContaining('announces its issuer as https://evil.example.com/'),
    });
  });

  it('says a template issuer for several tenants (Entra ID’s common endpoint) is no issuer to type', async () => {
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    const ctx = authContext(newProfile(), { fetch: serving(template) });
    const common = { ...settings, domain: 'https://login.microsoftonline.com/common/v2.0' };
    const error = await discover(ctx, common).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_PROVIDER', message: expect.stringContaining(`an issuer template, ${template}`) });
    expect(String((error as Error).message)).not.toContain(`enter ${template}`);
  });

  it('says the provider is having trouble when discovery answers a server error', async () => {
    const ctx = authContext(newProfile(), { fetch: async () => new Response('oops', { status: 503 }) });
    await expect(discover(ctx, settings)).rejects.toMatchObject({
      code: 'AUTH_PROVIDER_DOWN',
      message:
        'The identity provider at https://id.example.com/ answered with a server error (HTTP 503). It may be down for a moment: try again in a few minutes.',
    });
  });

  it('gives each request to the provider a time limit, and calls a request past it a network failure', async () => {
    const signals: Array<AbortSignal | null | undefined> = [];
    const hanging = authContext(newProfile(), {
      fetch: async (_input, init) => {
        signals.push(init?.signal);
        throw new DOMException('The operation timed out.', 'TimeoutError');
      },
    });
    await expect(discover(hanging, settings)).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('id.example.com') });
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('still points to the settings when discovery is not found', async () => {
    const ctx = authContext(newProfile(), { fetch: async () => new Response('missing', { status: 404 }) });
    await expect(discover(ctx, settings)).rejects.toMatchObject({
      code: 'AUTH_PROVIDER',
      message: expect.stringContaining('Check the provider domain'),
    });
  });

  it('refuses a provider that announces only other signing algorithms, with its own code (AUTH_TOKEN_ALGORITHM)', async () => {
    const ctx = authContext(newProfile(), {
      fetch: serving('https://id.example.com/', { id_token_signing_alg_values_supported: ['HS256', 'ES256'] }),
    });
    const error = await discover(ctx, settings).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AUTH_TOKEN_ALGORITHM',
      message: expect.stringMatching(/^https:\/\/id\.example\.com\/ announces that it signs ID tokens with HS256 ES256 only.*RS256/),
    });
    expect(String((error as Error).message)).not.toContain('Check the provider domain');
  });

  it('accepts a provider that announces RS256 among others', async () => {
    const ctx = authContext(newProfile(), {
      fetch: serving('https://id.example.com/', { id_token_signing_alg_values_supported: ['HS256', 'RS256'] }),
    });
    await expect(discover(ctx, settings)).resolves.toBeDefined();
  });
});
