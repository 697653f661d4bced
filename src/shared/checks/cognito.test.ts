import { describe, expect, it } from 'vitest';
import { checkPool, fetchGetId, probeCognito } from './cognito';
import type { DoctorContext, GetIdProbe } from './types';

const POOL = 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef';

function context(getId: GetIdProbe): DoctorContext {
  return { fetch, timeoutMs: 1_000, getId };
}
const failing =
  (name: string, message: string, status = 400): GetIdProbe =>
  async () => {
    throw Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  };
const probe = (getId: GetIdProbe) =>
  probeCognito(context(getId), {
    identityPoolId: POOL,
    endpoint: 'https://cognito-identity.eu-west-1.amazonaws.com',
    providerKey: 'tenant.auth0.com',
    clientId: 'AbC123',
  });

describe('identity pool id', () => {
  it('takes the region from the pool id and the public endpoint from the region', () => {
    expect(checkPool(POOL, '')).toMatchObject({
      status: 'pass',
      detail: `${POOL} is in region eu-west-1; endpoint https://cognito-identity.eu-west-1.amazonaws.com.`,
    });
  });

  it('fails an AWS endpoint of another region, or of another service', () => {
    expect(checkPool(POOL, 'https://cognito-identity.us-east-1.amazonaws.com')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('serves us-east-1'),
    });
    expect(checkPool(POOL, 'https://dynamodb.eu-west-1.amazonaws.com')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not Cognito Identity’s'),
    });
    expect(checkPool(POOL, 'https://cognito-identity-fips.eu-west-1.amazonaws.com').status).toBe('pass');
    expect(checkPool(POOL, 'http://127.0.0.1:4599/cognito-identity').status).toBe('pass');
  });
});

describe('the GetId probe', () => {
  it('sends the provider’s Logins key with a token that is not a JWT', async () => {
    let sent: unknown;
    await probe(async (input) => {
      sent = input;
      throw Object.assign(new Error('Invalid login token. Not a valid OpenId Connect identity token.'), { name: 'NotAuthorizedException' });
    });
    expect(sent).toMatchObject({ region: 'eu-west-1', identityPoolId: POOL, logins: { 'tenant.auth0.com': expect.not.stringMatching(/^ey/) } });
  });

  it('passes a refusal of the token, and fails a refusal of the provider', async () => {
    expect((await probe(failing('NotAuthorizedException', 'Invalid login token. Not a valid OpenId Connect identity token.'))).status).toBe('pass');
    expect(
      await probe(failing('NotAuthorizedException', 'Invalid login token. Token is not from a supported provider of this identity pool.')),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does not trust the provider tenant.auth0.com'),
      fix: expect.stringContaining('provider URL https://tenant.auth0.com and audience AbC123'),
    });
  });

  it('only warns on InvalidParameterException: it shows the endpoint answers, not that the pool exists', async () => {
    expect(await probe(failing('InvalidParameterException', '1 validation error detected'))).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('does not show whether pool'),
    });
  });

  it('leaves the check undecided, naming no field, when Cognito fails or throttles', async () => {
    for (const [name, status] of [
      ['InternalErrorException', 500],
      ['ServiceUnavailable', 503],
      ['TooManyRequestsException', 400],
    ] as const) {
      const check = await probe(failing(name, 'try later', status));
      expect(check, name).toMatchObject({ status: 'warn', unsettled: { message: 'checkCognitoBusy' } });
      expect(check.fault, name).toBeUndefined();
    }
    // An answer that is not Cognito's trouble still names the field.
    expect((await probe(failing('AccessDeniedException', 'no', 403))).fault?.message).toBe('checkCognitoRefused');
  });

  it('warns when an endpoint hands out identities for any token', async () => {
    expect(await probe(async () => 'eu-west-1:0000')).toMatchObject({ status: 'warn', detail: expect.stringContaining('does not check tokens') });
  });

  it('reads a timeout as unreachable', async () => {
    const timeout: GetIdProbe = async () => {
      throw Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    };
    expect(await probe(timeout)).toMatchObject({ status: 'fail', detail: expect.stringContaining('no answer within 1 s') });
  });
});

describe('GetId over fetch', () => {
  const input = {
    endpoint: 'https://cognito-identity.eu-west-1.amazonaws.com/',
    region: 'eu-west-1',
    identityPoolId: POOL,
    logins: {},
    timeoutMs: 1_000,
  };

  it('throws Cognito’s exception by name, with its message and status, as the SDK does', async () => {
    const answer: typeof fetch = async () =>
      Response.json(
        { __type: 'com.amazonaws.cognito.identity#NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' },
        { status: 400 },
      );
    await expect(fetchGetId(answer)(input)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Token is not from a supported provider of this identity pool.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('reads a page’s fetch failure as unreachable, naming the field the endpoint comes from', async () => {
    // A page's fetch rejects with a bare TypeError, whatever went wrong.
    const offline: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const check = await probeCognito(
      { fetch: offline, timeoutMs: 1_000, getId: fetchGetId(offline) },
      { identityPoolId: POOL, endpoint: 'https://cognito-identity.eu-west-1.amazonaws.com', providerKey: 'tenant.auth0.com', clientId: 'AbC123' },
    );
    expect(check).toMatchObject({ status: 'fail', fault: { field: 'identityPoolId', message: 'checkCognitoUnreachable' } });
  });
});
