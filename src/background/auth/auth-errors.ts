// Third-party failures of a sign-in, wrapped once into AppError with a code the pages switch on.
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { AppError } from '../../shared/errors';
import { isProviderBusy } from '../../shared/checks/http';
import { t } from '../../shared/i18n';

/** Errors of a redirect's `error` parameter, per OpenID Connect Core §3.1.2.6. */
const NEEDS_PERSON = new Set(['login_required', 'consent_required', 'interaction_required', 'account_selection_required']);
/** The provider failing for now, per OAuth 2.0 (RFC 6749 §4.1.2.1, §5.2 as providers use it): try again later. */
const PROVIDER_TROUBLE = new Set(['server_error', 'temporarily_unavailable']);
export { isProviderBusy };

/** The provider at `url` answered one of those: a moment's trouble, with Try again, not a setting to change. */
export function providerDown(url: string, status: number, cause?: unknown): AppError {
  return new AppError('AUTH_PROVIDER_DOWN', t(status === 429 ? 'errorProviderRateLimited' : 'errorProviderDown', [url, String(status)]), { cause });
}
/**
 * Auth0's `access_denied` for an audience that names no API of the tenant ("Service not found: <audience>", or
 * "Service not enabled" for one the application may not use): the Audience setting, not the person's account.
 */
const UNKNOWN_AUDIENCE = /^Service not (found|enabled)/i;

/** `scope`: what the request asked for, named when the provider refuses it. */
export function authorizationError(error: string, description: string | undefined, scope?: string): AppError {
  const detail = description ? `${error}: ${description}` : error;
  if (error === 'access_denied' && description && UNKNOWN_AUDIENCE.test(description)) {
    return new AppError('AUTH_PROVIDER', t('errorAuthAudienceUnknown', detail));
  }
  if (error === 'access_denied') return new AppError('AUTH_DENIED', t('errorAuthDenied', detail));
  if (error === 'invalid_scope') return new AppError('AUTH_SCOPE_REFUSED', t('errorScopeRefused', [scope ?? '?', detail]));
  if (NEEDS_PERSON.has(error)) return new AppError('AUTH_REQUIRED', t('errorAuthRequired'), { cause: detail });
  if (PROVIDER_TROUBLE.has(error)) return new AppError('AUTH_PROVIDER_DOWN', t('errorProviderTrouble', detail));
  return new AppError('AUTH_PROVIDER', t('errorAuthProvider', detail));
}

/**
 * `identity.launchWebAuthFlow` rejects with a sentence, not a code; Chrome and Firefox word it differently.
 * Chrome: "The user did not approve access." / "User interaction required."
 * Firefox: "User cancelled or denied access." / "Requires user interaction".
 * Chrome says "Authorization page could not be loaded." when the provider's page does not load: offline, the
 * provider unreachable, but also any error page (a 400 for an unknown client ID or redirect URI). So it is a
 * network failure only when the browser says it is offline (`online`); `url` is that page.
 */
export function webAuthFlowError(error: unknown, url?: string, online = true): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (/did not approve|cancell?ed|denied/i.test(message)) return new AppError('AUTH_CANCELLED', t('errorAuthCancelled'), { cause: error });
  // Chrome runs one flow per extension at a time, with a window or without: "Only one web auth flow is allowed at
  // a time." A window refused while only flows without one run is not sent here (web-auth-flows.ts).
  if (/only one web auth flow/i.test(message)) return new AppError('AUTH_WINDOW_OPEN', t('errorAuthWindowOpen'), { cause: error });
  if (/interaction required|requires user interaction/i.test(message)) {
    return new AppError('AUTH_REQUIRED', t('errorAuthRequired'), { cause: error });
  }
  if (/could not be loaded/i.test(message) && !online) return networkError(url, error);
  // Online, the page that did not load is the provider's error page: Auth0 answers an unknown client ID or a
  // redirect URL it does not allow with a 400 page, which Chrome's window never shows.
  const asked = /could not be loaded/i.test(message) ? authorizeRequest(url) : undefined;
  if (asked) return new AppError('AUTH_PROVIDER', t('errorAuthPageRefused', [asked.host, asked.redirectUri, asked.clientId]), { cause: error });
  return new AppError('AUTH_PROVIDER', t('errorAuthWindow', message), { cause: error });
}

/** The provider's host, and the redirect URL and client ID an authorization request named. */
function authorizeRequest(url: string | undefined): { host: string; redirectUri: string; clientId: string } | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const redirectUri = parsed.searchParams.get('redirect_uri');
  const clientId = parsed.searchParams.get('client_id');
  return redirectUri && clientId ? { host: parsed.host, redirectUri, clientId } : undefined;
}

function hostOf(url: string | undefined): string {
  try {
    return url ? new URL(url).host : '';
  } catch {
    return url ?? '';
  }
}

/** A fetch that never got an answer: a TypeError in browsers and Node alike. */
export function isNetworkFailure(error: unknown): boolean {
  return (
    error instanceof TypeError || (error instanceof Error && error.name === 'AbortError') || (error instanceof Error && error.name === 'TimeoutError')
  );
}

export function networkError(url: string | undefined, cause: unknown): AppError {
  return new AppError('NETWORK', t('errorNetwork', hostOf(url) || url || '?'), { cause });
}

/** What a token was checked against: the provider's issuer and our client id. */
export interface TokenExpectations {
  issuer: string;
  clientId: string;
}

interface ClaimsCause {
  claim?: unknown;
  claims?: Record<string, unknown>;
  header?: { alg?: unknown };
}

function causeOf(error: oauth.OperationProcessingError): ClaimsCause {
  const cause: unknown = error.cause;
  return typeof cause === 'object' && cause !== null ? (cause as ClaimsCause) : {};
}

/** A claim value for a sentence: a string or a list of strings, never the claim's whole JSON. */
function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').join(' ');
  return '-';
}

export function idTokenAlgorithmError(alg: string, cause: unknown): AppError {
  if (alg.toLowerCase() === 'none') return new AppError('AUTH_TOKEN_UNSIGNED', t('errorIdTokenUnsigned'), { cause });
  return new AppError('AUTH_TOKEN_ALGORITHM', t('errorIdTokenAlgorithm', alg), { cause });
}

/** A claim that did not match what this sign-in expects, as the code and sentence of its own cause. */
export function claimError(claim: string, claims: Record<string, unknown>, expected: TokenExpectations, cause?: unknown): AppError {
  switch (claim) {
    case 'nonce':
      return new AppError('AUTH_NONCE_MISMATCH', t('errorAuthNonceMismatch'), { cause });
    case 'iss':
      return new AppError('AUTH_TOKEN_ISSUER', t('errorIdTokenWrongIssuer', [claimText(claims['iss']), expected.issuer]), { cause });
    case 'aud': {
      const audiences = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
      // Our client id among others, and no `azp` to say which of them the token is for (OIDC Core §3.1.3.7).
      if (audiences.includes(expected.clientId) && claims['azp'] === undefined) {
        return new AppError('AUTH_TOKEN_NO_AZP', t('errorIdTokenNoAzp', claimText(audiences.filter((aud) => aud !== expected.clientId))), { cause });
      }
      return new AppError('AUTH_TOKEN_AUDIENCE', t('errorIdTokenWrongAudience', [claimText(claims['aud']), expected.clientId]), { cause });
    }
    case 'azp':
      return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenWrongAzp', [claimText(claims['azp']), expected.clientId]), { cause });
    case 'exp':
      return new AppError('AUTH_TOKEN_EXPIRED', t('errorIdTokenExpired'), { cause });
    // Not valid yet, or issued later than now, by this computer's clock: the clock, not the settings.
    case 'nbf':
    case 'iat':
      return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenIssuedInFuture'), { cause });
    default:
      return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenUnexpectedClaim', claim), { cause });
  }
}

/**
 * Wraps what oauth4webapi throws while exchanging or refreshing tokens. `grant`: which request failed, the
 * authorization code's exchange or a refresh.
 */
export function tokenError(
  error: unknown,
  endpoint: string | undefined,
  redirectUri: string,
  expected: TokenExpectations,
  grant: 'code' | 'refresh' = 'refresh',
): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const detail = error.error_description ? `${error.error}: ${error.error_description}` : error.error;
    // A used, revoked or expired refresh token: only a new sign-in helps.
    if (error.error === 'invalid_grant' && grant === 'refresh') return new AppError('AUTH_REQUIRED', t('errorAuthRequired'), { cause: error });
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
      return new AppError('AUTH_PROVIDER', t('errorAuthClient', [detail, redirectUri]), { cause: error });
    }
    if (PROVIDER_TROUBLE.has(error.error) || isProviderBusy(error.status)) {
      return new AppError('AUTH_PROVIDER_DOWN', t('errorProviderTrouble', detail), { cause: error });
    }
    return new AppError('AUTH_PROVIDER', t('errorAuthProvider', detail), { cause: error });
  }
  // oauth4webapi keeps the response of an unexpected status (an HTML error page, say) as the cause.
  const response = error instanceof Error ? error.cause : undefined;
  if (response instanceof Response && isProviderBusy(response.status)) return providerDown(endpoint ?? '?', response.status, error);
  if (error instanceof oauth.OperationProcessingError) {
    const cause = causeOf(error);
    const claim = typeof cause.claim === 'string' ? cause.claim : undefined;
    if (
      error.code === oauth.JWT_CLAIM_COMPARISON ||
      (error.code === oauth.JWT_TIMESTAMP_CHECK && (claim === 'exp' || claim === 'nbf' || claim === 'iat'))
    ) {
      return claimError(claim ?? '?', cause.claims ?? {}, expected, error);
    }
    if (error.code === oauth.JWT_TIMESTAMP_CHECK) {
      return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenInvalid', error.message), { cause: error });
    }
    if (typeof cause.header?.alg === 'string') return idTokenAlgorithmError(cause.header.alg, error);
    if (/id_token|JWT/i.test(error.message)) {
      return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenInvalid', error.message), { cause: error });
    }
    return new AppError('AUTH_PROVIDER', t('errorAuthProvider', error.message), { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new AppError('AUTH_PROVIDER', t('errorAuthClient', [error.message, redirectUri]), { cause: error });
  }
  if (isNetworkFailure(error)) return networkError(endpoint, error);
  return new AppError('AUTH_PROVIDER', t('errorAuthProvider', error instanceof Error ? error.message : String(error)), { cause: error });
}

/** Wraps what jose throws while verifying an ID token. */
export function joseError(error: unknown, expected: TokenExpectations & { jwksUri: string }): AppError {
  const { jwksUri } = expected;
  if (error instanceof AppError) return error;
  if (error instanceof jose.errors.JWTExpired) return claimError('exp', error.payload, expected, error);
  if (error instanceof jose.errors.JWTClaimValidationFailed) return claimError(error.claim, error.payload, expected, error);
  if (error instanceof jose.errors.JWSSignatureVerificationFailed)
    return new AppError('AUTH_TOKEN_SIGNATURE', t('errorIdTokenSignature'), { cause: error });
  if (error instanceof jose.errors.JOSEAlgNotAllowed) {
    return idTokenAlgorithmError(String(error.message.match(/"(\w+)"/)?.[1] ?? 'an algorithm other than RS256'), error);
  }
  if (error instanceof jose.errors.JOSEError) {
    // A JWKS that could not be fetched is a network problem, not a bad token.
    if (error instanceof jose.errors.JWKSTimeout) return networkError(jwksUri, error);
    return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenInvalid', error.message), { cause: error });
  }
  if (isNetworkFailure(error)) return networkError(jwksUri, error);
  return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenInvalid', error instanceof Error ? error.message : String(error)), { cause: error });
}
