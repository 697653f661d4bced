// STS AssumeRoleWithWebIdentity through the real SDK client: the basic (classic) flow. Only tokens the
// stack's Cognito signed pass, the named role's trust policy decides as IAM would, and the credentials
// reach the caller's own partition only.
import { GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { ExtraRole, Stack } from '../../stack/index';
import { cognitoClient, dynamoClient, loginsKey } from './support/aws-clients';
import type { AwsCredentials } from './support/aws-clients';
import { signIn } from './support/oidc-client';

const COGNITO = 'cognito-identity.amazonaws.com';
const trustPolicy = (condition: Record<string, unknown>, federated: string = COGNITO) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
});
const ROLES: ExtraRole[] = [
  {
    name: 'OtherPoolRole',
    trustPolicy: trustPolicy({
      StringEquals: { [`${COGNITO}:aud`]: 'us-east-1:00000000-0000-4000-8000-000000000000' },
      'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' },
    }),
  },
  {
    name: 'GuestsOnlyRole',
    trustPolicy: trustPolicy({
      StringEquals: { [`${COGNITO}:aud`]: { Ref: 'IdentityPool' } },
      'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'unauthenticated' },
    }),
  },
  {
    name: 'GoogleRole',
    trustPolicy: trustPolicy({ StringEquals: { 'accounts.google.com:aud': 'some-client' } }, 'accounts.google.com'),
  },
  {
    name: 'LongSessionRole',
    trustPolicy: trustPolicy({ StringEquals: { [`${COGNITO}:aud`]: { Ref: 'IdentityPool' } } }),
    maxSessionDuration: 7200,
  },
];
const roleArn = (name: string) => `arn:aws:iam::000000000000:role/${name}`;

let stack: Stack;
let closed: Stack;
let alice: { identityId: string; token: string };
let bobIdentityId: string;

function sts(target: Stack): STSClient {
  return new STSClient({ region: target.config.region, endpoint: target.config.endpoints.sts, maxAttempts: 1 });
}

/** GetId then GetOpenIdToken for a person signed in at the stack's provider. */
async function openIdToken(target: Stack, username: string): Promise<{ identityId: string; token: string }> {
  const { idToken } = await signIn(target, username);
  const Logins = { [loginsKey(target.config.issuer)]: idToken };
  const cognito = cognitoClient(target);
  const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: target.config.identityPoolId, Logins }));
  const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
  if (!IdentityId || !Token) throw new Error('no OpenID token');
  return { identityId: IdentityId, token: Token };
}

async function assume(RoleArn: string, WebIdentityToken: string, extra: { DurationSeconds?: number } = {}): Promise<AwsCredentials> {
  const { Credentials } = await sts(stack).send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'alice-session', WebIdentityToken, ...extra }),
  );
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = Credentials ?? {};
  if (!AccessKeyId || !SecretAccessKey || !SessionToken || !Expiration) throw new Error('incomplete credentials');
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration: Expiration };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

beforeAll(async () => {
  [stack, closed] = await Promise.all([startStack({ port: 0, allowClassicFlow: true, roles: ROLES }), startStack({ port: 0 })]);
  alice = await openIdToken(stack, 'alice');
  bobIdentityId = (await openIdToken(stack, 'bob')).identityId;
});

afterAll(async () => {
  await Promise.all([stack?.close(), closed?.close()]);
});

describe('the basic flow', () => {
  it('gives credentials for the template role that reach the caller’s own partition only', async () => {
    const credentials = await assume(stack.config.roleArn, alice.token);
    const dynamo = dynamoClient(stack, credentials);
    const TableName = stack.config.tableName;
    await dynamo.send(new PutItemCommand({ TableName, Item: { pk: { S: alice.identityId }, sk: { S: 'basic' }, v: { S: 'mine' } } }));
    const { Item } = await dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: alice.identityId }, sk: { S: 'basic' } } }));
    expect(Item?.['v']).toEqual({ S: 'mine' });
    expect(await refusal(dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: bobIdentityId }, sk: { S: 'basic' } } })))).toMatch(
      /^AccessDeniedException: /,
    );
  });

  it('answers with the identity as the subject and an hour’s credentials by default', async () => {
    const before = Date.now();
    const output = await sts(stack).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: stack.config.roleArn, RoleSessionName: 'alice-session', WebIdentityToken: alice.token }),
    );
    expect(output.SubjectFromWebIdentityToken).toBe(alice.identityId);
    expect(output.Provider).toBe(COGNITO);
    expect(output.AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/Cognito_ExtensionDatasetsAuth_Role/alice-session');
    const lifetime = (output.Credentials?.Expiration?.getTime() ?? 0) - before;
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3601_000);
  });

  it('is refused at GetOpenIdToken by a pool without the classic flow', async () => {
    expect(closed.config.allowClassicFlow).toBe(false);
    expect(await refusal(openIdToken(closed, 'alice'))).toBe(
      'InvalidParameterException: Basic (classic) flow is not enabled, please use enhanced flow.',
    );
  });
});

describe('the role’s trust policy, as written', () => {
  const DENIED = 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity';

  it('refuses a role whose trust policy names another pool', async () => {
    expect(await refusal(assume(roleArn('OtherPoolRole'), alice.token))).toBe(DENIED);
  });

  it('refuses a role that trusts only unauthenticated identities', async () => {
    expect(await refusal(assume(roleArn('GuestsOnlyRole'), alice.token))).toBe(DENIED);
  });

  it('refuses a role that does not trust cognito-identity.amazonaws.com', async () => {
    expect(await refusal(assume(roleArn('GoogleRole'), alice.token))).toBe(DENIED);
  });

  it('cannot hold a role that trusts Cognito for every identity pool: IAM refuses to create one, and so does the stack', async () => {
    const open = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: COGNITO }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    };
    await expect(startStack({ port: 0, memory: true, authenticatedRoleTrust: open })).rejects.toThrow(
      'the local stack cannot create role Cognito_ExtensionDatasetsAuth_Role: a statement trusts cognito-identity.amazonaws.com',
    );
    await expect(startStack({ port: 0, memory: true, roles: [{ name: 'OpenRole', trustPolicy: open }] })).rejects.toThrow(
      'the local stack cannot create role OpenRole: a statement trusts cognito-identity.amazonaws.com without a condition on cognito-identity.amazonaws.com:aud',
    );
  });

  it('refuses a role the template does not define', async () => {
    expect(await refusal(assume(roleArn('NoSuchRole'), alice.token))).toBe(DENIED);
  });

  it('refuses a session longer than the role’s maximum, and grants one within it', async () => {
    expect(await refusal(assume(stack.config.roleArn, alice.token, { DurationSeconds: 7200 }))).toBe(
      'ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    const long = await assume(roleArn('LongSessionRole'), alice.token, { DurationSeconds: 7200 });
    expect(long.expiration.getTime() - Date.now()).toBeGreaterThan(7100_000);
  });
});

describe('the web identity token', () => {
  it('is 4 to 20,000 characters, as STS’s model says, checked before it is read', async () => {
    expect(await refusal(assume(stack.config.roleArn, 'abc'))).toBe(
      "ValidationError: 1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    );
    expect(await refusal(assume(stack.config.roleArn, `${alice.token}.${'x'.repeat(20_000)}`))).toMatch(
      /Member must have length less than or equal to 20000$/,
    );
  });

  it('must be one the stack’s Cognito signed, not the provider’s ID token', async () => {
    const { idToken } = await signIn(stack, 'alice');
    expect(await refusal(assume(stack.config.roleArn, idToken))).toMatch(
      /^InvalidIdentityTokenException: No OpenIDConnect provider found in your account for http:\/\/127\.0\.0\.1:/,
    );
  });

  it('must carry the stack’s signature, whatever its claims', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    // The header names the stack's own key, so only the signature gives the forgery away.
    const jwks: unknown = await (await fetch(`${stack.config.endpoints.cognitoIdentity}/.well-known/jwks_uri`)).json();
    const kid = String((jwks as { keys: Array<{ kid?: string }> }).keys[0]?.kid);
    const forged = await new SignJWT({ amr: ['authenticated'] })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer('https://cognito-identity.amazonaws.com')
      .setSubject(bobIdentityId)
      .setAudience(stack.config.identityPoolId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await refusal(assume(stack.config.roleArn, forged))).toBe('InvalidIdentityTokenException: Incorrect token signature');
  });
});

describe('counters and faults', () => {
  it('counts AssumeRoleWithWebIdentity and plays an injected error as STS answers it', async () => {
    stack.resetCounters();
    stack.addFault({
      service: 'sts',
      operation: 'AssumeRoleWithWebIdentity',
      kind: 'error',
      errorType: 'IDPCommunicationError',
      message: 'try again',
    });
    expect(await refusal(assume(stack.config.roleArn, alice.token))).toBe('IDPCommunicationErrorException: try again');
    await assume(stack.config.roleArn, alice.token);
    expect(stack.counters()['sts.AssumeRoleWithWebIdentity']?.requests).toBe(2);
  });
});
