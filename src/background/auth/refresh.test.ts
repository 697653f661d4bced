import { describe, expect, it } from 'vitest';
import { authContext, newProfile } from '../../../test/support/auth-context';
import type { TokenSet } from '../../shared/auth-records';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { OidcProvider } from './discovery';
import { httpOptions } from './http';
import { refreshTokens } from './refresh';

const ISSUER = 'https://id.example.com/';

const tokens: TokenSet = {
  issuer: ISSUER,
  clientId: 'client',
  profile: { sub: 'auth0|alice' },
  idToken: 'not used',
  idTokenIssuedAt: 0,
  idTokenExpiresAt: 0,
  nonce: 'n-1',
  refreshToken: 'r-1',
};

/** A renewal against a token endpoint that answers `response`. */
function renewAgainst(response: () => Response): Promise<TokenSet> {
  const ctx = authContext(newProfile(), { fetch: async () => response() });
  const provider: OidcProvider = {
    settings: { ...DEFAULT_SETTINGS, domain: 'id.example.com', clientId: 'client' },
    as: { issuer: ISSUER, token_endpoint: `${ISSUER}oauth/token` },
    client: { client_id: 'client' },
    http: httpOptions(ctx, new URL(ISSUER)),
  };
  return refreshTokens(ctx, provider, tokens, 'r-1');
}

describe('a renewal the provider cannot answer for now', () => {
  it.each([
    ['an HTML error page with 503', () => new Response('<h1>Service Unavailable</h1>', { status: 503, headers: { 'content-type': 'text/html' } })],
    ['temporarily_unavailable', () => Response.json({ error: 'temporarily_unavailable' }, { status: 400 })],
    ['server_error with 500', () => Response.json({ error: 'server_error', error_description: 'try later' }, { status: 500 })],
    ['a rate limit (429)', () => Response.json({ error: 'too_many_requests', error_description: 'Global limit has been reached' }, { status: 429 })],
  ])('is the provider being down, with Try again, not a setting to fix: %s', async (_, response) => {
    await expect(renewAgainst(response)).rejects.toMatchObject({
      code: 'AUTH_PROVIDER_DOWN',
      message: expect.stringContaining('try again in a few minutes'),
    });
  });

  it('still names the provider’s refusal of a bad request, and a spent refresh token asks for a sign-in', async () => {
    await expect(renewAgainst(() => Response.json({ error: 'invalid_request' }, { status: 400 }))).rejects.toMatchObject({ code: 'AUTH_PROVIDER' });
    await expect(renewAgainst(() => Response.json({ error: 'invalid_grant' }, { status: 400 }))).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });
});
