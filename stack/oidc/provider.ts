// The OpenID Connect provider: oidc-provider (OpenID Certified) configured like an Auth0 tenant with one
// Native application — Auth0's routes, RS256, PKCE, refresh tokens with rotation, no consent screen.
import { randomBytes } from 'node:crypto';
import Provider, { interactionPolicy } from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { isExtensionOrigin } from '../cors';
import { escapeHtml, htmlPage } from '../html';
import { accountBySub } from './users';

export const CLIENT_ID = 'local-extension';
/** HS256 signs with the client secret, so the deliberately misconfigured client needs one. */
const HS256_CLIENT_SECRET = 'local-extension-hs256-secret-do-not-use-anywhere';

/** Auth0's paths (discovery is always /.well-known/openid-configuration). */
export const ROUTES = {
  authorization: '/authorize',
  token: '/oauth/token',
  jwks: '/.well-known/jwks.json',
  userinfo: '/userinfo',
  revocation: '/oauth/revoke',
  end_session: '/oidc/logout',
} as const;

const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', signed: true } as const;

export interface IdentityProviderOptions {
  issuer: string;
  redirectUris: string[];
  signingKey: JWK;
  idTokenAlg: 'RS256' | 'HS256';
  /** Seconds. */
  ttl: { idToken: number; accessToken: number; refreshToken: number; session: number };
  avatarUrl(username: string): string;
}

async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    provider.Grant.adapter.destroy(grantId),
  ]);
}

/**
 * Auth0's /oidc/logout ends the session and redirects at once, where oidc-provider would ask for a click.
 * Called with the confirmation form; does what its confirmation step does instead (revoke the session's
 * grants, destroy the session, clear its cookie, redirect).
 */
async function logoutWithoutConfirmation(ctx: KoaContextWithOIDC): Promise<void> {
  const { provider, session } = ctx.oidc;
  if (!session) throw new Error('rpInitiatedLogout renders its form only with a session');
  const state = session.state ?? {};
  const grantIds = Object.values(session.authorizations ?? {}).flatMap(({ grantId }) => (grantId ? [grantId] : []));
  await Promise.all(grantIds.map((grantId) => revokeGrant(provider, grantId)));
  await session.destroy();
  ctx.cookies.set(provider.cookieName('session'), null, COOKIE_OPTIONS);

  const postLogout = state['postLogoutRedirectUri'];
  const target = new URL(typeof postLogout === 'string' ? postLogout : ctx.oidc.urlFor('end_session_success'));
  if (typeof postLogout === 'string' && typeof state['state'] === 'string') target.searchParams.set('state', state['state']);
  ctx.status = 303;
  ctx.redirect(target.href);
}

/**
 * oidc-provider asks a native client's user for consent on every authorization (native_client_prompt), which
 * also makes prompt=none fail. Auth0 skips consent for first-party applications: so does this provider.
 */
function firstPartyPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');
  return policy;
}

export function createIdentityProvider(options: IdentityProviderOptions): Provider {
  const { ttl } = options;
  const configuration: Configuration = {
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: 'Cognito Sync extension (local)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.redirectUris,
        id_token_signed_response_alg: options.idTokenAlg,
        ...(options.idTokenAlg === 'HS256' ? { client_secret: HS256_CLIENT_SECRET } : {}),
      },
    ],
    jwks: { keys: [options.signingKey] },
    enabledJWA: { idTokenSigningAlgValues: [options.idTokenAlg] },
    routes: ROUTES,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name', 'nickname', 'picture'], email: ['email', 'email_verified'] },
    // Auth0 puts the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const account = accountBySub(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: account.name,
          nickname: account.username,
          picture: options.avatarUrl(account.username),
          email: account.email,
          email_verified: true,
        }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      // A client revokes its own tokens only (RFC 7009 §2.1); a foreign token is silently ignored.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: logoutWithoutConfirmation,
        postLogoutSuccessSource(ctx) {
          ctx.body = htmlPage('Signed out', '<h1>Signed out</h1><p>You can close this window.</p>');
        },
      },
    },
    interactions: { policy: firstPartyPolicy() },
    // First-party application: consent is implied. The grant follows whatever is asked, so no consent prompt
    // shows and prompt=none never stops at consent_required.
    async loadExistingGrant(ctx) {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      const grant =
        existing?.accountId === session.accountId ? existing : new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(ctx.oidc.requestParamScopes);
      grant.addOIDCClaims(ctx.oidc.requestParamClaims);
      await grant.save();
      return grant;
    },
    // oidc-provider removes offline_access from any authorization request without prompt=consent (OpenID
    // Connect Core §11) before this hook could see it; Auth0 keeps it. The extension always asks for it, so
    // the client gets a refresh token on every code exchange.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    rotateRefreshToken: true,
    clientBasedCORS: (_ctx, origin) => isExtensionOrigin(origin),
    cookies: { keys: [randomBytes(32).toString('hex')], long: COOKIE_OPTIONS, short: COOKIE_OPTIONS },
    ttl: {
      AccessToken: ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      Session: ttl.session,
      Interaction: 3600,
      Grant: Math.max(ttl.refreshToken, ttl.session),
    },
    renderError(ctx, out) {
      const details = Object.entries(out)
        .map(([key, value]) => `<pre><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</pre>`)
        .join('');
      ctx.type = 'html';
      ctx.body = htmlPage('Sign-in error', `<h1>Something went wrong</h1>${details}`);
    },
  };
  return new Provider(options.issuer, configuration);
}
