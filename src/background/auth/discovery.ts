// The provider's OpenID Connect metadata, discovered once a day and kept in storage.local (it is public).
import * as oauth from 'oauth4webapi';
import { AppError } from '../../shared/errors';
import { isObject } from '../../shared/guards';
import { t } from '../../shared/i18n';
import { issuerFromDomain, type Settings } from '../../shared/settings';
import type { Context } from '../platform/context';
import { isNetworkFailure, isProviderBusy, networkError, providerDown } from './auth-errors';
import { httpOptions, type HttpOptions } from './http';

const DISCOVERY_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Seconds of clock difference tolerated on `exp`/`iat`/`nbf`. */
export const CLOCK_TOLERANCE_S = 60;

export interface OidcProvider {
  settings: Settings;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  http: HttpOptions;
}

/** The issuer a discovery document announced, when oauth4webapi refused it for not being the one asked for. */
function issuerAnnounced(error: unknown): string | undefined {
  if (!(error instanceof oauth.OperationProcessingError) || error.code !== oauth.JSON_ATTRIBUTE_COMPARISON) return undefined;
  const { cause } = error;
  if (!isObject(cause) || cause['attribute'] !== 'issuer' || !isObject(cause['body'])) return undefined;
  const announced = cause['body']['issuer'];
  return typeof announced === 'string' ? announced : undefined;
}

function discoveryError(issuer: URL, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isNetworkFailure(error)) return networkError(issuer.href, error);
  // oauth4webapi keeps the response of an unexpected status as the cause: a 5xx is the provider's trouble.
  const response = error instanceof Error ? error.cause : undefined;
  if (response instanceof Response && isProviderBusy(response.status)) return providerDown(issuer.href, response.status, error);
  // The provider answered as another issuer: the one to type, unless it is a template for several tenants.
  const announced = issuerAnnounced(error);
  if (announced !== undefined) {
    const key = announced.includes('{') ? 'errorIssuerTemplate' : 'errorIssuerMismatch';
    return new AppError('AUTH_PROVIDER', t(key, [issuer.href, announced]), { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('AUTH_PROVIDER', t('errorDiscovery', [issuer.href, reason]), { cause: error });
}

/** Metadata read back from the cache goes through the same checks as a fresh answer. */
async function fromCache(ctx: Context, issuer: URL): Promise<oauth.AuthorizationServer | undefined> {
  const cached = await ctx.items.discovery.get();
  if (!cached || cached.issuer !== issuer.href || ctx.now() - cached.fetchedAt > DISCOVERY_MAX_AGE_MS) return undefined;
  try {
    return await oauth.processDiscoveryResponse(issuer, Response.json(cached.metadata));
  } catch {
    return undefined;
  }
}

async function fetchMetadata(ctx: Context, issuer: URL, http: HttpOptions): Promise<oauth.AuthorizationServer> {
  try {
    // The issuer keeps its trailing slash: `${issuer}/.well-known/...` would double it (docs/worker.md).
    const response = await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' });
    const as = await oauth.processDiscoveryResponse(issuer, response);
    await ctx.items.discovery.set({ issuer: issuer.href, fetchedAt: ctx.now(), metadata: { ...as } });
    return as;
  } catch (error) {
    throw discoveryError(issuer, error);
  }
}

export async function requireSettings(ctx: Context): Promise<Settings> {
  const settings = await ctx.items.settings.get();
  if (!settings) throw new AppError('NOT_CONFIGURED', t('errorNotConfigured'));
  return settings;
}

/** The provider of the given settings, with its metadata checked against the issuer they name. */
export async function discover(ctx: Context, settings: Settings): Promise<OidcProvider> {
  const issuer = issuerFromDomain(settings.domain);
  if (!issuer) throw new AppError('NOT_CONFIGURED', t('errorNotConfigured'));
  const http = httpOptions(ctx, issuer);
  const as = (await fromCache(ctx, issuer)) ?? (await fetchMetadata(ctx, issuer, http));
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof as[endpoint] !== 'string') {
      throw new AppError('AUTH_PROVIDER', t('errorDiscoveryNoEndpoint', [issuer.href, endpoint]));
    }
  }
  // Before any window opens: a provider that says it signs with other algorithms only cannot sign us in.
  const algorithms = as.id_token_signing_alg_values_supported;
  if (Array.isArray(algorithms) && !algorithms.includes('RS256')) {
    throw new AppError('AUTH_TOKEN_ALGORITHM', t('errorDiscoveryAlgorithm', [issuer.href, algorithms.join(' ')]));
  }
  const client: oauth.Client = {
    client_id: settings.clientId,
    // Cognito accepts RS256 only; an HS256 token is refused here, with a message saying what to change.
    id_token_signed_response_alg: 'RS256',
    [oauth.clockTolerance]: CLOCK_TOLERANCE_S,
  };
  return { settings, as, client, http };
}
