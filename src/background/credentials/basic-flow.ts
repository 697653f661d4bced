// Cognito's basic (classic) flow, chosen when the settings name a role: GetOpenIdToken with the verified ID
// token in Logins, then STS AssumeRoleWithWebIdentity with that role, unsigned. Its failures become the same
// CognitoFailure kinds as the enhanced flow's (credentials/provider.ts retries them alike), mapped here, once.
// https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html
import { GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, type AssumeRoleWithWebIdentityCommandOutput } from '@aws-sdk/client-sts';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { endpointsOf, type Settings } from '../../shared/settings';
import type { Context } from '../platform/context';
import {
  classify,
  fatal,
  isServiceError,
  malformed,
  providerUnreachable,
  unexpected,
  unreachable,
  type AwsCredentials,
  type CognitoFailure,
  type CognitoResult,
  type CognitoTarget,
} from './cognito';
import { answerDate } from './aws-clock';

/**
 * What the extension asks STS for: STS's default hour, which every role allows (a role's maximum session is
 * at least one hour), so that a role shortened by hand is the only way to meet the duration error.
 */
export const BASIC_FLOW_DURATION_SECONDS = 3600;

/**
 * `us-east-1:5ca1ab1e-…` → `us-east-1_5ca1ab1e-…`: STS wants [\w+=,.@-]{2,64}, and CloudTrail then names
 * the identity behind each session.
 */
export function sessionNameOf(identityId: string): string {
  return identityId.replace(/[^\w+=,.@-]/g, '_').slice(0, 64);
}

/** GetOpenIdToken answers like GetCredentialsForIdentity, plus the pool's refusal of the basic flow. */
export function classifyOpenIdToken(error: unknown, target: CognitoTarget): CognitoFailure {
  if (isServiceError(error) && error.name === 'InvalidParameterException' && /classic\) flow is not enabled/i.test(error.message)) {
    return fatal('CREDENTIALS_BASIC_FLOW_OFF', t('errorBasicFlowDisabled', target.identityPoolId), error);
  }
  // A pool with role mappings refuses the basic flow even when it is turned on
  // (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).
  if (isServiceError(error) && error.name === 'InvalidParameterException' && /not supported with RoleMappings/i.test(error.message)) {
    return fatal('CREDENTIALS_BASIC_FLOW_OFF', t('errorBasicFlowRoleMappings', target.identityPoolId), error);
  }
  return classify(error, 'GetCredentialsForIdentity', target);
}

/** STS's answers to AssumeRoleWithWebIdentity, as sentences that say what to change. */
export function classifyAssumeRole(error: unknown, roleArn: string, identityPoolId: string, endpoint: string): CognitoFailure {
  if (!isServiceError(error)) return unreachable(endpoint, error);
  const { name, message } = error;
  switch (name) {
    // STS gives one answer for an unknown role, a role that does not trust cognito-identity.amazonaws.com and
    // a trust condition (aud, amr) that does not match: the message names all three.
    case 'AccessDenied':
    case 'AccessDeniedException':
      return fatal('CREDENTIALS_ROLE_NOT_TRUSTED', t('errorBasicRoleNotTrusted', [roleArn, identityPoolId]), error);
    case 'ValidationError':
      if (/DurationSeconds exceeds the MaxSessionDuration/i.test(message)) {
        return fatal('CREDENTIALS_ROLE_DURATION', t('errorBasicDuration', [roleArn, String(BASIC_FLOW_DURATION_SECONDS)]), error);
      }
      return fatal('CREDENTIALS_CONFIG', t('errorBasicInvalid', [roleArn, message]), error);
    // The OpenID token is ten minutes old at most; an expired one means a clock is off: start over once.
    case 'ExpiredTokenException':
      return { kind: 'tokenExpired', error: new AppError('AUTH_REQUIRED', t('errorAuthRequired'), { cause: error }) };
    case 'RegionDisabledException':
      return fatal('CREDENTIALS_CONFIG', t('errorBasicRegionDisabled', message), error);
    case 'Throttling':
    case 'ThrottlingException':
      return fatal('THROTTLED', t('errorThrottled'), error);
    case 'IDPCommunicationError':
    case 'IDPCommunicationErrorException':
      return providerUnreachable('AWS STS', error);
    default:
      return unexpected(error, 'errorStsUnexpected');
  }
}

/** The basic flow's credentials for an identity id the caller has (GetId is shared with the enhanced flow). */
export async function basicFlowCredentials(
  ctx: Context,
  settings: Settings,
  target: CognitoTarget,
  identityId: string,
): Promise<CognitoResult<AwsCredentials>> {
  let token: string | undefined;
  try {
    token = (await target.client.send(new GetOpenIdTokenCommand({ IdentityId: identityId, Logins: target.logins }))).Token;
  } catch (error) {
    return { ok: false, failure: classifyOpenIdToken(error, target) };
  }
  if (!token) return { ok: false, failure: malformed('GetOpenIdToken') };

  const { region, sts: endpoint } = endpointsOf(settings);
  const client = ctx.aws.sts({ region, endpoint });
  let output: AssumeRoleWithWebIdentityCommandOutput;
  const command = new AssumeRoleWithWebIdentityCommand({
    RoleArn: settings.roleArn,
    RoleSessionName: sessionNameOf(identityId),
    WebIdentityToken: token,
    DurationSeconds: BASIC_FLOW_DURATION_SECONDS,
  });
  const answered = answerDate(command);
  try {
    output = await client.send(command);
  } catch (error) {
    return { ok: false, failure: classifyAssumeRole(error, settings.roleArn, settings.identityPoolId, endpoint) };
  }
  const c = output.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
    return { ok: false, failure: malformed('AssumeRoleWithWebIdentity') };
  return {
    ok: true,
    value: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiresAt: c.Expiration.getTime(),
      answeredAt: answered(),
    },
  };
}
