// The identity pool: its id's region, and a real GetId sent to the configured endpoint with a token that
// cannot pass, read for what the answer proves. GetId is unsigned, so no AWS credentials are needed.
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { regionOf } from '../../src/shared/settings';
import { isNetworkError, networkReason } from './http';
import { result, type CheckResult, type DoctorContext, type GetIdProbe } from './types';

/** Never a JWT, so no pool can accept it; Cognito says why it refused it. */
export const PROBE_TOKEN = 'npm-run-doctor.not-a-token';

const AWS_HOST = /\.amazonaws\.com(?:\.cn)?$/;
const COGNITO_IDENTITY_HOST = /^cognito-identity(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export function publicEndpoint(region: string): string {
  return `https://cognito-identity.${region}.amazonaws.com`;
}

/** The pool id's region, and whether an AWS endpoint typed in the settings serves that region. */
export function checkPool(identityPoolId: string, endpointOverride: string): CheckResult {
  const title = 'Identity pool';
  const region = regionOf(identityPoolId);
  if (endpointOverride === '') {
    return result('pool', 'pass', title, `${identityPoolId} is in region ${region}; endpoint ${publicEndpoint(region)}.`);
  }
  const host = new URL(endpointOverride).hostname;
  const match = COGNITO_IDENTITY_HOST.exec(host);
  if (match?.[1] !== undefined && match[1] !== region) {
    return result(
      'pool',
      'fail',
      title,
      `${identityPoolId} is in region ${region}, but the Cognito Identity endpoint ${endpointOverride} serves ${match[1]}.`,
      'Leave the Cognito Identity endpoint empty: the extension then uses the pool’s own region.',
    );
  }
  if (!match && AWS_HOST.test(host)) {
    return result(
      'pool',
      'fail',
      title,
      `the Cognito Identity endpoint ${endpointOverride} is an AWS host, but not Cognito Identity’s.`,
      'Leave the Cognito Identity endpoint empty: the extension then uses the pool’s own region.',
    );
  }
  return result('pool', 'pass', title, `${identityPoolId} is in region ${region}; endpoint ${endpointOverride} (from the settings).`);
}

export interface ProbeInput {
  identityPoolId: string;
  endpoint: string;
  /** The provider's name in Logins: the issuer without scheme and trailing slash. */
  providerKey: string;
  /** The settings' client ID, when valid: the audience the pool's provider must list. */
  clientId: string | undefined;
}

function errorFields(error: unknown): { name: string; message: string; status: number | undefined } {
  const {
    name = '',
    message = '',
    $metadata,
  } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return { name, message, status: $metadata?.httpStatusCode };
}

const ENDPOINT_FIX =
  'Check the Cognito Identity endpoint (leave it empty for AWS’s public endpoint of the pool’s region) and that this machine can reach it.';

/** Reads Cognito's answer to a GetId whose only login is a token that cannot pass. */
export async function probeCognito(ctx: DoctorContext, input: ProbeInput): Promise<CheckResult> {
  const title = 'Cognito Identity';
  const { identityPoolId, endpoint, providerKey, clientId } = input;
  const region = regionOf(identityPoolId);
  try {
    const identityId = await ctx.getId({ endpoint, region, identityPoolId, logins: { [providerKey]: PROBE_TOKEN }, timeoutMs: ctx.timeoutMs });
    return result(
      'cognito',
      'warn',
      title,
      `${endpoint} gave an identity (${identityId ?? 'none'}) for a token that is not even a JWT: it does not check tokens as Cognito does (moto does this).`,
      'Use AWS (leave the endpoint empty) or the local stack to test sign-in; this endpoint proves nothing about tokens.',
    );
  } catch (error) {
    if (isNetworkError(error)) {
      return result('cognito', 'fail', title, `${endpoint} could not be reached: ${networkReason(error, ctx.timeoutMs)}.`, ENDPOINT_FIX);
    }
    const { name, message, status } = errorFields(error);
    const answered = `${name}: ${message}`;
    switch (name) {
      case 'ResourceNotFoundException':
        return result(
          'cognito',
          'fail',
          title,
          `${endpoint} has no identity pool ${identityPoolId} in region ${region} (${answered}).`,
          'Copy the pool ID from the Cognito console (Identity pools → your pool → Identity pool ID): it starts with the region the pool lives in, and the endpoint must serve that region.',
        );
      case 'NotAuthorizedException':
        // Cognito names an untrusted provider before it looks at the token (the stack does the same).
        if (/not from a supported provider/i.test(message)) {
          return result(
            'cognito',
            'fail',
            title,
            `pool ${identityPoolId} exists, but does not trust the provider ${providerKey} (${answered}).`,
            `In IAM, add an OpenID Connect identity provider with provider URL https://${providerKey}${clientId ? ` and audience ${clientId}` : ''}; then add it to the identity pool (User access → Identity providers).`,
          );
        }
        return result(
          'cognito',
          'pass',
          title,
          `${endpoint} is reachable, and pool ${identityPoolId} exists and knows ${providerKey}: it refused a deliberately invalid token (${answered}). ` +
            'That does not prove a real sign-in passes: the pool’s roles and the token’s audience are only checked then.',
        );
      case 'InvalidParameterException':
        return result(
          'cognito',
          'warn',
          title,
          `${endpoint} answered as Cognito Identity, so it is reachable, but it refused the request’s parameters (${answered}); that answer does not show whether pool ${identityPoolId} exists.`,
          `Check the identity pool ID and Provider domain (the Logins key sent was ${providerKey}).`,
        );
      case 'TooManyRequestsException':
      case 'LimitExceededException':
        return result(
          'cognito',
          'warn',
          title,
          `${endpoint} is reachable but throttled the request (${answered}).`,
          'Run the doctor again in a minute.',
        );
      default:
        if (status !== undefined && !name.endsWith('Exception')) {
          return result('cognito', 'fail', title, `${endpoint} answered HTTP ${status}, not as Cognito Identity.`, ENDPOINT_FIX);
        }
        return result(
          'cognito',
          'fail',
          title,
          `${endpoint} answered ${name || 'an error'}${message ? `: ${message}` : ''}${status ? ` (HTTP ${status})` : ''}.`,
          ENDPOINT_FIX,
        );
    }
  }
}

/** The real probe: @aws-sdk/client-cognito-identity, one attempt, bounded in time. */
export const sdkGetId: GetIdProbe = async ({ endpoint, region, identityPoolId, logins, timeoutMs }) => {
  const client = new CognitoIdentityClient({
    region,
    endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
  });
  try {
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
    return IdentityId;
  } finally {
    client.destroy();
  }
};
