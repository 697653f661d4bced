// DynamoDB (awsJson1_0, X-Amz-Target: DynamoDB_20120810.*) in front of the engine: authenticate the SigV4
// signature against credentials the identity pool issued, authorise with the role's policy, then run the
// request — one at a time, so that a transaction is never observed half-applied. A single-item write to an item a
// transaction in flight holds is refused, as DynamoDB refuses it (transactions.ts).
import { assertTarget, jsonInput } from '../aws/request';
import type { AwsRequest } from '../aws/request';
import type { CredentialStore } from '../cognito/credentials';
import { isEngineOperation } from './engine';
import type { DynamoEngine, EngineOperation, Prepared } from './engine';
import { isObject } from '../http';
import type { JsonObject } from '../http';
import { createMutex } from '../mutex';
import { accessDenied, actionsOf, authorize, partitionKeyOf } from './policy';
import type { Access, RolePolicy } from './policy';
import { verifySignature } from '../aws/sigv4';
import { PARTITION_KEY } from './table';
import { createTransactionRunner, prepareTransaction, transactionAccesses } from './transactions';

export const DYNAMODB_CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface DynamoDbGatewayOptions {
  engine: DynamoEngine;
  credentials: CredentialStore;
  region: string;
  now: () => number;
  /** The role's policy (policy.ts: the deployed template's by default). */
  policy: RolePolicy;
  /** Awaited by each transaction before it commits, its items held (transactions.ts); none by default. */
  holdTransaction?: (() => Promise<void>) | undefined;
}

export interface DynamoDbGateway {
  handle(request: AwsRequest): Promise<JsonObject>;
}

function entriesOf(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value) : [];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The IAM authorisations a validated single-operation request needs. */
function accessesOf(operation: EngineOperation, request: Prepared): Access[] {
  const table = typeof request['TableName'] === 'string' ? request['TableName'] : undefined;
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: operation, table, leadingKeys: [partitionKeyOf(request['Key'])] }];
    case 'PutItem':
      return [{ action: operation, table, leadingKeys: [partitionKeyOf(request['Item'])] }];
    case 'Query': {
      // Validation turned KeyConditionExpression into KeyConditions; `pk = :v` is pk's AttributeValueList.
      const condition = entriesOf(request['KeyConditions']).find(([name]) => name === PARTITION_KEY)?.[1];
      const index = typeof request['IndexName'] === 'string' ? request['IndexName'] : undefined;
      return [{ action: operation, table, index, leadingKeys: isObject(condition) ? listOf(condition['AttributeValueList']) : [] }];
    }
    case 'BatchGetItem':
      return entriesOf(request['RequestItems']).map(([name, batch]) => ({
        action: operation,
        table: name,
        leadingKeys: listOf(isObject(batch) ? batch['Keys'] : undefined).map(partitionKeyOf),
      }));
    case 'BatchWriteItem':
      return entriesOf(request['RequestItems']).map(([name, writes]) => ({
        action: operation,
        table: name,
        leadingKeys: listOf(writes).map((write) => {
          const put = isObject(write) ? write['PutRequest'] : undefined;
          const del = isObject(write) ? write['DeleteRequest'] : undefined;
          return partitionKeyOf(isObject(put) ? put['Item'] : isObject(del) ? del['Key'] : undefined);
        }),
      }));
    case 'DescribeTable':
    case 'CreateTable': // never allowed; here so that every engine operation has an answer
      return [{ action: operation, table, leadingKeys: [] }];
  }
}

/** The item a PutItem, UpdateItem or DeleteItem writes; undefined for other operations. */
function singleItemWritten(operation: EngineOperation, request: Prepared): { table: string; key: unknown } | undefined {
  const table = String(request['TableName']);
  if (operation === 'PutItem') return { table, key: request['Item'] };
  if (operation === 'UpdateItem' || operation === 'DeleteItem') return { table, key: request['Key'] };
  return undefined;
}

export function createDynamoDbGateway(options: DynamoDbGatewayOptions): DynamoDbGateway {
  const { engine, credentials } = options;
  const lock = createMutex();
  const transactions = createTransactionRunner(engine, { lock, now: options.now, hold: options.holdTransaction });
  const allowedActions = actionsOf(options.policy);

  return {
    async handle(request) {
      assertTarget(request, 'DynamoDB_20120810');
      // The policy variable ${cognito-identity.amazonaws.com:sub} is the identity the credentials were issued to.
      const { identityId } = verifySignature(request, {
        service: 'dynamodb',
        region: options.region,
        now: options.now(),
        lookup: (accessKeyId) => credentials.find(accessKeyId),
      });
      const input = jsonInput(request);
      const { operation } = request;

      if (operation === 'TransactWriteItems') {
        const transaction = prepareTransaction(engine, input);
        authorize(identityId, transactionAccesses(transaction), options.policy);
        return transactions.run(identityId, transaction);
      }
      if (!allowedActions.has(operation) || !isEngineOperation(operation)) {
        throw accessDenied({ action: operation, table: typeof input['TableName'] === 'string' ? input['TableName'] : undefined, leadingKeys: [] });
      }
      const prepared = engine.prepare(operation, input);
      authorize(identityId, accessesOf(operation, prepared), options.policy);
      const written = singleItemWritten(operation, prepared);
      if (written) transactions.refuseIfHeld(written.table, written.key);
      return lock.run(() => engine.run(operation, prepared));
    },
  };
}
