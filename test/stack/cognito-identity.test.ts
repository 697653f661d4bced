// Cognito Identity through the real SDK client: the enhanced flow, and tokens refused as Cognito refuses them.
import { GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { awsSession, cognitoClient, loginsKey } from './support/aws-clients';
import { startForeignIssuer } from './support/foreign-issuer';
import type { ForeignIssuer } from './support/foreign-issuer';
import { loginThroughForm } from '../support/login-driver';
import { authorizationRequest, newSession, signIn } from './support/oidc-client';

let stack: Stack;
let foreign: ForeignIssuer;
let aliceIdToken: string;

beforeAll(async () => {
  foreign = await startForeignIssuer();
  stack = await startStack({
    port: 0,
    credentialsTtl: 900,
    allowClassicFlow: true,
    trust: [{ issuer: foreign.issuer, clientIds: [foreign.clientId] }],
  });
  aliceIdToken = (await signIn(stack, 'alice')).idToken;
});

afterAll(async () => {
  await stack.close();
  await foreign.close();
});

/** The error GetId answers for these Logins, as `${name}: ${message}`. */
async function getIdError(Logins: Record<string, string>, IdentityPoolId = stack.config.identityPoolId): Promise<string> {
  try {
    await cognitoClient(stack).send(new GetIdCommand({ IdentityPoolId, Logins }));
  } catch (error) {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('the enhanced flow', () => {
  it('answers an identity id and credentials for a token of the stack provider', async () => {
    const { identityId, credentials } = await awsSession(stack, aliceIdToken);
    expect(identityId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(credentials.secretAccessKey.length).toBeGreaterThan(30);
  });

  it('gives credentials the configured lifetime, Expiration in epoch seconds', async () => {
    const { credentials } = await awsSession(stack, aliceIdToken);
    const lifetime = (credentials.expiration.getTime() - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(898);
    expect(lifetime).toBeLessThanOrEqual(900);
  });

  it('keeps one identity per person, across sign-ins', async () => {
    const again = await signIn(stack, 'alice');
    const bob = await signIn(stack, 'bob');
    const [first, second, other] = await Promise.all([aliceIdToken, again.idToken, bob.idToken].map((token) => awsSession(stack, token)));
    expect(second?.identityId).toBe(first?.identityId);
    expect(other?.identityId).not.toBe(first?.identityId);
  });

  it('accepts a trusted third-party issuer (--trust-issuer)', async () => {
    const { identityId } = await awsSession(stack, await foreign.sign(), foreign.issuer);
    expect(identityId).toMatch(/^us-east-1:/);
  });

  it('answers GetOpenIdToken with a token signed by its published key', async () => {
    const cognito = cognitoClient(stack);
    const Logins = { [loginsKey(stack.config.issuer)]: aliceIdToken };
    const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: stack.config.identityPoolId, Logins }));
    const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
    const jwks = createRemoteJWKSet(new URL(`${stack.config.endpoints.cognitoIdentity}/.well-known/jwks_uri`));
    const { payload } = await jwtVerify(Token ?? '', jwks, {
      issuer: 'https://cognito-identity.amazonaws.com',
      audience: stack.config.identityPoolId,
    });
    expect(payload.sub).toBe(IdentityId);
  });
});

describe('tokens Cognito refuses', () => {
  it('refuses a token from the second it expires, with no clock skew, as Cognito does', async () => {
    const key = loginsKey(foreign.issuer);
    const now = nowSeconds();
    expect(await getIdError({ [key]: await foreign.sign({ exp: now - 1 }) })).toMatch(
      /^NotAuthorizedException: Invalid login token\. Token expired: \d+ >= \d+$/,
    );
    expect(await getIdError({ [key]: await foreign.sign({ exp: now - 240 }) })).toMatch(/Token expired: /);
    expect(await getIdError({ [key]: await foreign.sign({ exp: now + 60 }) })).toBe('no error');
  });

  it('refuses a provider the pool does not trust', async () => {
    expect(await getIdError({ 'accounts.example.com': aliceIdToken })).toBe(
      'NotAuthorizedException: Invalid login token. Token is not from a supported provider of this identity pool.',
    );
  });

  it('refuses a token filed under another provider name', async () => {
    expect(await getIdError({ [loginsKey(stack.config.issuer)]: await foreign.sign() })).toBe(
      "NotAuthorizedException: Invalid login token. Issuer doesn't match providerName",
    );
  });

  it('refuses a token for another audience', async () => {
    const token = await foreign.sign({ aud: 'someone-else' });
    expect(await getIdError({ [loginsKey(foreign.issuer)]: token })).toBe('NotAuthorizedException: Invalid login token. Incorrect token audience.');
  });

  it('refuses an HS256 token', async () => {
    const token = await new SignJWT({ sub: 'auth0|alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(stack.config.issuer)
      .setAudience(stack.config.clientId)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-client-secret-of-at-least-32-bytes!'));
    expect(await getIdError({ [loginsKey(stack.config.issuer)]: token })).toBe(
      "NotAuthorizedException: Invalid login token. Couldn't verify signed token.",
    );
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature = ''] = aliceIdToken.split('.');
    const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await getIdError({ [loginsKey(stack.config.issuer)]: forged })).toBe(
      "NotAuthorizedException: Invalid login token. Couldn't verify signed token.",
    );
  });

  it('refuses the ID tokens of a provider misconfigured with HS256', async () => {
    const misconfigured = await startStack({ port: 0, idTokenAlg: 'HS256' });
    try {
      const { idToken } = await signInHs256(misconfigured);
      const error = await cognitoClient(misconfigured)
        .send(
          new GetIdCommand({ IdentityPoolId: misconfigured.config.identityPoolId, Logins: { [loginsKey(misconfigured.config.issuer)]: idToken } }),
        )
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'NotAuthorizedException', message: "Invalid login token. Couldn't verify signed token." });
    } finally {
      await misconfigured.close();
    }
  });

  it('refuses a pool without unauthenticated access when Logins is empty', async () => {
    expect(await getIdError({})).toBe('NotAuthorizedException: Unauthenticated access is not supported for this identity pool.');
  });
});

describe('identity pool and identity errors', () => {
  it('answers ResourceNotFoundException for an unknown pool', async () => {
    const pool = 'us-east-1:00000000-0000-4000-8000-000000000000';
    expect(await getIdError({ [loginsKey(stack.config.issuer)]: aliceIdToken }, pool)).toBe(
      `ResourceNotFoundException: IdentityPool '${pool}' not found.`,
    );
  });

  it('answers ResourceNotFoundException for an unknown identity', async () => {
    const IdentityId = 'us-east-1:00000000-0000-4000-8000-000000000000';
    const Logins = { [loginsKey(stack.config.issuer)]: aliceIdToken };
    await expect(cognitoClient(stack).send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Identity '${IdentityId}' not found.`,
    });
  });

  it("refuses credentials for someone else's identity", async () => {
    const bob = await awsSession(stack, (await signIn(stack, 'bob')).idToken);
    const Logins = { [loginsKey(stack.config.issuer)]: aliceIdToken };
    await expect(cognitoClient(stack).send(new GetCredentialsForIdentityCommand({ IdentityId: bob.identityId, Logins }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    });
  });
});

// The constraints of the API reference (GetId, "Request Parameters"), which the SDK does not check on its side.
describe('requests outside the API’s constraints', () => {
  const provider = () => loginsKey(stack.config.issuer);

  it('refuses more than 10 logins, a provider name over 128 characters and a token over 50,000, naming the member', async () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`issuer${i}.example.com`, aliceIdToken]));
    expect(await getIdError(eleven)).toBe(
      "ValidationException: 1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
    expect(await getIdError({ [`${'a'.repeat(129)}.example.com`]: aliceIdToken })).toMatch(
      /^ValidationException: .* at 'logins' .*Map keys must satisfy constraint/,
    );
    expect(await getIdError({ [provider()]: 'x'.repeat(50_001) })).toMatch(
      /^ValidationException: .* at 'logins' .*Map value must satisfy constraint/,
    );
    expect(await getIdError({ [provider()]: '' })).toMatch(/^ValidationException: .*Map value must satisfy constraint/);
    // Validation comes before any lookup, as at AWS: an unknown pool or identity with malformed Logins is refused as malformed.
    expect(await getIdError({ [provider()]: '' }, 'us-east-1:00000000-0000-4000-8000-000000000000')).toMatch(
      /^ValidationException: .*Map value must satisfy constraint/,
    );
    const unknownIdentity = new GetCredentialsForIdentityCommand({
      IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000',
      Logins: { [provider()]: '' },
    });
    await expect(cognitoClient(stack).send(unknownIdentity)).rejects.toMatchObject({ name: 'ValidationException' });
    // At the limit, the token itself is what is judged.
    expect(await getIdError({ [provider()]: 'x'.repeat(50_000) })).toMatch(/^NotAuthorizedException: /);
  });

  it('refuses an AccountId that is not 1 to 15 digits, and an identity pool id over 55 characters', async () => {
    const Logins = { [provider()]: aliceIdToken };
    const IdentityPoolId = stack.config.identityPoolId;
    for (const AccountId of ['12345678901234a', '1234567890123456']) {
      await expect(cognitoClient(stack).send(new GetIdCommand({ IdentityPoolId, Logins, AccountId }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining(`Value '${AccountId}' at 'accountId' failed to satisfy constraint`),
      });
    }
    const answered = await cognitoClient(stack).send(new GetIdCommand({ IdentityPoolId, Logins, AccountId: '123456789012' }));
    expect(answered.IdentityId).toMatch(/^us-east-1:/);
    expect(await getIdError(Logins, `us-east-1:${'0'.repeat(46)}`)).toMatch(
      /^ValidationException: .*Member must have length less than or equal to 55$/,
    );
  });
});

/** The code flow against a provider signing ID tokens with HS256 (oauth4webapi rightly refuses those, so by hand). */
async function signInHs256(target: Stack): Promise<{ idToken: string }> {
  const session = await newSession(target);
  const request = await authorizationRequest(session);
  const callback = new URL(await loginThroughForm(request.url, { username: 'alice', password: 'password' }));
  const response = await fetch(new URL('oauth/token', target.config.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: session.redirectUri,
      code_verifier: request.verifier,
      client_id: target.config.clientId,
    }).toString(),
  });
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !('id_token' in body) || typeof body.id_token !== 'string') {
    throw new Error(`no ID token: ${JSON.stringify(body)}`);
  }
  return { idToken: body.id_token };
}

describe('a role whose trust policy refuses the pool’s identities', () => {
  it('gets no credentials in the enhanced flow: Cognito assumes the role itself, and says the pool is misconfigured', async () => {
    // A common mistake: the amr condition asks for unauthenticated identities.
    const broken = await startStack({
      port: 0,
      authenticatedRoleTrust: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: 'cognito-identity.amazonaws.com' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: 'IdentityPool' } },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
            },
          },
        ],
      },
    });
    try {
      await expect(awsSession(broken, (await signIn(broken, 'alice')).idToken)).rejects.toMatchObject({
        name: 'InvalidIdentityPoolConfigurationException',
        message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
      });
    } finally {
      await broken.close();
    }
  });
});
