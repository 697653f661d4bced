// The Cognito Identity calls of the enhanced flow, and the one place their errors become AppErrors.
import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  type CognitoIdentityClient,
  type GetCredentialsForIdentityCommandOutput,
  type GetIdCommandOutput,
} from '@aws-sdk/client-cognito-identity';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { networkError } from '../auth/auth-errors';
import { answerDate } from './aws-clock';

/** What the caller can do about a failure: renew the ID token, GetId again, or give up with `error`. */
export type CognitoFailure =
  | { kind: 'tokenExpired'; error: AppError }
  /** The identity id is not, or no longer, this login's (deleted, disabled, merged into another): GetId again. */
  /**
   * `moved`: the identity is disabled (what a merged one becomes) or gone, so the datasets this browser holds for it
   * go to the login's identity now (sync/moved-identity.ts); not when the login is only no longer linked to it.
   */
  | { kind: 'identityNotFound'; error: AppError; moved: boolean }
  | { kind: 'fatal'; error: AppError };

export type CognitoResult<T> = { ok: true; value: T } | { ok: false; failure: CognitoFailure };

export interface CognitoTarget {
  client: CognitoIdentityClient;
  identityPoolId: string;
  endpoint: string;
  /** `{ [loginsKey]: idToken }` */
  logins: Record<string, string>;
  /** For messages that say what to configure. */
  provider: string;
  clientId: string;
  /** Sent as GetId's AccountId when the settings give one. */
  accountId?: string;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** On AWS's clock. */
  expiresAt: number;
  /** The answer's Date header: AWS's clock when it gave them (aws-clock.ts), if the answer had one. */
  answeredAt: number | undefined;
}

export interface ServiceError {
  name: string;
  message: string;
  $fault: 'client' | 'server';
}

/** A service exception carries `$fault`; a request that never got an answer doesn't. */
export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as { $fault?: unknown }).$fault === 'string';
}

const PROVIDER_MISMATCH = /not from a supported provider|issuer doesn't match|incorrect token audience|invalid login token/i;
/**
 * Cognito could not verify a signature the worker had verified with the keys it was served (auth/jwks.ts):
 * Cognito's own copy of the provider's keys is behind (a provider changing its keys), Cognito cannot read
 * them, or this browser was served keys the provider does not publish. Not the pool's configuration, so the
 * settings are not named; as for a signature the worker refuses itself, this sign-in is not kept.
 */
const COGNITO_KEYS_BEHIND = /couldn't verify signed token/i;
/**
 * Cognito refusing the identity id given with a valid login: "Access to Identity '…' is forbidden." for an
 * identity disabled in the pool, which is also what becomes of one merged into another
 * (https://github.com/aws-amplify/amplify-js/issues/6616), and "Logins don't match" for one the login is no
 * longer linked to. A remembered id may be either: GetId names the login's identity now.
 */
const IDENTITY_REFUSED = /access to identity .* is forbidden|logins don't match/i;
const IDENTITY_DISABLED = /access to identity .* is forbidden/i;

/** A failure nothing here can recover from. */
export function fatal(code: AppError['code'], message: string, cause?: unknown): CognitoFailure {
  return { kind: 'fatal', error: new AppError(code, message, { cause }) };
}

/** No answer at all from `endpoint`. */
export function unreachable(endpoint: string, cause: unknown): CognitoFailure {
  return { kind: 'fatal', error: networkError(endpoint, cause) };
}

/** An answer no rule knows: the service's fault (it may pass) or, from the client side, the configuration's. */
export function unexpected(error: ServiceError, key: 'errorAwsUnexpected' | 'errorStsUnexpected'): CognitoFailure {
  const detail = `${error.name}: ${error.message}`;
  if (error.$fault === 'server') {
    return fatal('SERVICE_DOWN', t('errorAwsServerFault', [key === 'errorStsUnexpected' ? 'AWS STS' : 'Amazon Cognito', detail]), error);
  }
  return fatal('CREDENTIALS_CONFIG', t(key, detail), error);
}

/**
 * AWS could not reach the identity provider to check the token (Cognito's ExternalServiceException, STS's
 * IDPCommunicationError): marked a client fault, but it usually passes. Not a configuration error, so the
 * sign-in is kept and renewal tries again; the provider's trouble (as AWS met it), not this computer's network.
 */
export function providerUnreachable(service: 'Amazon Cognito' | 'AWS STS', error: ServiceError): CognitoFailure {
  return fatal('AUTH_PROVIDER_DOWN', t('errorAwsProviderUnreachable', [service, `${error.name}: ${error.message}`]), error);
}

/** An answer without what the operation promises. */
export function malformed(operation: string): CognitoFailure {
  return fatal('CREDENTIALS_CONFIG', t('errorAwsIncomplete', operation));
}

export function classify(error: unknown, operation: 'GetId' | 'GetCredentialsForIdentity', target: CognitoTarget): CognitoFailure {
  if (!isServiceError(error)) return unreachable(target.endpoint, error);
  const { name, message } = error;
  switch (name) {
    case 'NotAuthorizedException':
      if (/token expired/i.test(message)) {
        return { kind: 'tokenExpired', error: new AppError('AUTH_REQUIRED', t('errorAuthRequired'), { cause: error }) };
      }
      if (COGNITO_KEYS_BEHIND.test(message)) {
        return fatal('AUTH_TOKEN_SIGNATURE', t('errorCognitoKeysBehind', target.provider), error);
      }
      if (operation === 'GetCredentialsForIdentity' && IDENTITY_REFUSED.test(message)) {
        return {
          kind: 'identityNotFound',
          moved: IDENTITY_DISABLED.test(message),
          error: new AppError('CREDENTIALS_IDENTITY_REFUSED', t('errorIdentityRefused', message), { cause: error }),
        };
      }
      if (PROVIDER_MISMATCH.test(message)) {
        return fatal('CREDENTIALS_CONFIG', t('errorCredentialsProvider', [target.provider, message, target.clientId]), error);
      }
      return fatal('CREDENTIALS_DENIED', t('errorCredentialsDenied', message), error);
    case 'ResourceNotFoundException':
      // GetId names a missing pool; GetCredentialsForIdentity a stale identity id.
      if (operation === 'GetCredentialsForIdentity') {
        return {
          kind: 'identityNotFound',
          moved: true,
          error: new AppError('CREDENTIALS_DENIED', t('errorCredentialsDenied', message), { cause: error }),
        };
      }
      return fatal('CREDENTIALS_CONFIG', t('errorCredentialsPool', [target.identityPoolId, message]), error);
    case 'InvalidIdentityPoolConfigurationException':
      return fatal('CREDENTIALS_CONFIG', t('errorCredentialsRole', message), error);
    // The SDK's standard retry strategy has already backed off (3 attempts, exponential, jittered).
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return fatal('THROTTLED', t('errorThrottled'), error);
    case 'ExternalServiceException':
      return providerUnreachable('Amazon Cognito', error);
    case 'ResourceConflictException':
    case 'AccessDeniedException':
      return fatal('CREDENTIALS_DENIED', t('errorCredentialsDenied', message), error);
    default:
      return unexpected(error, 'errorAwsUnexpected');
  }
}

export async function getId(target: CognitoTarget): Promise<CognitoResult<string>> {
  let output: GetIdCommandOutput;
  try {
    const accountId = target.accountId ? { AccountId: target.accountId } : {};
    output = await target.client.send(new GetIdCommand({ IdentityPoolId: target.identityPoolId, Logins: target.logins, ...accountId }));
  } catch (error) {
    return { ok: false, failure: classify(error, 'GetId', target) };
  }
  if (!output.IdentityId) return { ok: false, failure: malformed('GetId') };
  return { ok: true, value: output.IdentityId };
}

export async function getCredentialsForIdentity(target: CognitoTarget, identityId: string): Promise<CognitoResult<AwsCredentials>> {
  let output: GetCredentialsForIdentityCommandOutput;
  const command = new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: target.logins });
  const answered = answerDate(command);
  try {
    output = await target.client.send(command);
  } catch (error) {
    return { ok: false, failure: classify(error, 'GetCredentialsForIdentity', target) };
  }
  const c = output.Credentials;
  if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) return { ok: false, failure: malformed('GetCredentialsForIdentity') };
  return {
    ok: true,
    value: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretKey,
      sessionToken: c.SessionToken,
      expiresAt: c.Expiration.getTime(),
      answeredAt: answered(),
    },
  };
}
