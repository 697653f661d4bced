// A provider that rotates its signing key, behind a JWKS it lets clients cache for five minutes: the stack's
// Cognito accepts a token signed with the new key at once, as Cognito does, instead of refusing it until
// some cache or cool-down expires (which would sign the person out).
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { awsSession, cognitoClient, dynamoClient, loginsKey } from './support/aws-clients';
import { startForeignIssuer } from './support/foreign-issuer';
import type { ForeignIssuer } from './support/foreign-issuer';

let stack: Stack;
let foreign: ForeignIssuer;

beforeAll(async () => {
  foreign = await startForeignIssuer();
  stack = await startStack({ port: 0, trust: [{ issuer: foreign.issuer, clientIds: [foreign.clientId] }] });
});

afterAll(async () => {
  await stack.close();
  await foreign.close();
});

describe('a provider that rotates its signing key', () => {
  it('is followed at once: a token with the new key gets credentials that write to DynamoDB', async () => {
    const before = await awsSession(stack, await foreign.sign(), foreign.issuer);
    const fetchesBefore = foreign.jwksRequests();

    await foreign.rotate();
    const after = await awsSession(stack, await foreign.sign(), foreign.issuer);

    expect(after.identityId).toBe(before.identityId);
    expect(foreign.jwksRequests()).toBe(fetchesBefore + 1);
    const db = dynamoClient(stack, after.credentials);
    const Key = { pk: { S: after.identityId }, sk: { S: 'rotated' } };
    await db.send(new PutItemCommand({ TableName: stack.config.tableName, Item: { ...Key, syncCount: { N: '1' } } }));
    expect((await db.send(new GetItemCommand({ TableName: stack.config.tableName, Key }))).Item?.['syncCount']).toEqual({ N: '1' });
  });

  it('fetches the new keys once for many logins that arrive together', async () => {
    await awsSession(stack, await foreign.sign(), foreign.issuer);
    await foreign.rotate();
    const fetchesBefore = foreign.jwksRequests();
    const tokens = await Promise.all([1, 2, 3, 4].map(() => foreign.sign()));
    const sessions = await Promise.all(tokens.map((token) => awsSession(stack, token, foreign.issuer)));
    expect(new Set(sessions.map((session) => session.identityId)).size).toBe(1);
    expect(foreign.jwksRequests()).toBe(fetchesBefore + 1);
  });

  it('still refuses a token signed by a key the provider never published', async () => {
    const forged = await foreign.signWithUnpublishedKey();
    await expect(
      cognitoClient(stack).send(new GetIdCommand({ IdentityPoolId: stack.config.identityPoolId, Logins: { [loginsKey(foreign.issuer)]: forged } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: "Invalid login token. Couldn't verify signed token." });
  });
});
