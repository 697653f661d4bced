// The identity pool: its id's region, and a real GetId sent to the configured endpoint with a token that
// cannot pass, read for what the answer proves. GetId is unsigned, so no AWS credentials are needed, and the
// token is not one: nothing of the person's is sent. Shared by `npm run doctor` and the options page's Check.
import { AWS_DOMAIN, awsEndpointHost, regionOf, type SettingsField } from '../settings';
import { isNetworkError, networkReason } from './http';
import { atField, result, undecided, type CheckResult, type DoctorContext, type GetIdProbe } from './types';

/** Never a JWT, so no pool can accept it; Cognito says why it refused it. */
export const PROBE_TOKEN = 'settings-check.not-a-token';

const AWS_HOST = new RegExp(`\\.${AWS_DOMAIN}$`);
const COGNITO_IDENTITY_HOST = new RegExp(`^cognito-identity(?:-fips)?\\.([a-z0-9-]+)\\.${AWS_DOMAIN}$`);

export function publicEndpoint(region: string): string {
  return `https://${awsEndpointHost('cognito-identity', region)}`;
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
    return atField(
      result(
        'pool',
        'fail',
        title,
        `${identityPoolId} is in region ${region}, but the Cognito Identity endpoint ${endpointOverride} serves ${match[1]}.`,
        'Leave the Cognito Identity endpoint empty: the extension then uses the pool’s own region.',
      ),
      'cognitoIdentityEndpoint',
      'errorEndpointRegion',
    );
  }
  if (!match && AWS_HOST.test(host)) {
    return atField(
      result(
        'pool',
        'fail',
        title,
        `the Cognito Identity endpoint ${endpointOverride} is an AWS host, but not Cognito Identity’s.`,
        'Leave the Cognito Identity endpoint empty: the extension then uses the pool’s own region.',
      ),
      'cognitoIdentityEndpoint',
      'checkNotCognito',
      endpointOverride,
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
  // An endpoint the settings leave empty follows from the pool id: that is the field to look at then.
  const endpointField: SettingsField = endpoint === publicEndpoint(region) ? 'identityPoolId' : 'cognitoIdentityEndpoint';
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
      return atField(
        result('cognito', 'fail', title, `${endpoint} could not be reached: ${networkReason(error, ctx.timeoutMs)}.`, ENDPOINT_FIX),
        endpointField,
        'checkCognitoUnreachable',
        endpoint,
      );
    }
    const { name, message, status } = errorFields(error);
    const answered = `${name}: ${message}`;
    switch (name) {
      case 'ResourceNotFoundException':
        return atField(
          result(
            'cognito',
            'fail',
            title,
            `${endpoint} has no identity pool ${identityPoolId} in region ${region} (${answered}).`,
            'Copy the pool ID from the Cognito console (Identity pools → your pool → Identity pool ID): it starts with the region the pool lives in, and the endpoint must serve that region.',
          ),
          'identityPoolId',
          'checkPoolNotFound',
          identityPoolId,
          endpoint,
        );
      case 'NotAuthorizedException':
        // Cognito names an untrusted provider before it looks at the token (the stack does the same).
        if (/not from a supported provider/i.test(message)) {
          return atField(
            result(
              'cognito',
              'fail',
              title,
              `pool ${identityPoolId} exists, but does not trust the provider ${providerKey} (${answered}).`,
              `In IAM, add an OpenID Connect identity provider with provider URL https://${providerKey}${clientId ? ` and audience ${clientId}` : ''}; then add it to the identity pool (User access → Identity providers).`,
            ),
            'identityPoolId',
            'checkPoolUntrusted',
            providerKey,
            clientId ?? '',
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
        return undecided(
          result('cognito', 'warn', title, `${endpoint} is reachable but throttled the request (${answered}).`, 'Run the doctor again in a minute.'),
          'checkCognitoBusy',
          endpoint,
          name,
        );
      default:
        // Cognito's own trouble (InternalErrorException, a 5xx): it says nothing about the settings.
        if (name === 'InternalErrorException' || (status !== undefined && status >= 500)) {
          return undecided(
            result(
              'cognito',
              'warn',
              title,
              `${endpoint} answered with a server error (${name || 'no error name'}, HTTP ${status ?? 'status unknown'}): that does not show whether pool ${identityPoolId} exists.`,
              'Run the doctor again in a few minutes.',
            ),
            'checkCognitoBusy',
            endpoint,
            name || `HTTP ${status ?? ''}`,
          );
        }
        if (status !== undefined && !name.endsWith('Exception')) {
          return atField(
            result('cognito', 'fail', title, `${endpoint} answered HTTP ${status}, not as Cognito Identity.`, ENDPOINT_FIX),
            endpointField,
            'checkNotCognito',
            endpoint,
          );
        }
        return atField(
          result(
            'cognito',
            'fail',
            title,
            `${endpoint} answered ${name || 'an error'}${message ? `: ${message}` : ''}${status ? ` (HTTP ${status})` : ''}.`,
            ENDPOINT_FIX,
          ),
          endpointField,
          'checkCognitoRefused',
          endpoint,
          name || String(status ?? ''),
        );
    }
  }
}

/** An error as the AWS SDK throws one: the exception's name and the HTTP status, which probeCognito reads. */
class ServiceError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/**
 * GetId over plain fetch, for a page that should not load the AWS SDK for one request: Cognito Identity's
 * JSON protocol (`X-Amz-Target`, `application/x-amz-json-1.1`), unsigned as GetId is. An error answer
 * names its exception in `__type` (sometimes after a namespace and `#`).
 */
export function fetchGetId(fetchFn: typeof fetch): GetIdProbe {
  return async ({ endpoint, identityPoolId, logins, timeoutMs }) => {
    const response = await fetchFn(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
      body: JSON.stringify({ IdentityPoolId: identityPoolId, Logins: logins }),
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (response.ok && typeof fields['IdentityId'] === 'string') return fields['IdentityId'];
    const type = typeof fields['__type'] === 'string' ? (fields['__type'].split('#').pop() ?? '') : '';
    const message = fields['message'] ?? fields['Message'];
    throw new ServiceError(type || `HTTP ${response.status}`, typeof message === 'string' ? message : '', response.status);
  };
}
