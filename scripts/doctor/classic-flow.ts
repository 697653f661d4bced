// The basic (classic) flow, checked only when the settings name a role: the pool must allow it, and the role
// must let the pool's signed-in identities in. DescribeIdentityPool needs AWS credentials a signed-in person
// does not have, so the check tries the flow itself: GetOpenIdToken (unsigned), and with an ID token from a
// real sign-in (--id-token) the whole flow through STS AssumeRoleWithWebIdentity (unsigned too).
import { CognitoIdentityClient, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { BASIC_FLOW_DURATION_SECONDS, sessionNameOf } from '../../src/background/credentials/basic-flow';
import { regionOf } from '../../src/shared/settings';
import { PROBE_TOKEN } from '../../src/shared/checks/cognito';
import { isNetworkError, networkReason } from '../../src/shared/checks/http';
import { result, type CheckResult } from '../../src/shared/checks/types';

const TITLE = 'Basic (classic) flow';
const CLASSIC_OFF = /classic\) flow is not enabled/i;

export interface ClassicFlowInput {
  identityPoolId: string;
  cognitoEndpoint: string;
  stsEndpoint: string;
  roleArn: string;
  /** The Logins key: the issuer without scheme and trailing slash. */
  providerKey: string;
  accountId: string;
  /** An ID token from a real sign-in, when --id-token gave one. */
  idToken: string | undefined;
  timeoutMs: number;
}

function errorOf(error: unknown): { name: string; message: string } {
  const { name = '', message = '' } = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; message?: string };
  return { name, message };
}

function classicOff(input: ClassicFlowInput, answered: string): CheckResult {
  return result(
    'classicFlow',
    'fail',
    TITLE,
    `pool ${input.identityPoolId} does not allow the basic flow that the Role ARN asks for (${answered}).`,
    'Clear Role ARN in the settings to use the enhanced flow, or turn on Basic (classic) authentication in the identity pool (CloudFormation: AllowClassicFlow=true).',
  );
}

function unreachable(endpoint: string, error: unknown, timeoutMs: number): CheckResult {
  return result(
    'classicFlow',
    'fail',
    TITLE,
    `${endpoint} could not be reached: ${networkReason(error, timeoutMs)}.`,
    'Check the endpoint in the settings (leave it empty for AWS’s public one) and that this machine can reach it.',
  );
}

export async function checkClassicFlow(input: ClassicFlowInput): Promise<CheckResult> {
  const region = regionOf(input.identityPoolId);
  const requestHandler = { requestTimeout: input.timeoutMs, connectionTimeout: input.timeoutMs };
  const cognito = new CognitoIdentityClient({ region, endpoint: input.cognitoEndpoint, maxAttempts: 1, requestHandler });
  const sts = new STSClient({ region, endpoint: input.stsEndpoint, maxAttempts: 1, requestHandler });
  try {
    if (input.idToken === undefined) {
      // Without a sign-in, only a refusal that names the classic flow proves something.
      try {
        await cognito.send(
          new GetOpenIdTokenCommand({ IdentityId: `${region}:00000000-0000-4000-8000-000000000000`, Logins: { [input.providerKey]: PROBE_TOKEN } }),
        );
      } catch (error) {
        if (isNetworkError(error)) return unreachable(input.cognitoEndpoint, error, input.timeoutMs);
        const { name, message } = errorOf(error);
        if (name === 'InvalidParameterException' && CLASSIC_OFF.test(message)) return classicOff(input, `${name}: ${message}`);
      }
      return result(
        'classicFlow',
        'warn',
        TITLE,
        `not fully checked: without a sign-in, Cognito does not show whether pool ${input.identityPoolId} allows the basic flow, nor STS whether ${input.roleArn} trusts it.`,
        'Give --id-token FILE with an ID token from a real sign-in: the doctor then runs GetId, GetOpenIdToken and AssumeRoleWithWebIdentity with it.',
      );
    }

    const Logins = { [input.providerKey]: input.idToken };
    let step = 'GetId';
    try {
      const { IdentityId } = await cognito.send(
        new GetIdCommand({ IdentityPoolId: input.identityPoolId, Logins, ...(input.accountId ? { AccountId: input.accountId } : {}) }),
      );
      step = 'GetOpenIdToken';
      const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
      step = 'AssumeRoleWithWebIdentity';
      const { Credentials } = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: input.roleArn,
          RoleSessionName: sessionNameOf(IdentityId ?? 'doctor'),
          WebIdentityToken: Token,
          DurationSeconds: BASIC_FLOW_DURATION_SECONDS,
        }),
      );
      if (!Credentials?.AccessKeyId) throw new Error('STS answered without credentials');
      return result(
        'classicFlow',
        'pass',
        TITLE,
        `the pool allows it, and ${input.roleArn} gave credentials to the identity of this ID token for an hour.`,
      );
    } catch (error) {
      if (isNetworkError(error))
        return unreachable(step === 'AssumeRoleWithWebIdentity' ? input.stsEndpoint : input.cognitoEndpoint, error, input.timeoutMs);
      const { name, message } = errorOf(error);
      const answered = `${step}: ${name}: ${message}`;
      if (name === 'InvalidParameterException' && CLASSIC_OFF.test(message)) return classicOff(input, answered);
      if (step === 'AssumeRoleWithWebIdentity' && name === 'AccessDenied') {
        return result(
          'classicFlow',
          'fail',
          TITLE,
          `the pool allows the basic flow, but STS refused the role ${input.roleArn} (${answered}).`,
          `In IAM, check that the role exists and that its trust policy allows sts:AssumeRoleWithWebIdentity for cognito-identity.amazonaws.com with cognito-identity.amazonaws.com:aud = ${input.identityPoolId} and cognito-identity.amazonaws.com:amr containing authenticated.`,
        );
      }
      if (step === 'AssumeRoleWithWebIdentity' && /DurationSeconds exceeds/i.test(message)) {
        return result(
          'classicFlow',
          'fail',
          TITLE,
          `STS refused a one-hour session for ${input.roleArn} (${answered}).`,
          'In IAM, set the role’s maximum session duration to at least 1 hour.',
        );
      }
      return result(
        'classicFlow',
        'fail',
        TITLE,
        `the basic flow stopped at ${answered}.`,
        'Check the identity pool, the ID token (a fresh one from a sign-in) and the Role ARN.',
      );
    }
  } finally {
    cognito.destroy();
    sts.destroy();
  }
}
