// Per-operation counters of requests and body bytes, faulted requests included.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { awsSession, dynamoClient } from './support/aws-clients';
import type { AwsCredentials } from './support/aws-clients';
import { signIn } from './support/oidc-client';

let stack: Stack;
let session: { identityId: string; credentials: AwsCredentials };

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  session = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
});

beforeEach(() => {
  stack.resetCounters();
});

afterAll(async () => {
  await stack.close();
});

describe('counters', () => {
  it('count requests and the exact bytes of each body, in and out', async () => {
    const body = JSON.stringify({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', Logins: {} });
    const response = await fetch(stack.config.endpoints.cognitoIdentity, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
      body,
    });
    const answer = await response.text();
    expect(stack.counters()).toEqual({
      'cognito-identity.GetId': { requests: 1, bytesIn: Buffer.byteLength(body), bytesOut: Buffer.byteLength(answer) },
    });
  });

  it('count each operation of the SDK clients separately', async () => {
    const db = dynamoClient(stack, session.credentials);
    const Key = { pk: { S: session.identityId }, sk: { S: 'counted' } };
    await db.send(new PutItemCommand({ TableName: 'ExtensionDatasets', Item: { ...Key, value: { S: 'x'.repeat(1000) } } }));
    await db.send(new GetItemCommand({ TableName: 'ExtensionDatasets', Key }));
    await db.send(new GetItemCommand({ TableName: 'ExtensionDatasets', Key }));
    const counters = stack.counters();
    expect(Object.keys(counters).sort()).toEqual(['dynamodb.GetItem', 'dynamodb.PutItem']);
    expect(counters['dynamodb.PutItem']?.requests).toBe(1);
    expect(counters['dynamodb.PutItem']?.bytesIn).toBeGreaterThan(1000);
    expect(counters['dynamodb.GetItem']?.requests).toBe(2);
    expect(counters['dynamodb.GetItem']?.bytesOut).toBeGreaterThan(2000);
  });

  it('count the identity provider by route', async () => {
    await signIn(stack, 'bob');
    const counters = stack.counters();
    expect(counters['oidc.authorize']?.requests).toBe(2);
    expect(counters['oidc.login']?.requests).toBe(2);
    expect(counters['oidc.token']?.requests).toBe(1);
  });

  it('count failed and dropped requests too', async () => {
    stack.addFault({ service: 'dynamodb', operation: 'GetItem', kind: 'drop' });
    const db = dynamoClient(stack, session.credentials, { credentials: { ...session.credentials, secretAccessKey: 'wrong' } });
    const Key = { pk: { S: session.identityId }, sk: { S: 'counted' } };
    await expect(db.send(new GetItemCommand({ TableName: 'ExtensionDatasets', Key }))).rejects.toThrow();
    await expect(db.send(new GetItemCommand({ TableName: 'ExtensionDatasets', Key }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(stack.counters()['dynamodb.GetItem']?.requests).toBe(2);
  });

  it('are served at /_stack/counters and reset by POST /_stack/counters/reset', async () => {
    await fetch(new URL('.well-known/jwks.json', stack.config.issuer));
    expect(await (await fetch(`${stack.url}/_stack/counters`)).json()).toEqual(stack.counters());
    expect(stack.counters()['oidc.jwks']?.requests).toBe(1);
    expect((await fetch(`${stack.url}/_stack/counters/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(204);
    expect(stack.counters()).toEqual({});
  });
});
