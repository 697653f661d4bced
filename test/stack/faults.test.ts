// Injected faults, observed through the real clients (no retries, so each fault shows).
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Fault, Stack } from '../../stack/index';
import { awsSession, cognitoClient, dynamoClient, loginsKey } from './support/aws-clients';
import { signIn } from './support/oidc-client';

const TableName = 'ExtensionDatasets';
let stack: Stack;
let identityId: string;
let idToken: string;
let db: DynamoDBClient;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  idToken = (await signIn(stack, 'alice')).idToken;
  const session = await awsSession(stack, idToken);
  identityId = session.identityId;
  db = dynamoClient(stack, session.credentials);
});

afterEach(() => {
  stack.clearFaults();
});

afterAll(async () => {
  await stack.close();
});

const getItem = () => db.send(new GetItemCommand({ TableName, Key: { pk: { S: identityId }, sk: { S: 'x' } } }));
const getId = () =>
  cognitoClient(stack).send(new GetIdCommand({ IdentityPoolId: stack.config.identityPoolId, Logins: { [loginsKey(stack.config.issuer)]: idToken } }));

async function caught(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('error: an AWS error with its type and message', () => {
  it('reaches the DynamoDB client as the modelled exception', async () => {
    stack.addFault({
      service: 'dynamodb',
      operation: 'Query',
      kind: 'error',
      errorType: 'ProvisionedThroughputExceededException',
      message: 'slow down',
    });
    const error = await caught(
      db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :id', ExpressionAttributeValues: { ':id': { S: identityId } } })),
    );
    expect([error.name, error.message, error.$metadata?.httpStatusCode]).toEqual(['ProvisionedThroughputExceededException', 'slow down', 400]);
  });

  it('reaches the Cognito client as the modelled exception', async () => {
    stack.addFault({
      service: 'cognito-identity',
      operation: 'GetId',
      kind: 'error',
      errorType: 'TooManyRequestsException',
      message: 'Rate exceeded',
    });
    const error = await caught(getId());
    expect([error.name, error.message]).toEqual(['TooManyRequestsException', 'Rate exceeded']);
  });

  it('answers the OpenID Connect client with an OAuth error', async () => {
    stack.addFault({ service: 'oidc', operation: 'token', kind: 'error', errorType: 'temporarily_unavailable', status: 503 });
    const response = await fetch(new URL('oauth/token', stack.config.issuer), {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token' }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('status: a bare HTTP status', () => {
  it('answers 500 InternalServerError to the DynamoDB client', async () => {
    stack.addFault({ service: 'dynamodb', kind: 'status', status: 500 });
    const error = await caught(getItem());
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['InternalServerError', 500]);
  });

  it('answers the status to the identity provider client', async () => {
    stack.addFault({ service: 'oidc', operation: 'discovery', kind: 'status', status: 502 });
    const response = await fetch(new URL('.well-known/openid-configuration', stack.config.issuer));
    expect([response.status, await response.text()]).toEqual([502, 'Bad Gateway']);
  });
});

describe('delay and drop', () => {
  it('delays a call, which then succeeds', async () => {
    stack.addFault({ service: 'dynamodb', operation: 'GetItem', kind: 'delay', delayMs: 250 });
    const started = performance.now();
    await getItem();
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  it('drops the connection without an answer', async () => {
    stack.addFault({ service: 'cognito-identity', operation: 'GetId', kind: 'drop' });
    const error = await caught(getId());
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(error.message).toMatch(/socket hang up|ECONNRESET|other side closed/);
  });
});

describe('which requests a fault hits', () => {
  it('hits the next `count` matching calls, then none', async () => {
    stack.addFault({ service: 'dynamodb', kind: 'error', errorType: 'ThrottlingException', count: 2 });
    expect((await caught(getItem())).name).toBe('ThrottlingException');
    expect((await caught(getItem())).name).toBe('ThrottlingException');
    await expect(getItem()).resolves.toBeDefined();
  });

  it('leaves other operations alone', async () => {
    stack.addFault({ service: 'cognito-identity', operation: 'GetCredentialsForIdentity', kind: 'status', status: 500 });
    const { IdentityId } = await getId();
    const error = await caught(
      cognitoClient(stack).send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [loginsKey(stack.config.issuer)]: idToken } })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(500);
  });

  it('is cleared by clearFaults', async () => {
    stack.addFault({ service: 'dynamodb', kind: 'drop', count: 10 });
    stack.clearFaults();
    await expect(getItem()).resolves.toBeDefined();
  });
});

describe('the admin endpoint', () => {
  const post = (fault: unknown) =>
    fetch(`${stack.url}/_stack/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });

  it('adds a fault from JSON', async () => {
    const fault: Fault = { service: 'dynamodb', operation: 'GetItem', kind: 'error', errorType: 'ThrottlingException', message: 'Rate exceeded' };
    const response = await post(fault);
    expect([response.status, await response.json()]).toEqual([201, fault]);
    expect((await caught(getItem())).name).toBe('ThrottlingException');
  });

  it('clears faults on DELETE', async () => {
    await post({ service: 'dynamodb', kind: 'drop' });
    expect((await fetch(`${stack.url}/_stack/faults`, { method: 'DELETE' })).status).toBe(204);
    await expect(getItem()).resolves.toBeDefined();
  });

  it('refuses an invalid fault, saying why', async () => {
    const response = await post({ service: 'dynamodb', kind: 'explode' });
    expect([response.status, await response.json()]).toEqual([400, { error: 'kind must be one of error, status, delay, drop' }]);
  });
});
