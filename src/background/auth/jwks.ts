// The provider's signing keys (its JWKS), kept in storage.local (they are public) and fetched again at once
// when a token names a key we do not hold: providers rotate keys, and a rotated key must work right away.
import * as jose from 'jose';
import type { JwksRecord } from '../../shared/auth-records';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Context } from '../platform/context';
import { isNetworkFailure, isProviderBusy, networkError, providerDown } from './auth-errors';

/** How long the stored keys serve without asking the provider (jose's default for a remote key set). */
export const JWKS_MAX_AGE_MS = 10 * 60 * 1000;
/**
 * The bound on fetches a token can cause: a key id still unknown after a fetch is not asked for again for
 * this long. Every other unknown key id costs one fetch, and a verification never more than one.
 */
export const UNKNOWN_KID_RETRY_MS = 60 * 1000;
const FETCH_TIMEOUT_MS = 5000;

/**
 * Every fetch of the keys goes past the browser's HTTP cache (`cache: 'reload'`): storage.local is our cache,
 * and providers serve their JWKS with a max-age of minutes to hours, during which a cached answer would
 * hide a rotated key (and keep a withdrawn one). 'reload' also puts the fresh answer in the HTTP cache.
 * https://developer.mozilla.org/docs/Web/API/Request/cache
 */
async function fetchKeys(ctx: Context, jwksUri: string): Promise<JwksRecord> {
  let response: Response;
  try {
    response = await ctx.fetch(jwksUri, {
      method: 'GET',
      headers: { accept: 'application/json, application/jwk-set+json' },
      credentials: 'omit',
      cache: 'reload',
      redirect: 'manual',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (cause) {
    throw isNetworkFailure(cause) ? networkError(jwksUri, cause) : cause;
  }
  if (isProviderBusy(response.status)) throw providerDown(jwksUri, response.status);
  const body: unknown = response.status === 200 ? await response.json().catch(() => undefined) : undefined;
  const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  // The address comes from the provider's own discovery document: no setting here changes it, and the message
  // says to try again later. (Its 5xx and 429 are told above as the provider being down or busy.)
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null)) {
    throw new AppError('AUTH_PROVIDER_DOWN', t('errorJwks', [jwksUri, String(response.status)]));
  }
  return { jwksUri, jwks: { keys: keys as Record<string, unknown>[] }, uat: ctx.now() };
}

function unknownKey(kid: string | undefined, jwksUri: string): AppError {
  return new AppError('AUTH_TOKEN_UNKNOWN_KEY', t('errorIdTokenUnknownKey', [kid ?? '-', jwksUri]));
}

/**
 * The key the token names, or undefined when the set has none for it. Several keys fit a token without `kid`
 * (a provider that names no keys, publishing its next key beside the current one): jose leaves the choice to
 * the caller, and the key is the one the token's signature verifies with. With none: undefined, so that the
 * keys are fetched again (a key published since), or, with `orFirst` (they were just fetched), the first, so
 * that the verification fails as a bad signature does.
 */
async function find(
  record: JwksRecord,
  header: jose.JWSHeaderParameters,
  token: jose.FlattenedJWSInput,
  orFirst = false,
): Promise<jose.CryptoKey | undefined> {
  const verifies = (key: jose.CryptoKey): Promise<boolean> =>
    jose.flattenedVerify(token, key).then(
      () => true,
      () => false,
    );
  try {
    const key = await jose.createLocalJWKSet(record.jwks as jose.JSONWebKeySet)(header, token);
    // Without a `kid`, jose takes the one key of the set without checking it: once the provider has replaced
    // that key (naming neither), the stored one fails, and the provider's current keys are wanted, as for an
    // unknown `kid`. Just fetched (`orFirst`), it is the key, and a failure is the signature's.
    if (header.kid === undefined && !orFirst && !(await verifies(key))) return undefined;
    return key;
  } catch (error) {
    if (error instanceof jose.errors.JWKSNoMatchingKey) return undefined;
    if (!(error instanceof jose.errors.JWKSMultipleMatchingKeys)) throw error;
    let first: jose.CryptoKey | undefined;
    for await (const key of error) {
      first ??= key;
      if (await verifies(key)) return key;
    }
    return orFirst ? first : undefined;
  }
}

/**
 * A key resolver for `jose.jwtVerify`: the stored keys while fresh; when the token's `kid` is not among
 * them, the provider's current keys, fetched at once and stored (also when they lack it too, with the
 * miss noted so that the same unknown `kid` costs no fetch for UNKNOWN_KID_RETRY_MS).
 */
export function providerKeys(ctx: Context, jwksUri: string): jose.JWTVerifyGetKey {
  return async (header, token) => {
    const kid = header.kid ?? '';
    const stored = await ctx.items.jwks.get();
    const age = stored?.jwksUri === jwksUri ? ctx.now() - stored.uat : Number.NaN;
    let record: JwksRecord | undefined = age >= 0 && age < JWKS_MAX_AGE_MS ? stored : undefined;
    let fetched = false;
    let key = record && (await find(record, header, token));
    const missedLately = record?.missed?.kid === kid && ctx.now() - record.missed.at < UNKNOWN_KID_RETRY_MS;
    if (!key && !missedLately) {
      record = await fetchKeys(ctx, jwksUri);
      fetched = true;
      await ctx.items.jwks.set(record);
      key = await find(record, header, token, true);
    }
    if (key) return key;
    if (fetched && record) await ctx.items.jwks.set({ ...record, missed: { kid, at: ctx.now() } });
    throw unknownKey(header.kid, jwksUri);
  };
}
