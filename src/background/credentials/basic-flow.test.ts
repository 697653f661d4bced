import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { describe, expect, it } from 'vitest';
import { classifyAssumeRole, classifyOpenIdToken, sessionNameOf } from './basic-flow';
import { getId, type CognitoTarget } from './cognito';

const POOL = 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef';
const ROLE = 'arn:aws:iam::123456789012:role/Cognito_Auth_Role';
const STS = 'https://sts.eu-west-1.amazonaws.com';

function serviceError(name: string, message: string, fault: 'client' | 'server' = 'client'): Error {
  return Object.assign(new Error(message), { name, $fault: fault });
}

/** A real client whose requests never leave: each input is recorded and answered with `output`. */
function recordingClient(inputs: unknown[], output: Record<string, unknown>): CognitoIdentityClient {
  const client = new CognitoIdentityClient({ region: 'eu-west-1' });
  client.middlewareStack.add(
    () => async (args) => {
      inputs.push(args.input);
      return { output: { ...output, $metadata: {} }, response: {} };
    },
    { step: 'initialize' },
  );
  return client;
}

function target(client: CognitoIdentityClient = new CognitoIdentityClient({ region: 'eu-west-1' }), accountId?: string): CognitoTarget {
  return {
    client,
    identityPoolId: POOL,
    endpoint: 'https://cognito-identity.eu-west-1.amazonaws.com',
    logins: { 'tenant.auth0.com': 'id-token' },
    provider: 'tenant.auth0.com',
    clientId: 'AbC123',
    ...(accountId ? { accountId } : {}),
  };
}

describe('the basic flow', () => {
  it('names the STS session after the identity, in the characters STS allows', () => {
    expect(sessionNameOf('eu-west-1:12345678-90ab-cdef-1234-567890abcdef')).toBe('eu-west-1_12345678-90ab-cdef-1234-567890abcdef');
    expect(sessionNameOf(`eu-west-1:${'a'.repeat(80)}`)).toHaveLength(64);
  });

  it('sends the account id with GetId when the settings give one, and none otherwise', async () => {
    const inputs: unknown[] = [];
    const client = recordingClient(inputs, { IdentityId: 'eu-west-1:abc' });
    await getId(target(client, '123456789012'));
    await getId(target(client));
    expect(inputs).toEqual([
      { IdentityPoolId: POOL, Logins: { 'tenant.auth0.com': 'id-token' }, AccountId: '123456789012' },
      { IdentityPoolId: POOL, Logins: { 'tenant.auth0.com': 'id-token' } },
    ]);
  });

  it('tells a pool without the classic flow from other GetOpenIdToken refusals', () => {
    const off = classifyOpenIdToken(
      serviceError('InvalidParameterException', 'Basic (classic) flow is not enabled, please use enhanced flow.'),
      target(),
    );
    expect(off).toMatchObject({
      kind: 'fatal',
      error: { code: 'CREDENTIALS_BASIC_FLOW_OFF', message: expect.stringContaining('AllowClassicFlow=true') },
    });
    expect(classifyOpenIdToken(serviceError('ResourceNotFoundException', 'Identity not found.'), target()).kind).toBe('identityNotFound');
  });

  it('tells a pool with role mappings, which refuses the classic flow, to go without Role ARN', () => {
    // AWS's words (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).
    const mapped = classifyOpenIdToken(
      serviceError('InvalidParameterException', 'Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.'),
      target(),
    );
    expect(mapped).toMatchObject({
      kind: 'fatal',
      error: { code: 'CREDENTIALS_BASIC_FLOW_OFF', message: expect.stringContaining('Clear Role ARN') },
    });
    expect(mapped.kind === 'fatal' && mapped.error.message).not.toContain('AllowClassicFlow');
  });

  it.each([
    ['AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 'CREDENTIALS_ROLE_NOT_TRUSTED', 'trust policy'],
    [
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      'CREDENTIALS_ROLE_DURATION',
      'maximum session duration',
    ],
    ['ValidationError', 'Request ARN is invalid', 'CREDENTIALS_CONFIG', 'Check the Role ARN'],
    ['RegionDisabledException', 'STS is not activated in this region', 'CREDENTIALS_CONFIG', 'Activate it in IAM'],
    ['Throttling', 'Rate exceeded', 'THROTTLED', 'Wait a minute'],
    [
      'IDPCommunicationError',
      'Could not communicate with the identity provider',
      'AUTH_PROVIDER_DOWN',
      'AWS STS could not reach your identity provider',
    ],
    ['IDPCommunicationErrorException', 'Could not communicate with the identity provider', 'AUTH_PROVIDER_DOWN', 'try again in a moment'],
    ['InternalFailure', 'oops', 'SERVICE_DOWN', 'AWS STS had a problem on its side'],
  ])('maps STS %s (%s) to %s with a sentence to act on', (name, message, code, words) => {
    const failure = classifyAssumeRole(serviceError(name, message, name === 'InternalFailure' ? 'server' : 'client'), ROLE, POOL, STS);
    expect(failure).toMatchObject({ kind: 'fatal', error: { code, message: expect.stringContaining(words) } });
  });

  it('starts over once when STS calls the OpenID token expired, and reports NETWORK without an answer', () => {
    expect(classifyAssumeRole(serviceError('ExpiredTokenException', 'Token expired'), ROLE, POOL, STS).kind).toBe('tokenExpired');
    expect(classifyAssumeRole(new TypeError('fetch failed'), ROLE, POOL, STS)).toMatchObject({
      error: { code: 'NETWORK', message: expect.stringContaining('sts.eu-west-1.amazonaws.com') },
    });
  });
});
