import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { describe, expect, it } from 'vitest';
import { classify, type CognitoTarget } from './cognito';

const target: CognitoTarget = {
  client: {} as CognitoIdentityClient,
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
  endpoint: 'https://cognito-identity.eu-west-1.amazonaws.com',
  logins: {},
  provider: 'tenant.auth0.com',
  clientId: 'AbC123',
};

function serviceError(name: string, message: string, fault: 'client' | 'server' = 'client'): Error {
  return Object.assign(new Error(message), { name, $fault: fault });
}

describe('Cognito errors', () => {
  it('asks for a renewed ID token on "Token expired"', () => {
    expect(classify(serviceError('NotAuthorizedException', 'Invalid login token. Token expired: 1 >= 0'), 'GetId', target).kind).toBe('tokenExpired');
  });

  it.each([
    'Invalid login token. Token is not from a supported provider of this identity pool.',
    "Invalid login token. Issuer doesn't match providerName",
    'Invalid login token. Incorrect token audience.',
    'Invalid login token.',
  ])('says what to configure on "%s"', (message) => {
    const failure = classify(serviceError('NotAuthorizedException', message), 'GetCredentialsForIdentity', target);
    expect(failure.kind).toBe('fatal');
    expect(failure.error.code).toBe('CREDENTIALS_CONFIG');
    expect(failure.error.message).toContain('add tenant.auth0.com as an OpenID Connect provider with client ID AbC123');
    expect(failure.error.message).toContain('RS256');
    expect(failure.error.cause).toBeInstanceOf(Error);
  });

  it('tells a signature Cognito cannot verify from a provider the pool does not trust, naming no setting', () => {
    const failure = classify(serviceError('NotAuthorizedException', "Invalid login token. Couldn't verify signed token."), 'GetId', target);
    expect(failure).toMatchObject({ kind: 'fatal', error: { code: 'AUTH_TOKEN_SIGNATURE' } });
    expect(failure.error.message).toContain('tenant.auth0.com');
    expect(failure.error.message).not.toContain('add tenant.auth0.com as an OpenID Connect provider');
  });

  it('tells a stale identity id (GetCredentialsForIdentity) from a missing pool (GetId)', () => {
    const error = serviceError('ResourceNotFoundException', 'not found');
    expect(classify(error, 'GetCredentialsForIdentity', target).kind).toBe('identityNotFound');
    const pool = classify(error, 'GetId', target);
    expect(pool.error.code).toBe('CREDENTIALS_CONFIG');
    expect(pool.error.message).toContain(target.identityPoolId);
  });

  it.each([
    "Access to Identity 'us-east-1:00000000-0000-4000-8000-000000000000' is forbidden.",
    "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  ])('asks GetId again when Cognito refuses a remembered identity ("%s"), naming no setting if it does again', (message) => {
    const failure = classify(serviceError('NotAuthorizedException', message), 'GetCredentialsForIdentity', target);
    expect(failure).toMatchObject({ kind: 'identityNotFound', error: { code: 'CREDENTIALS_IDENTITY_REFUSED' } });
    expect(failure.error.message).toContain('administrator');
    expect(failure.error.message).not.toContain('add tenant.auth0.com as an OpenID Connect provider');
  });

  it.each([
    ['InvalidIdentityPoolConfigurationException', 'CREDENTIALS_CONFIG'],
    ['TooManyRequestsException', 'THROTTLED'],
    ['LimitExceededException', 'THROTTLED'],
    ['ResourceConflictException', 'CREDENTIALS_DENIED'],
    ['InternalErrorException', 'SERVICE_DOWN'],
  ])('%s → %s', (name, code) => {
    const fault = name === 'InternalErrorException' ? 'server' : 'client';
    expect(classify(serviceError(name, 'x', fault), 'GetId', target).error.code).toBe(code);
  });

  it('calls Cognito failing to reach the provider a passing failure, not a setting to fix', () => {
    // Marked a client fault by the SDK, yet nothing in the settings is wrong: the sign-in must be kept.
    const failure = classify(serviceError('ExternalServiceException', 'Could not reach the identity provider'), 'GetId', target);
    expect(failure).toMatchObject({
      kind: 'fatal',
      error: { code: 'AUTH_PROVIDER_DOWN', message: expect.stringContaining('try again in a moment') },
    });
    expect(failure.error.message).toContain('Amazon Cognito could not reach your identity provider');
  });

  it('calls a request without an answer a network failure', () => {
    const failure = classify(new TypeError('fetch failed'), 'GetId', target);
    expect(failure.error.code).toBe('NETWORK');
    expect(failure.error.message).toContain('cognito-identity.eu-west-1.amazonaws.com');
  });
});
