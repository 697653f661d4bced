// What can be checked of the OpenID Connect provider from outside: its discovery document, its keys, whether
// it accepts the redirect URL, and optionally an ID token it issued. Shared by `npm run doctor` and the options
// page's Check; what each can and cannot tell is in docs/setup.md, with Cognito's own rules.
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JSONWebKeySet, type JWK } from 'jose';
import { loginsKey } from '../settings';
import type { MessageKey } from '../i18n';
import { get, isProviderBusy, networkReason } from './http';
import { atField, result, undecided, type CheckResult, type DoctorContext } from './types';

export type Metadata = Record<string, unknown>;

/** Auth0 lists HS256 beside RS256 for every tenant, so only a token shows what one application uses. */
export const HS256_FAULT = 'the application signs ID tokens with HS256';
export const HS256_FIX =
  'Set it to RS256; in Auth0: Applications → your app → Advanced Settings → OAuth → JSON Web Token Signature Algorithm. ' +
  'Cognito accepts RS256 only and refuses anything else with "Invalid login token".';

const REQUIRED_ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/** `<issuer>/.well-known/openid-configuration`, the issuer's path kept (OpenID Connect Discovery §4). */
export function discoveryUrl(issuer: URL): URL {
  const base = issuer.href.endsWith('/') ? issuer : new URL(`${issuer.href}/`);
  return new URL('.well-known/openid-configuration', base);
}

function stringList(metadata: Metadata, key: string): string[] | undefined {
  const value = metadata[key];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DOMAIN_FIX =
  'Check Provider domain: for Auth0 it is the Domain in Applications → your app → Settings (such as your-tenant.us.auth0.com); ' +
  'an issuer URL with a path must be typed exactly as the provider announces it.';

/** A redirect, as Node shows it (3xx and a Location) or as a page's fetch does (an opaque answer without either). */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

export async function checkDiscovery(ctx: DoctorContext, issuer: URL): Promise<{ check: CheckResult; metadata?: Metadata }> {
  const url = discoveryUrl(issuer);
  const fail = (detail: string, fix: string, message: MessageKey = 'checkDiscoveryNotProvider', ...args: string[]) => ({
    check: atField(result('discovery', 'fail', 'Discovery', detail, fix), 'domain', message, url.href, ...args),
  });
  // The extension (oauth4webapi) does not follow redirects: neither does this check.
  const fetched = await get(ctx.fetch, url, ctx.timeoutMs, { redirect: 'manual' });
  if (!fetched.ok) {
    return fail(
      `${url.href} could not be reached: ${fetched.reason}.`,
      `${DOMAIN_FIX} Check too that this machine can reach it.`,
      'checkDiscoveryUnreachable',
    );
  }
  const { response } = fetched;
  if (isRedirect(response)) {
    const location = response.headers.get('location');
    const target = location ? new URL(location, url).href : 'a place a browser does not show';
    return fail(
      `${url.href} answered a redirect (HTTP ${response.status}) to ${target}.`,
      'The extension does not follow redirects for discovery: enter the issuer that the provider announces at the end of the redirect as Provider domain.',
      'checkDiscoveryRedirect',
    );
  }
  if (response.status === 404) {
    return fail(`${url.href} answered 404 Not Found: no OpenID Connect provider is announced there.`, DOMAIN_FIX);
  }
  if (isProviderBusy(response.status)) {
    const check = result(
      'discovery',
      'warn',
      'Discovery',
      `${url.href} answered HTTP ${response.status}.`,
      'The provider is failing or busy: try again later.',
    );
    return { check: undecided(check, 'checkProviderBusy', url.href, String(response.status)) };
  }
  if (response.status !== 200) {
    return fail(
      `${url.href} answered HTTP ${response.status}.`,
      `The provider failed or refused the request: try again later. ${DOMAIN_FIX}`,
      'checkDiscoveryStatus',
      String(response.status),
    );
  }
  let metadata: unknown;
  try {
    metadata = await response.json();
  } catch {
    metadata = undefined;
  }
  if (!isObject(metadata)) {
    const type = response.headers.get('content-type') ?? 'no content type';
    return fail(`${url.href} answered something other than a JSON discovery document (${type}).`, DOMAIN_FIX);
  }
  const missing = REQUIRED_ENDPOINTS.filter((key) => typeof metadata[key] !== 'string');
  if (missing.length > 0) {
    return {
      check: atField(
        result(
          'discovery',
          'fail',
          'Discovery',
          `${url.href} answered, without ${missing.join(', ')}.`,
          'The extension needs authorization_endpoint, token_endpoint and jwks_uri: this is not an OpenID Connect provider it can sign in with.',
        ),
        'domain',
        'checkDiscoveryNotProvider',
        url.href,
      ),
      metadata,
    };
  }
  return { check: result('discovery', 'pass', 'Discovery', `${url.href} answered.`), metadata };
}

export function checkIssuer(expected: URL, metadata: Metadata): CheckResult {
  const announced = metadata['issuer'];
  if (typeof announced !== 'string' || announced === '') {
    return atField(
      result('issuer', 'fail', 'Issuer', 'the discovery document names no issuer.', DOMAIN_FIX),
      'domain',
      'checkDiscoveryNotProvider',
      discoveryUrl(expected).href,
    );
  }
  if (announced === expected.href) {
    return result('issuer', 'pass', 'Issuer', `${announced}, as expected; Cognito’s Logins key for it is ${loginsKey(announced)}.`);
  }
  // A root issuer without its slash (Google's, Okta's) is the same URL: discovery compares URLs, and the
  // ID token and the Logins key then follow the issuer exactly as announced.
  if (URL.canParse(announced) && new URL(announced).href === expected.href) {
    return result('issuer', 'pass', 'Issuer', `${announced}, the same URL as expected; Cognito’s Logins key for it is ${loginsKey(announced)}.`);
  }
  const detail = `the provider announces ${announced}, but the settings expect ${expected.href}`;
  // Microsoft Entra ID's common and organizations endpoints announce `…/{tenantid}/v2.0`: no one issuer to type.
  if (announced.includes('{')) {
    return atField(
      result(
        'issuer',
        'fail',
        'Issuer',
        `${detail}, a template for several tenants.`,
        'Cognito trusts one issuer: enter your own tenant’s (for Entra ID, https://login.microsoftonline.com/<tenant ID>/v2.0) as Provider domain.',
      ),
      'domain',
      'checkIssuerTemplate',
      announced,
    );
  }
  const trim = (text: string): string => text.replace(/\/+$/, '');
  if (trim(announced) !== trim(expected.href)) {
    return atField(
      result(
        'issuer',
        'fail',
        'Issuer',
        `${detail}.`,
        `Enter ${announced} as Provider domain if that is your provider: the extension compares the issuer exactly, and Cognito’s Logins key (${loginsKey(announced)}) follows from it.`,
      ),
      'domain',
      'checkIssuerMismatch',
      announced,
      expected.href,
    );
  }
  const sameKey = `Cognito’s Logins key is ${loginsKey(announced)} either way, but the extension compares the issuer's URL exactly, and a path's trailing slash is part of it.`;
  return atField(
    result(
      'issuer',
      'fail',
      'Issuer',
      `${detail}: they differ only by the trailing slash.`,
      `Enter ${announced} as Provider domain, ${announced.endsWith('/') ? 'with' : 'without'} the trailing slash. ${sameKey}`,
    ),
    'domain',
    'checkIssuerMismatch',
    announced,
    expected.href,
  );
}

export function checkSigningAlgorithms(metadata: Metadata): { check: CheckResult; offersHs256: boolean } {
  const algs = stringList(metadata, 'id_token_signing_alg_values_supported');
  const title = 'ID token signing';
  if (!algs) {
    return {
      check: result(
        'signing',
        'warn',
        title,
        'the provider does not advertise id_token_signing_alg_values_supported, so RS256 cannot be confirmed from discovery.',
        'Make sure ID tokens are signed with RS256, the only algorithm Cognito accepts; --id-token FILE checks a real token.',
      ),
      offersHs256: false,
    };
  }
  const listed = `id_token_signing_alg_values_supported: ${algs.join(', ') || 'none'}`;
  const offersHs256 = algs.includes('HS256');
  if (algs.includes('RS256')) return { check: result('signing', 'pass', title, `RS256 is offered (${listed}).`), offersHs256 };
  const algorithms = algs.join(', ') || '—';
  if (offersHs256) {
    return {
      check: atField(
        result('signing', 'fail', title, `${HS256_FAULT}: the provider offers HS256 only (${listed}).`, HS256_FIX),
        'domain',
        'checkSigningNotRs256',
        algorithms,
      ),
      offersHs256,
    };
  }
  return {
    check: atField(
      result(
        'signing',
        'fail',
        title,
        `the provider does not offer RS256 (${listed}).`,
        'Cognito verifies ID tokens with RS256 only: configure the provider to sign ID tokens with RS256.',
      ),
      'domain',
      'checkSigningNotRs256',
      algorithms,
    ),
    offersHs256,
  };
}

function isRsaSigningKey(key: JWK): boolean {
  return (
    key.kty === 'RSA' &&
    (key.use === undefined || key.use === 'sig') &&
    (key.alg === undefined || key.alg === 'RS256') &&
    typeof key.n === 'string' &&
    typeof key.e === 'string'
  );
}

export async function checkJwks(ctx: DoctorContext, metadata: Metadata): Promise<{ check: CheckResult; jwks?: JSONWebKeySet }> {
  const title = 'Signing keys';
  const uri = metadata['jwks_uri'];
  const fail = (detail: string, fix: string) => atField(result('jwks', 'fail', title, detail, fix), 'domain', 'checkKeysUnreadable', String(uri));
  if (typeof uri !== 'string') return { check: fail('the discovery document has no jwks_uri.', DOMAIN_FIX) };
  const reachFix = 'Cognito and the extension fetch the provider’s public keys from this URL: it must answer a JSON Web Key Set over https.';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { check: fail(`jwks_uri is not a URL: ${uri}.`, reachFix) };
  }
  const fetched = await get(ctx.fetch, url, ctx.timeoutMs);
  if (!fetched.ok) return { check: fail(`${url.href} could not be reached: ${fetched.reason}.`, reachFix) };
  const { status } = fetched.response;
  if (isProviderBusy(status)) {
    const check = result('jwks', 'warn', title, `${url.href} answered HTTP ${status}.`, 'The provider is failing or busy: try again later.');
    return { check: undecided(check, 'checkProviderBusy', url.href, String(status)) };
  }
  if (status !== 200) return { check: fail(`${url.href} answered HTTP ${status}.`, reachFix) };
  let body: unknown;
  try {
    body = await fetched.response.json();
  } catch {
    body = undefined;
  }
  const keys = isObject(body) && Array.isArray(body['keys']) ? body['keys'].filter(isObject) : undefined;
  if (!keys) return { check: fail(`${url.href} answered something other than a JSON Web Key Set.`, reachFix) };
  const jwks: JSONWebKeySet = { keys: keys as JWK[] };
  const rsa = jwks.keys.filter(isRsaSigningKey);
  if (rsa.length === 0) {
    const kinds = [...new Set(jwks.keys.map((key) => String(key.kty)))].join(', ') || 'no keys at all';
    return {
      check: atField(
        result(
          'jwks',
          'fail',
          title,
          `${url.href} holds no RSA signing key (${kinds}): the provider cannot be signing ID tokens with RS256, the only algorithm Cognito accepts.`,
          'Give the provider an RSA signing key and sign ID tokens with RS256 (every Auth0 tenant has one: check that Provider domain is your tenant).',
        ),
        'domain',
        'checkKeysNoRsa',
        url.href,
      ),
      jwks,
    };
  }
  const kids = rsa.map((key) => key.kid ?? '(no kid)').join(', ');
  return { check: result('jwks', 'pass', title, `${rsa.length} RSA signing key${rsa.length === 1 ? '' : 's'} at ${url.href} (${kids}).`), jwks };
}

/** A raw JWT, or a token response (`{"id_token": ...}`) as saved from a sign-in. */
export function idTokenFrom(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const json: unknown = JSON.parse(trimmed);
    if (isObject(json) && typeof json['id_token'] === 'string') return json['id_token'];
  } catch {
    // not JSON: read as a token, refused below
  }
  return trimmed;
}

export interface IdTokenExpectations {
  issuer: URL;
  /** The settings' client ID; undefined when it is not valid. */
  clientId: string | undefined;
  jwks: JSONWebKeySet | undefined;
  now: number;
}

/** Checks a token the provider issued as Cognito would, except its expiry: alg, signature, iss, aud/azp. */
export async function checkIdToken(token: string, expect: IdTokenExpectations): Promise<CheckResult> {
  const title = 'ID token';
  const fail = (detail: string, fix: string) => result('idToken', 'fail', title, detail, fix);
  let alg: unknown;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    alg = decodeProtectedHeader(token).alg;
    claims = decodeJwt(token);
  } catch {
    return fail(
      'the file does not hold a JWT.',
      'Save the ID token itself (three dot-separated parts), or the token response that carries it as "id_token".',
    );
  }
  if (alg === 'HS256') return fail(`${HS256_FAULT}: this token’s header says alg HS256.`, HS256_FIX);
  if (alg !== 'RS256') {
    return fail(`this token is signed with ${String(alg)}; Cognito accepts RS256 only.`, 'Configure the provider to sign ID tokens with RS256.');
  }
  if (!expect.jwks) return fail('the provider’s keys could not be read, so the signature cannot be checked.', 'See the signing keys check above.');
  try {
    await compactVerify(token, createLocalJWKSet(expect.jwks));
  } catch (error) {
    const reason =
      error instanceof errors.JWKSNoMatchingKey ? 'no key of the provider matches its kid' : 'its signature does not verify with the provider’s keys';
    return fail(
      `the token is RS256, but ${reason}.`,
      'It was issued by another tenant or provider than Provider domain names (or with a key since removed): sign in again and save the new token.',
    );
  }
  if (claims.iss !== expect.issuer.href) {
    return fail(
      `the token was issued by ${String(claims.iss)}, not ${expect.issuer.href}.`,
      'Check Provider domain: the token’s iss must equal the issuer exactly, and Cognito’s Logins key follows from it.',
    );
  }
  const audiences = [claims.aud ?? []].flat();
  const clientId = expect.clientId;
  if (clientId !== undefined && !audiences.includes(clientId) && claims['azp'] !== clientId) {
    return fail(
      `the token was issued for ${audiences.join(', ') || 'no audience'}, not for the client ID ${clientId}.`,
      'Check Client ID: it must be the application that signs people in (and one of the audiences of the provider in the identity pool).',
    );
  }
  const expired = typeof claims.exp === 'number' && claims.exp * 1000 < expect.now;
  const when =
    expired && typeof claims.exp === 'number' ? ` It expired at ${new Date(claims.exp * 1000).toISOString()}, which does not matter here.` : '';
  return result('idToken', 'pass', title, `RS256, its signature verifies with the provider’s keys, and iss and aud match the settings.${when}`);
}

export function checkPkce(metadata: Metadata): CheckResult {
  const title = 'Code flow with PKCE';
  const responseTypes = stringList(metadata, 'response_types_supported');
  if (responseTypes && !responseTypes.includes('code')) {
    return atField(
      result(
        'pkce',
        'fail',
        title,
        `the provider does not offer the authorization code flow (response_types_supported: ${responseTypes.join(', ') || 'none'}).`,
        'The extension signs in with the authorization code flow: enable it (in Auth0: Advanced Settings → Grant Types → Authorization Code).',
      ),
      'domain',
      'checkNoCodeFlow',
    );
  }
  const methods = stringList(metadata, 'code_challenge_methods_supported');
  if (!methods) {
    return result(
      'pkce',
      'warn',
      title,
      'the provider does not advertise code_challenge_methods_supported, so PKCE with S256 cannot be confirmed from discovery.',
      'The extension always sends an S256 code challenge: make sure the provider supports PKCE (Auth0 does for Native applications).',
    );
  }
  if (!methods.includes('S256')) {
    return atField(
      result(
        'pkce',
        'fail',
        title,
        `the provider does not offer PKCE with S256 (code_challenge_methods_supported: ${methods.join(', ') || 'none'}).`,
        'The extension is a public client and always sends an S256 code challenge: enable PKCE with S256 at the provider (plain is not enough).',
      ),
      'domain',
      'checkNoPkce',
      methods.join(', ') || '—',
    );
  }
  return result('pkce', 'pass', title, 'the code flow and S256 code challenges are offered.');
}

export function checkRefresh(metadata: Metadata): CheckResult {
  const title = 'Refresh tokens';
  const grants = stringList(metadata, 'grant_types_supported');
  const scopes = stringList(metadata, 'scopes_supported');
  const missing: string[] = [];
  // RFC 8414 §2: without grant_types_supported, the default is ["authorization_code", "implicit"].
  if (!grants?.includes('refresh_token')) missing.push(grants ? 'the refresh_token grant' : 'the refresh_token grant (no grant_types_supported)');
  if (scopes && !scopes.includes('offline_access')) missing.push('the offline_access scope');
  if (missing.length > 0) {
    return result(
      'refresh',
      'warn',
      title,
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not advertised: without refresh tokens the person signs in again whenever the ID token expires.`,
      'In Auth0: Applications → your app → Settings → Refresh Token Rotation on, and Advanced Settings → Grant Types → Refresh Token.',
    );
  }
  const scopeNote = scopes ? ' and the offline_access scope are' : ' is (scopes_supported is not advertised)';
  return result(
    'refresh',
    'pass',
    title,
    `the refresh_token grant${scopeNote} offered; whether your application gets them is its own setting (Auth0: Refresh Token Rotation).`,
  );
}

export function checkLogout(metadata: Metadata, issuer: URL): CheckResult {
  const title = 'Logout';
  const endpoint = metadata['end_session_endpoint'];
  if (typeof endpoint === 'string') return result('logout', 'pass', title, `end_session_endpoint ${endpoint}.`);
  if (issuer.hostname.endsWith('.auth0.com')) {
    return result(
      'logout',
      'warn',
      title,
      'no end_session_endpoint: the extension falls back to Auth0’s legacy /v2/logout.',
      'In Auth0: Settings → Advanced → turn on "RP-Initiated Logout End Session Endpoint Discovery".',
    );
  }
  return result(
    'logout',
    'warn',
    title,
    'no end_session_endpoint: signing out of the extension will not end the session at the provider, so the next sign-in may skip the login form.',
    'Enable OpenID Connect RP-Initiated Logout at the provider, if it offers it.',
  );
}

/**
 * Whether the provider accepts `redirectUrl` for `clientId`, as far as one request can tell: an authorization
 * request with prompt=none is answered with a redirect to a registered redirect URL (login_required when no
 * one is signed in), and never with a redirect to one it does not know (RFC 6749 §4.1.2.1,
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1): Auth0 and oidc-provider show a 400 error page.
 * Node reads where a redirect goes; a page's fetch only sees that there was one (an opaque answer).
 */
export async function checkRedirectRegistered(ctx: DoctorContext, metadata: Metadata, clientId: string, redirectUrl: string): Promise<CheckResult> {
  const title = `Redirect URL ${redirectUrl}`;
  const endpoint = metadata['authorization_endpoint'];
  if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) {
    return result('redirectRegistered', 'skip', title, 'not checked: the discovery document has no authorization_endpoint.');
  }
  const url = new URL(endpoint);
  const params = {
    client_id: clientId,
    redirect_uri: redirectUrl,
    response_type: 'code',
    scope: 'openid',
    prompt: 'none',
    state: 'settings-check',
    // Any well-formed S256 challenge: no code is ever redeemed.
    code_challenge: 'settings-check-settings-check-settings-check',
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  let response: Response;
  try {
    // No cookies: with a session at the provider, prompt=none would issue a code; without, it says login_required.
    response = await ctx.fetch(url, { redirect: 'manual', credentials: 'omit', signal: AbortSignal.timeout(ctx.timeoutMs) });
  } catch (error) {
    return result(
      'redirectRegistered',
      'warn',
      title,
      `not checked: ${url.origin} could not be reached (${networkReason(error, ctx.timeoutMs)}).`,
      'Run the check again.',
    );
  }
  if (isRedirect(response)) {
    const location = response.headers.get('location');
    if (response.type === 'opaqueredirect' || !location) {
      return result('redirectRegistered', 'pass', title, 'the provider answered with a redirect, which it does only to a registered redirect URL.');
    }
    const target = new URL(location, url);
    if (`${target.origin}${target.pathname}` === redirectUrl) {
      return result('redirectRegistered', 'pass', title, 'registered: the provider redirects to it.');
    }
    return result(
      'redirectRegistered',
      'warn',
      title,
      `the provider redirected to ${target.origin}${target.pathname}, not to this URL, so whether it is registered cannot be told.`,
      'Make sure it is an Allowed Callback URL of the application.',
    );
  }
  if (isProviderBusy(response.status)) {
    const check = result(
      'redirectRegistered',
      'warn',
      title,
      `the provider answered HTTP ${response.status} to a sign-in request, so whether this URL is registered cannot be told.`,
      'The provider is failing or busy: try again later.',
    );
    return undecided(check, 'checkProviderBusy', url.origin, String(response.status));
  }
  if (response.status >= 400 && response.status < 500) {
    return atField(
      result(
        'redirectRegistered',
        'fail',
        title,
        `the provider refused a sign-in request for client ${clientId} with this redirect URL (HTTP ${response.status}).`,
        'Register it as an Allowed Callback URL and an Allowed Logout URL of the application (exactly, trailing slash included), and check Client ID.',
      ),
      'clientId',
      'checkRedirectRefused',
      redirectUrl,
      String(response.status),
    );
  }
  return result(
    'redirectRegistered',
    'warn',
    title,
    `the provider answered HTTP ${response.status} to a sign-in request with prompt=none, so whether this URL is registered cannot be told.`,
    'Make sure it is an Allowed Callback URL of the application.',
  );
}
