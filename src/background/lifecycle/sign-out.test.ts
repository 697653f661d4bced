import type { AuthorizationServer } from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { authContext, newProfile } from '../../../test/support/auth-context';
import type { TokenSet } from '../../shared/auth-records';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { OidcProvider } from '../auth/discovery';
import { httpOptions } from '../auth/http';
import { endSessionUrl } from './sign-out';

const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/';

function provider(as: AuthorizationServer): OidcProvider {
  const settings = { ...DEFAULT_SETTINGS, clientId: 'client1' };
  return { settings, as, client: { client_id: 'client1' }, http: httpOptions(authContext(newProfile()), new URL(as.issuer)) };
}

const tokens: TokenSet = {
  issuer: 'https://id.example.com/',
  clientId: 'client1',
  profile: { sub: 'u1' },
  idToken: 'id-token',
  idTokenIssuedAt: 0,
  idTokenExpiresAt: 1,
  nonce: 'n',
};

describe('the provider logout the sign-out goes through', () => {
  it('is RP-initiated logout where the provider announces one', () => {
    const url = endSessionUrl(
      provider({ issuer: 'https://id.example.com/', end_session_endpoint: 'https://id.example.com/logout' }),
      tokens,
      REDIRECT,
    );
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      client_id: 'client1',
      id_token_hint: 'id-token',
      post_logout_redirect_uri: REDIRECT,
    });
  });

  it('takes a Cognito user pool’s own parameters at its domain’s /logout', () => {
    const as = {
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC',
      end_session_endpoint: 'https://my-app.auth.eu-west-1.amazoncognito.com/logout',
    };
    const url = endSessionUrl(provider(as), { ...tokens, issuer: as.issuer }, REDIRECT);
    expect(url?.origin).toBe('https://my-app.auth.eu-west-1.amazoncognito.com');
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({ client_id: 'client1', logout_uri: REDIRECT });
  });

  it('is Auth0’s /v2/logout for an Auth0 tenant that announces none, and nothing for another provider', () => {
    const auth0 = endSessionUrl(provider({ issuer: 'https://tenant.eu.auth0.com/' }), tokens, REDIRECT);
    expect(auth0?.href).toBe(`https://tenant.eu.auth0.com/v2/logout?client_id=client1&returnTo=${encodeURIComponent(REDIRECT)}`);
    expect(endSessionUrl(provider({ issuer: 'https://id.example.com/' }), tokens, REDIRECT)).toBeUndefined();
  });
});
