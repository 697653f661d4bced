// The DynamoDB backend of RemoteDataset (docs/dataset-model.md): one item per record under the
// identity's partition, a head item per dataset holding its sync count, a local secondary index
// `bySync` for delta pulls, and one TransactWriteItems per push guarded by the head's sync count.
import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AppError } from '../../shared/errors';
import { requestHandler } from '../platform/aws-clients';
import { t } from '../../shared/i18n';
import { cancellationCodes, classifyDynamoError } from './dynamodb-errors';
import type { PullResult, PushRequest, PushResult, RemoteDataset, RemoteRecord } from './remote';
import { withRetry, type RetryOptions } from './retry';

/** A transaction holds at most 100 items: the head and 99 records. */
export const MAX_PATCHES_PER_TRANSACTION = 99;
/** Sync counts in `sc` are zero-padded so that they sort as strings. */
const SYNC_COUNT_DIGITS = 12;
const MAX_SYNC_COUNT = 10 ** SYNC_COUNT_DIGITS - 1;

export interface DynamoClientConfig {
  region: string;
  endpoint: string;
  credentials: AwsCredentialIdentityProvider;
}

/** No SDK retries: ours are bounded and counted (retry.ts). */
export function createDynamoClient(config: DynamoClientConfig): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    maxAttempts: 1,
    // The signature is the credential: no cookies; and a bound on each request (platform/aws-clients.ts).
    requestHandler: requestHandler('dataset'),
  });
}

/** The part of DynamoDBClient this backend uses. */
export interface DynamoSender {
  send: DynamoDBClient['send'];
}

export interface DynamoRemoteOptions {
  client: DynamoSender;
  tableName: string;
  identityId: string;
  datasetName: string;
  retry: RetryOptions;
  now(): number;
  /** The ClientRequestToken of a push (≤ 36 characters), kept across its retries. */
  requestToken?: () => string;
}

export function padSyncCount(syncCount: number): string {
  return String(syncCount).padStart(SYNC_COUNT_DIGITS, '0');
}

/**
 * A record's sort key: `<dataset>/#<sha256 of the key, hex>`, always. A key may be 1,024 UTF-16
 * units (up to 3 KB of UTF-8), more than a sort key's 1,024 bytes; hashing every key rather than
 * only long ones keeps one form (no key can pass for a hash) and the sort key small. The key itself
 * is the `key` attribute.
 */
export async function recordSortKey(datasetName: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${datasetName}/#${hex}`;
}

export function createDynamoRemote(options: DynamoRemoteOptions): RemoteDataset {
  const { client, tableName, identityId, datasetName } = options;
  const pk: AttributeValue = { S: identityId };
  const requestToken = options.requestToken ?? (() => crypto.randomUUID());

  const call = <T>(task: () => Promise<T>): Promise<T> =>
    withRetry(task, (error) => classifyDynamoError(error, tableName).retryable, options.retry).catch((error: unknown) => {
      throw classifyDynamoError(error, tableName).error;
    });

  /** The head's sync count, read consistently: a transaction is either wholly visible to it or not at all. */
  const readHead = async (): Promise<number> => {
    const { Item } = await call(() =>
      client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk, sk: { S: datasetName } },
          ConsistentRead: true,
          ProjectionExpression: 'syncCount',
        }),
      ),
    );
    return Item ? count(Item['syncCount'], 'syncCount') : 0;
  };

  return {
    maxPatchesPerPush: MAX_PATCHES_PER_TRANSACTION,

    /**
     * The head first, then (only if it moved) the records committed in (since, head]. Reading the
     * head first means every record up to it is committed (Query is only read-committed per item),
     * so moving this device to the head's count skips nothing; later commits wait for the next pull.
     */
    async pull(since): Promise<PullResult> {
      const head = await readHead();
      if (head <= since) return { records: [], syncCount: head };
      const records: RemoteRecord[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await call(() =>
          client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'bySync',
              KeyConditionExpression: 'pk = :pk AND sc BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': pk,
                ':from': { S: `${datasetName}/${padSyncCount(since + 1)}` },
                ':to': { S: `${datasetName}/${padSyncCount(head)}` },
              },
              ConsistentRead: true,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          ),
        );
        for (const item of page.Items ?? []) records.push(toRemoteRecord(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return { records, syncCount: head };
    },

    /**
     * One transaction: the head moves from the base count to the next (the condition fails if any
     * other device committed since), and every patch is written at that count. A retry after a lost
     * answer reuses the ClientRequestToken, so DynamoDB applies it once; if it did apply and the
     * token was forgotten, the condition fails and the next pull acknowledges this device's records.
     */
    async push(request: PushRequest): Promise<PushResult> {
      if (request.patches.length === 0) return { status: 'committed', syncCount: request.baseSyncCount };
      if (request.patches.length > MAX_PATCHES_PER_TRANSACTION) throw new RangeError('Too many patches for one transaction');
      const next = request.baseSyncCount + 1;
      if (next > MAX_SYNC_COUNT) throw new AppError('DATASET_LIMIT', t('errorSyncUnexpected', 'sync count overflow'));
      const sc: AttributeValue = { S: `${datasetName}/${padSyncCount(next)}` };
      const head: TransactWriteItem = {
        Update: {
          TableName: tableName,
          Key: { pk, sk: { S: datasetName } },
          UpdateExpression: 'SET syncCount = :next, modified = :now',
          ConditionExpression: request.baseSyncCount === 0 ? 'attribute_not_exists(syncCount)' : 'syncCount = :base',
          ExpressionAttributeValues: {
            ':next': { N: String(next) },
            ':now': { N: String(options.now()) },
            ...(request.baseSyncCount === 0 ? {} : { ':base': { N: String(request.baseSyncCount) } }),
          },
        },
      };
      const puts = await Promise.all(
        request.patches.map(async (patch): Promise<TransactWriteItem> => {
          const item: Record<string, AttributeValue> = {
            pk,
            sk: { S: await recordSortKey(datasetName, patch.key) },
            key: { S: patch.key },
            deleted: { BOOL: patch.value === null },
            syncCount: { N: String(next) },
            sc,
            deviceModified: { N: String(patch.deviceModified) },
            deviceId: { S: request.deviceId },
          };
          if (patch.value !== null) item['value'] = { S: patch.value };
          return { Put: { TableName: tableName, Item: item } };
        }),
      );
      const token = requestToken();
      return call(async (): Promise<PushResult> => {
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems: [head, ...puts], ClientRequestToken: token }));
          return { status: 'committed', syncCount: next };
        } catch (error) {
          // The head's condition failed: another device committed first. An answer, not an error.
          if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return { status: 'conflict' };
          throw error;
        }
      });
    },
  };
}

function count(value: AttributeValue | undefined, name: string): number {
  const n = value?.N === undefined ? Number.NaN : Number(value.N);
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('INTERNAL', t('errorSyncUnexpected', `bad ${name}`));
  return n;
}

function toRemoteRecord(item: Record<string, AttributeValue>): RemoteRecord {
  const key = item['key']?.S;
  if (key === undefined) throw new AppError('INTERNAL', t('errorSyncUnexpected', 'a record without a key'));
  const deleted = item['deleted']?.BOOL === true;
  const value = deleted ? null : (item['value']?.S ?? null);
  return {
    key,
    value,
    syncCount: count(item['syncCount'], 'syncCount'),
    deviceModified: count(item['deviceModified'], 'deviceModified'),
    deviceId: item['deviceId']?.S ?? '',
  };
}
