// DynamoDB through the real SDK client, signed with the credentials Cognito issued: the caller's own
// partition works; anything else is refused as AWS refuses it.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDE_ACTIONS } from '../../stack/dynamodb/policy';
import { isObject } from '../../stack/http';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { awsSession, dynamoClient } from './support/aws-clients';
import type { AwsCredentials } from './support/aws-clients';
import { signIn } from './support/oidc-client';
import { startTamperingProxy } from './support/tampering-proxy';
import type { InTransit } from './support/tampering-proxy';

const TableName = 'ExtensionDatasets';
let stack: Stack;
let alice: { identityId: string; credentials: AwsCredentials };
let bob: { identityId: string; credentials: AwsCredentials };
let db: DynamoDBClient;

beforeAll(async () => {
  // A wider role than the deployed one: these tests cover operations the extension never sends.
  stack = await startStack({ port: 0, allowedActions: [...WIDE_ACTIONS] });
  alice = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
  bob = await awsSession(stack, (await signIn(stack, 'bob')).idToken);
  db = dynamoClient(stack, alice.credentials);
});

afterAll(async () => {
  await stack.close();
});

const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) {
      const metadata = '$metadata' in error && typeof error.$metadata === 'object' && error.$metadata !== null ? error.$metadata : {};
      const status = 'httpStatusCode' in metadata && typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
      return { name: error.name, message: error.message, status };
    }
    throw error;
  }
  throw new Error('the call succeeded');
}

describe("the caller's own partition", () => {
  it('puts, gets, updates and deletes an item', async () => {
    await db.send(new PutItemCommand({ TableName, Item: { ...key(alice.identityId, 'notes/a'), value: { S: 'one' } } }));
    await db.send(
      new UpdateItemCommand({
        TableName,
        Key: key(alice.identityId, 'notes/a'),
        UpdateExpression: 'SET #v = :v',
        ConditionExpression: '#v = :old',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':v': { S: 'two' }, ':old': { S: 'one' } },
      }),
    );
    const { Item } = await db.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'notes/a'), ConsistentRead: true }));
    expect(Item?.['value']).toEqual({ S: 'two' });
    await db.send(new DeleteItemCommand({ TableName, Key: key(alice.identityId, 'notes/a') }));
    expect((await db.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'notes/a') }))).Item).toBeUndefined();
  });

  it('answers ConditionalCheckFailedException for a failed condition', async () => {
    await db.send(new PutItemCommand({ TableName, Item: key(alice.identityId, 'notes/b') }));
    const error = await failure(
      db.send(new PutItemCommand({ TableName, Item: key(alice.identityId, 'notes/b'), ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    expect([error.name, error.message]).toEqual(['ConditionalCheckFailedException', 'The conditional request failed']);
  });

  it('queries changes since a sync count on the bySync index', async () => {
    const record = (name: string, count: number) => ({
      PutRequest: { Item: { ...key(alice.identityId, `prefs/${name}`), sc: { S: `prefs/${String(count).padStart(12, '0')}` } } },
    });
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [record('a', 1), record('b', 2), record('c', 3)] } }));
    const { Items } = await db.send(
      new QueryCommand({
        TableName,
        IndexName: 'bySync',
        ConsistentRead: true,
        KeyConditionExpression: 'pk = :id AND sc BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':id': { S: alice.identityId }, ':from': { S: 'prefs/000000000002' }, ':to': { S: 'prefs/999999999999' } },
      }),
    );
    expect(Items?.map((item) => item['sk']?.S)).toEqual(['prefs/b', 'prefs/c']);
  });

  it('reads a batch of its own items', async () => {
    await db.send(new PutItemCommand({ TableName, Item: key(alice.identityId, 'batch/x') }));
    const { Responses } = await db.send(
      new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [key(alice.identityId, 'batch/x'), key(alice.identityId, 'batch/none')] } } }),
    );
    expect(Responses?.[TableName]).toEqual([key(alice.identityId, 'batch/x')]);
  });

  it('describes the table: pk + sk, the bySync index, on demand', async () => {
    const { Table } = await db.send(new DescribeTableCommand({ TableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.LocalSecondaryIndexes?.[0]?.IndexName).toBe('bySync');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe("another identity's partition and everything else: AccessDeniedException", () => {
  const denied = async (promise: Promise<unknown>) => {
    const error = await failure(promise);
    expect(error.name).toBe('AccessDeniedException');
    expect(error.status).toBe(400);
    return error.message;
  };

  it("refuses reading another identity's item", async () => {
    expect(await denied(db.send(new GetItemCommand({ TableName, Key: key(bob.identityId, 'notes/a') })))).toMatch(
      /is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:\d{12}:table\/ExtensionDatasets/,
    );
  });

  it("refuses writing into another identity's partition, and writes nothing", async () => {
    await denied(db.send(new PutItemCommand({ TableName, Item: key(bob.identityId, 'planted') })));
    const bobDb = dynamoClient(stack, bob.credentials);
    expect((await bobDb.send(new GetItemCommand({ TableName, Key: key(bob.identityId, 'planted') }))).Item).toBeUndefined();
  });

  it("refuses a query on another identity's partition", async () => {
    await denied(
      db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :id', ExpressionAttributeValues: { ':id': { S: bob.identityId } } })),
    );
  });

  it('refuses a batch that touches another partition among its own', async () => {
    await denied(
      db.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [key(alice.identityId, 'x'), key(bob.identityId, 'x')] } } })),
    );
    await denied(db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ DeleteRequest: { Key: key(bob.identityId, 'x') } }] } })));
  });

  it("refuses a transaction with an item of another identity's partition", async () => {
    await denied(
      db.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: key(alice.identityId, 'tx/mine') } },
            { Put: { TableName, Item: key(bob.identityId, 'tx/theirs') } },
          ],
        }),
      ),
    );
    expect((await db.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'tx/mine') }))).Item).toBeUndefined();
  });

  it('refuses operations outside the policy', async () => {
    await denied(db.send(new ScanCommand({ TableName })));
    expect(await denied(db.send(new ListTablesCommand({})))).toContain(
      'dynamodb:ListTables on resource: arn:aws:dynamodb:us-east-1:000000000000:table/*',
    );
  });

  it('refuses other tables', async () => {
    await denied(db.send(new GetItemCommand({ TableName: 'OtherTable', Key: key(alice.identityId, 'x') })));
  });
});

describe('signatures: requests are refused as AWS refuses them', () => {
  async function throughProxy(tamper: (request: InTransit) => InTransit) {
    const proxy = await startTamperingProxy(stack.config.endpoints.dynamodb, tamper);
    try {
      const client = dynamoClient(stack, alice.credentials, { endpoint: proxy.url });
      // A transparent proxy: the request names the stack in Host (which the stack requires, and which is signed).
      const stackHost = new URL(stack.url).host;
      client.middlewareStack.add(
        (next) => (args) => {
          const headers = isObject(args.request) ? args.request['headers'] : undefined;
          if (isObject(headers)) headers['host'] = stackHost;
          return next(args);
        },
        { step: 'build', priority: 'high' },
      );
      return await failure(client.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'x') })));
    } finally {
      await proxy.close();
    }
  }

  it('refuses a signature altered in transit', async () => {
    const error = await throughProxy(({ headers, body }) => ({
      headers: { ...headers, authorization: headers.authorization?.replace(/Signature=(.)/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`) },
      body,
    }));
    expect(error).toEqual({
      name: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      status: 400,
    });
  });

  it('refuses a body altered in transit', async () => {
    const error = await throughProxy(({ headers, body }) => ({
      headers,
      body: Buffer.from(body.toString().replace(alice.identityId, bob.identityId)),
    }));
    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses a request signed with a wrong secret', async () => {
    const client = dynamoClient(stack, { ...alice.credentials, secretAccessKey: `${alice.credentials.secretAccessKey}x` });
    expect((await failure(client.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'x') })))).name).toBe('InvalidSignatureException');
  });

  it('refuses an access key Cognito never issued', async () => {
    const client = dynamoClient(stack, { ...alice.credentials, accessKeyId: 'ASIAUNKNOWNUNKNOWN00' });
    expect(await failure(client.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'x') })))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 400,
    });
  });

  it('refuses a request without the session token issued with the key', async () => {
    const { sessionToken, ...withoutToken } = alice.credentials;
    const client = dynamoClient(stack, withoutToken);
    expect(sessionToken).not.toBe('');
    expect((await failure(client.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'x') })))).name).toBe('UnrecognizedClientException');
  });

  it('refuses a signature dated more than 15 minutes ago', async () => {
    const client = dynamoClient(stack, alice.credentials, { systemClockOffset: -20 * 60_000 });
    const error = await failure(client.send(new GetItemCommand({ TableName, Key: key(alice.identityId, 'x') })));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(stack.config.endpoints.dynamodb, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('by default allows exactly what the deployed role allows: no delete, even of your own item', async () => {
    const deployed = await startStack({ port: 0 });
    try {
      const { identityId, credentials } = await awsSession(deployed, (await signIn(deployed, 'alice')).idToken);
      const client = dynamoClient(deployed, credentials);
      await client.send(new PutItemCommand({ TableName, Item: key(identityId, 'mine') }));
      expect(await failure(client.send(new DeleteItemCommand({ TableName, Key: key(identityId, 'mine') })))).toMatchObject({
        name: 'AccessDeniedException',
        status: 400,
      });
      const { Item } = await client.send(new GetItemCommand({ TableName, Key: key(identityId, 'mine') }));
      expect(Item).toEqual(key(identityId, 'mine'));
    } finally {
      await deployed.close();
    }
  });

  it('refuses expired credentials', async () => {
    // The stack's clock moves past the credentials' lifetime instead of the test sleeping through it.
    let later = 0;
    const shortLived = await startStack({ port: 0, credentialsTtl: 60, clock: () => Date.now() + later });
    try {
      const { identityId, credentials } = await awsSession(shortLived, (await signIn(shortLived, 'alice')).idToken);
      const client = dynamoClient(shortLived, credentials);
      await client.send(new PutItemCommand({ TableName, Item: key(identityId, 'fresh') }));
      later = credentials.expiration.getTime() - Date.now() + 1_000;
      expect(await failure(client.send(new GetItemCommand({ TableName, Key: key(identityId, 'fresh') })))).toEqual({
        name: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
        status: 400,
      });
    } finally {
      await shortLived.close();
    }
  });
});
