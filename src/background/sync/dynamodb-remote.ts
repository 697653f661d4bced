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
import type { PullResult, PushRequest, PushResult, RemoteDataset, RemoteDatasetSummary, RemoteDirectory, RemoteRecord } from './remote';
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

/** Sends with the sync's retries, and turns a final failure into the AppError a person reads. */
function retrying(tableName: string, retry: RetryOptions) {
  return <T>(task: () => Promise<T>): Promise<T> =>
    withRetry(task, (error) => classifyDynamoError(error, tableName).retryable, retry).catch((error: unknown) => {
      throw classifyDynamoError(error, tableName).error;
    });
}

/** Every item of one identity's partition in the bySync index that `condition` selects, read consistently, page by page. */
async function queryBySync(
  client: DynamoSender,
  call: ReturnType<typeof retrying>,
  tableName: string,
  condition: string,
  values: Record<string, AttributeValue>,
): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await call(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'bySync',
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export function createDynamoRemote(options: DynamoRemoteOptions): RemoteDataset {
  const { client, tableName, identityId, datasetName } = options;
  const pk: AttributeValue = { S: identityId };
  const requestToken = options.requestToken ?? (() => crypto.randomUUID());

  const call = retrying(tableName, options.retry);

  /**
   * The head, read consistently: a transaction is either wholly visible to it or not at all. `deletedAt`:
   * the count of the dataset's last deletion (0: never deleted); records at or below it belong to a
   * dataset of the same name that was deleted, and are never pulled again.
   */
  const readHead = async (): Promise<Head> => {
    const { Item } = await call(() =>
      client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk, sk: { S: datasetName } },
          ConsistentRead: true,
          ProjectionExpression: '#count, #deletedAt, #deleted',
          ExpressionAttributeNames: { '#count': 'syncCount', '#deletedAt': 'deletedAt', '#deleted': 'deleted' },
        }),
      ),
    );
    return headOf(Item);
  };

  return {
    maxPatchesPerPush: MAX_PATCHES_PER_TRANSACTION,

    /**
     * The head first, then (only if it moved) the records committed in (since, head]. Reading the
     * head first means every record up to it is committed (Query is only read-committed per item),
     * so moving this device to the head's count skips nothing; later commits wait for the next pull.
     */
    async pull(since): Promise<PullResult> {
      const { syncCount: head, deletedAt, live } = await readHead();
      // Deleted after this device's count: gone, or written again since (then pulled from 0, i.e. from the deletion).
      if (since > 0 && since < deletedAt) return { records: [], syncCount: head, ...(live ? { deleted: true } : { gone: true }) };
      const from = Math.max(since, deletedAt);
      if (head <= from) return { records: [], syncCount: head };
      const items = await queryBySync(client, call, tableName, 'pk = :pk AND sc BETWEEN :from AND :to', {
        ':pk': pk,
        ':from': { S: `${datasetName}/${padSyncCount(from + 1)}` },
        ':to': { S: `${datasetName}/${padSyncCount(head)}` },
      });
      const records = items.map(toRemoteRecord);
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
          // `sc` puts the head in the bySync index under `#`, apart from every record: the listing reads heads only.
          UpdateExpression: 'SET syncCount = :next, modified = :now, sc = :head, #records = :records, #deleted = :false',
          ConditionExpression: request.baseSyncCount === 0 ? 'attribute_not_exists(syncCount)' : 'syncCount = :base',
          ExpressionAttributeNames: { '#records': 'records', '#deleted': 'deleted' },
          ExpressionAttributeValues: {
            ':next': { N: String(next) },
            ':now': { N: String(options.now()) },
            ':head': { S: headSortKey(datasetName) },
            ':records': { N: String(request.liveRecords ?? 0) },
            ':false': { BOOL: false },
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

interface Head {
  syncCount: number;
  deletedAt: number;
  /** Written since its last deletion (or never deleted), as opposed to absent or deleted. */
  live: boolean;
}

function headOf(item: Record<string, AttributeValue> | undefined): Head {
  if (!item) return { syncCount: 0, deletedAt: 0, live: false };
  return {
    syncCount: count(item['syncCount'], 'syncCount'),
    deletedAt: item['deletedAt'] ? count(item['deletedAt'], 'deletedAt') : 0,
    live: item['deleted']?.BOOL !== true,
  };
}

/** A head's `sc`: `#` and its name. No dataset name holds `#` and every record's `sc` starts with its name. */
export function headSortKey(datasetName: string): string {
  return `${HEAD_PREFIX}${datasetName}`;
}

const HEAD_PREFIX = '#';

export interface DynamoDirectoryOptions {
  client: DynamoSender;
  tableName: string;
  identityId: string;
  retry: RetryOptions;
  now(): number;
  /** The ClientRequestToken of a deletion, kept across its retries. */
  requestToken?: () => string;
}

/**
 * The identity's datasets: one Query of the bySync index for `sc` beginning with `#`, which holds the heads
 * and no record. A deletion is one update of the head: its count moves on and `deletedAt` records it,
 * so every device learns of it at its next pull, and a dataset written again under that name starts above
 * it. The records stay where they are (the role may not delete items); a new version of a key overwrites
 * its item, and the others are never pulled again.
 */
export function createDynamoDirectory(options: DynamoDirectoryOptions): RemoteDirectory {
  const { client, tableName, identityId } = options;
  const pk: AttributeValue = { S: identityId };
  const requestToken = options.requestToken ?? (() => crypto.randomUUID());
  const call = retrying(tableName, options.retry);
  return {
    async list(): Promise<RemoteDatasetSummary[]> {
      const datasets: RemoteDatasetSummary[] = [];
      for (const item of await queryBySync(client, call, tableName, 'pk = :pk AND begins_with(sc, :head)', {
        ':pk': pk,
        ':head': { S: HEAD_PREFIX },
      })) {
        const name = item['sk']?.S;
        if (name === undefined || item['deleted']?.BOOL === true) continue;
        datasets.push({
          name,
          records: item['records'] ? count(item['records'], 'records') : 0,
          modifiedAt: item['modified'] ? count(item['modified'], 'modified') : 0,
        });
      }
      return datasets;
    },

    async delete(datasetName: string): Promise<void> {
      // One Update in a transaction rather than UpdateItem: the role's policy covers the commands a sync
      // sends already (IAM checks the part as UpdateItem), and a deletion is rare enough for its double cost.
      const head: TransactWriteItem = {
        Update: {
          TableName: tableName,
          Key: { pk, sk: { S: datasetName } },
          // Operands read the item as it was: both counts become the old count + 1.
          UpdateExpression: 'SET syncCount = syncCount + :one, deletedAt = syncCount + :one, #deleted = :true, modified = :now, #records = :zero',
          // A head written before datasets could be deleted has no `deleted`.
          ConditionExpression: 'attribute_exists(syncCount) AND (attribute_not_exists(#deleted) OR #deleted = :false)',
          ExpressionAttributeNames: { '#deleted': 'deleted', '#records': 'records' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':zero': { N: '0' },
            ':true': { BOOL: true },
            ':false': { BOOL: false },
            ':now': { N: String(options.now()) },
          },
        },
      };
      const token = requestToken();
      await call(async (): Promise<void> => {
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems: [head], ClientRequestToken: token }));
        } catch (error) {
          // Never written, or deleted already: there is nothing left to delete. An answer, not an error.
          if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return;
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
