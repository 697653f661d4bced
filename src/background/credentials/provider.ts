// AWS credentials for the rest of the worker, as an AWS SDK credential provider. Cached in
// storage.session, renewed ahead of expiry, fetched under one lock so concurrent callers share a request.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CredentialsRecord } from '../../shared/auth-records';
import { AppError, serializeError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { endpointsOf, loginsKey, type Settings } from '../../shared/settings';
import { requireSettings } from '../auth/discovery';
import {
  forgetIdentityId,
  recallIdentityId,
  recordRefusedIdentity,
  rememberIdentityId,
  settleIdentityMoves,
  type IdentityKey,
} from '../auth/identity-ids';
import { credentialsMatch } from '../auth/machine';
import { dispatch, storeCredentials } from '../auth/records';
import { isDue, retryRenewalLater, scheduleRenewal } from '../auth/schedule';
import { validIdToken } from '../auth/tokens';
import { ALARMS } from '../platform/alarms';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';
import { expiryHere } from './aws-clock';
import { basicFlowCredentials } from './basic-flow';
import { getCredentialsForIdentity, getId, type CognitoFailure, type CognitoTarget } from './cognito';
import { withHostAccess } from '../platform/host-access';

export interface AwsIdentity {
  identityId: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** The access key id of the credentials stored now (undefined when none are). */
  storedKeyId(): Promise<string | undefined>;
  /**
   * AWS called the credentials expired (ExpiredTokenException) while they had time left on this computer's
   * clock: replaces those stored, unless they are no longer `refused` (another caller replaced them, or the
   * renewal did), and drops the clients that hold the old ones.
   */
  replaceExpired(refused: string | undefined): Promise<void>;
}

function authRequired(): AppError {
  return new AppError('AUTH_REQUIRED', t('errorAuthRequired'));
}

/** The longest token Cognito Identity takes in `Logins` (docs/worker.md, "Facts the worker relies on"). */
const COGNITO_MAX_TOKEN_LENGTH = 50_000;

/** Refused here, with its cause, rather than by Cognito with a validation error about `logins`. */
function assertTokenFits(idToken: string): void {
  if (idToken.length <= COGNITO_MAX_TOKEN_LENGTH) return;
  throw new AppError('AUTH_TOKEN_TOO_LARGE', t('errorIdTokenTooLarge', [String(idToken.length), String(COGNITO_MAX_TOKEN_LENGTH)]));
}

/** GetId when no id is remembered, then GetCredentialsForIdentity; each recoverable failure is retried once. */
async function fetchCredentials(ctx: Context, settings: Settings): Promise<CredentialsRecord> {
  let tokens = await validIdToken(ctx);
  const { region, cognitoIdentity: endpoint } = endpointsOf(settings);
  const provider = loginsKey(tokens.issuer);
  const key: IdentityKey = { identityPoolId: settings.identityPoolId, provider, sub: tokens.profile.sub };
  // The worker's one client for this region and endpoint (platform/aws-clients.ts).
  const client = ctx.aws.cognitoIdentity({ region, endpoint });
  let identityId = await recallIdentityId(ctx, key);
  let renewedToken = false;
  let askedAgain = false;
  for (;;) {
    assertTokenFits(tokens.idToken);
    const target: CognitoTarget = {
      client,
      identityPoolId: settings.identityPoolId,
      endpoint,
      logins: { [provider]: tokens.idToken },
      provider,
      clientId: settings.clientId,
      accountId: settings.accountId,
    };
    let failure: CognitoFailure;
    const id = identityId ? { ok: true as const, value: identityId } : await getId(target);
    if (id.ok) {
      identityId = id.value;
      await rememberIdentityId(ctx, key, identityId, tokens.profile.email);
      // A role ARN in the settings chooses the basic (classic) flow.
      const result = settings.roleArn
        ? await basicFlowCredentials(ctx, settings, target, identityId)
        : await getCredentialsForIdentity(target, identityId);
      if (result.ok) {
        // An identity refused for this login before: what this browser holds for it goes to this one, at the next sync.
        if (await settleIdentityMoves(ctx, key, identityId)) {
          void Promise.resolve(ctx.alarms.create(ALARMS.syncDebounce, { when: ctx.now() })).catch(() => undefined);
        }
        const now = ctx.now();
        const { answeredAt, expiresAt, ...credentials } = result.value;
        // On this computer's clock, which renewal and the AWS SDK compare it with (aws-clock.ts).
        return { ...key, identityId, ...credentials, expiresAt: expiryHere(expiresAt, answeredAt, now), obtainedAt: now };
      }
      failure = result.failure;
    } else {
      failure = id.failure;
    }
    if (failure.kind === 'tokenExpired' && !renewedToken) {
      renewedToken = true;
      tokens = await validIdToken(ctx, { force: true });
      // Someone else signed in meanwhile: their credentials, from the start, never this login's identity for them.
      if (tokens.profile.sub !== key.sub || loginsKey(tokens.issuer) !== key.provider) return fetchCredentials(ctx, settings);
    } else if (failure.kind === 'tokenExpired') {
      // The ID token was just renewed and Cognito still calls it expired: a clock (ours, the provider's) off
      // (Cognito allows no skew past `exp`), or a provider issuing short-lived tokens. A new sign-in would
      // get the same kind of token, so this is not AUTH_REQUIRED (which only a recorded 'needsSignIn'
      // may throw): the state shows why, and renewal tries again in a minute.
      await retryRenewalLater(ctx);
      throw new AppError('AUTH_INVALID_TOKEN', t('errorCognitoTokenExpired'), { cause: failure.error });
    } else if (failure.kind === 'identityNotFound' && !askedAgain) {
      // The identity was deleted from the pool, disabled or merged into another: forget it and ask GetId which
      // identity the login has now (the same one again when disabled: then its refusal is the answer).
      askedAgain = true;
      // Kept before the id is forgotten: a GetId that fails now must not lose where this browser's datasets go.
      if (identityId && failure.moved) await recordRefusedIdentity(ctx, key, identityId);
      await forgetIdentityId(ctx, key);
      identityId = undefined;
      // The signed clients hold the old identity's credentials: made again, they ask for the new one's.
      ctx.aws.forget();
    } else {
      throw failure.error;
    }
  }
}

/**
 * The credentials of the current sign-in, renewed first when they have less than the margin left, or when
 * they are the ones `refused` names (their access key id).
 */
export function currentCredentials(ctx: Context, refused?: string): Promise<CredentialsRecord> {
  return ctx.locks.request(LOCKS.credentials, async () => {
    const settings = await requireSettings(ctx);
    const tokens = await ctx.items.authTokens.get();
    if (!tokens) throw authRequired();
    let cached = await ctx.items.awsCredentials.get();
    if (cached && refused !== undefined && cached.accessKeyId === refused) {
      // Kept as expired from now on: should no new ones come, the next renewal or sync asks again for them.
      cached = { ...cached, expiresAt: Math.min(cached.expiresAt, ctx.now()) };
      await ctx.items.awsCredentials.set(cached);
    }
    if (credentialsMatch(cached, settings, tokens) && !isDue(ctx, cached.obtainedAt, cached.expiresAt)) return cached;
    let record: CredentialsRecord;
    try {
      record = await fetchCredentials(ctx, settings);
    } catch (error) {
      // AUTH_REQUIRED has already been recorded as 'needsSignIn'; anything else is shown as the last error.
      if (error instanceof AppError && error.code === 'AUTH_REQUIRED') throw error;
      const told = await withHostAccess(ctx, error);
      await dispatch(ctx, { type: 'credentialsFailed', error: serializeError(told) });
      throw told;
    }
    await storeCredentials(ctx, record);
    await dispatch(ctx, { type: 'credentialsObtained' });
    return record;
  });
}

function toIdentity(record: CredentialsRecord): AwsCredentialIdentity {
  return {
    accessKeyId: record.accessKeyId,
    secretAccessKey: record.secretAccessKey,
    sessionToken: record.sessionToken,
    expiration: new Date(record.expiresAt),
  };
}

/**
 * The signed-in identity and a credential provider for AWS SDK clients. Throws NOT_CONFIGURED or
 * AUTH_REQUIRED when there is none. The provider refuses to answer for another identity than the one
 * returned here (someone else signed in meanwhile).
 */
export async function awsIdentity(ctx: Context): Promise<AwsIdentity> {
  const settings = await requireSettings(ctx);
  const first = await currentCredentials(ctx);
  const sameIdentity = (record: CredentialsRecord): CredentialsRecord => {
    if (record.identityId !== first.identityId) throw authRequired();
    return record;
  };
  return {
    identityId: first.identityId,
    region: endpointsOf(settings).region,
    credentials: async () => toIdentity(sameIdentity(await currentCredentials(ctx))),
    storedKeyId: async () => (await ctx.items.awsCredentials.get())?.accessKeyId,
    replaceExpired: async (refused) => {
      // The SDK clients keep the credentials they resolved until those near expiry by this clock: made again.
      ctx.aws.forget();
      try {
        sameIdentity(await currentCredentials(ctx, refused));
      } catch (error) {
        // The alarm is still set from the refused ones' expiry, up to an hour away: renewal tries in a minute.
        if (!(error instanceof AppError && error.code === 'AUTH_REQUIRED')) await retryRenewalLater(ctx);
        throw error;
      }
      // The renewal alarm was set from the old ones' expiry, on the clock as it was then.
      await scheduleRenewal(ctx);
    },
  };
}
