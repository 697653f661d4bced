// Amazon Cognito Sync (restJson1, SigV4 signing name `cognito-sync`) under /cognito-sync: ListRecords,
// UpdateRecords, DescribeDataset, ListDatasets, DeleteDataset. Each request is authenticated against the
// credentials the identity pool issued, confined to the caller's identity by the role's policy
// (policy.ts), then run one at a time so that an UpdateRecords is never seen half-applied.
// API reference: https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_Operations.html
import { randomBytes } from 'node:crypto';
import type { CredentialStore } from '../cognito/credentials';
import { verifySignature } from '../aws/sigv4';
import type { ReceivedRequest } from '../aws/sigv4';
import { AwsError, isObject } from '../http';
import type { JsonObject } from '../http';
import { createMutex } from '../mutex';
import { authorize, resourceArn } from './policy';
import { LIMITS, usage } from './store';
import type { Patch, SyncDataset, SyncRecord, SyncStore } from './store';

export const COGNITO_SYNC_CONTENT_TYPE = 'application/json';
export const COGNITO_SYNC_PREFIX = '/cognito-sync';

/** How long a ListRecords' SyncSessionToken may be used for UpdateRecords. */
const SESSION_TTL_MS = 15 * 60 * 1000;
const DEFAULT_MAX_RESULTS = 1024;
const DATASET_NAME = /^[a-zA-Z0-9_.:-]{1,128}$/;

export type CognitoSyncOperation = 'ListRecords' | 'UpdateRecords' | 'DescribeDataset' | 'ListDatasets' | 'DeleteDataset';

interface Route {
  operation: CognitoSyncOperation;
  poolId: string;
  identityId: string;
  datasetName?: string;
}

export interface CognitoSyncOptions {
  store: SyncStore;
  credentials: CredentialStore;
  region: string;
  poolId: string;
  now: () => number;
}

export interface CognitoSync {
  /** The operation a request names, for counters and faults; undefined when it names none. */
  operationOf(method: string, path: string): CognitoSyncOperation | undefined;
  handle(request: ReceivedRequest): Promise<JsonObject>;
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404);
}

function datasetOperation(method: string): CognitoSyncOperation | undefined {
  if (method === 'GET') return 'DescribeDataset';
  if (method === 'DELETE') return 'DeleteDataset';
  if (method === 'POST') return 'UpdateRecords';
  return undefined;
}

function route(method: string, path: string): Route | undefined {
  if (!path.startsWith(`${COGNITO_SYNC_PREFIX}/`)) return undefined;
  let segments: string[];
  try {
    segments = path
      .slice(COGNITO_SYNC_PREFIX.length + 1)
      .split('/')
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [pools, poolId = '', identities, identityId = '', datasets, datasetName, records, ...rest] = segments;
  if (pools !== 'identitypools' || identities !== 'identities' || datasets !== 'datasets' || rest.length > 0) return undefined;
  const base = { poolId, identityId };
  if (datasetName === undefined) return method === 'GET' ? { operation: 'ListDatasets', ...base } : undefined;
  if (records === 'records') return method === 'GET' ? { operation: 'ListRecords', ...base, datasetName } : undefined;
  if (records !== undefined) return undefined;
  const operation = datasetOperation(method);
  return operation ? { operation, ...base, datasetName } : undefined;
}

const seconds = (ms: number): number => ms / 1000;

function recordOut(record: SyncRecord): JsonObject {
  // A removed record comes back without a Value: that is how devices tell a removal from "".
  return {
    Key: record.key,
    ...(record.value === null ? {} : { Value: record.value }),
    SyncCount: record.syncCount,
    LastModifiedDate: seconds(record.lastModifiedDate),
    LastModifiedBy: record.lastModifiedBy,
    DeviceLastModifiedDate: seconds(record.deviceLastModifiedDate),
  };
}

function datasetOut(dataset: SyncDataset): JsonObject {
  const used = usage(dataset.records);
  return {
    IdentityId: dataset.identityId,
    DatasetName: dataset.name,
    CreationDate: seconds(dataset.creationDate),
    LastModifiedDate: seconds(dataset.lastModifiedDate),
    LastModifiedBy: dataset.lastModifiedBy,
    DataStorage: used.bytes,
    NumRecords: used.records,
  };
}

function whole(name: string, text: string | null, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) throw invalid(`${name} must be an integer between ${min} and ${max}`);
  return value;
}

/** NextToken: an opaque cursor into a listing (the last item answered), bound to the sync count it was taken at. */
interface Cursor {
  /** The sync count of the last record answered (0 for datasets). */
  after: number;
  /** The key (or dataset name) of the last item answered. */
  key: string;
  upTo: number;
}

function pageToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.after, cursor.key, cursor.upTo])).toString('base64url');
}

function readPageToken(token: string | null): Cursor | undefined {
  if (token === null) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      Number.isSafeInteger(value[2])
    ) {
      return { after: Number(value[0]), key: String(value[1]), upTo: Number(value[2]) };
    }
  } catch {
    // answered below
  }
  throw invalid('Invalid NextToken');
}

const byCountThenKey = (a: { syncCount: number; key: string }, b: { syncCount: number; key: string }): number =>
  a.syncCount - b.syncCount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// Bounds from Cognito Sync's service model (RecordValue, DeviceId):
// https://github.com/boto/botocore/blob/develop/botocore/data/cognito-sync/2014-06-30/service-2.json
const MAX_VALUE_LENGTH = 1_048_575;
const MAX_DEVICE_ID_LENGTH = 256;

function parsePatches(value: unknown): Patch[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('RecordPatches must be a list');
  return value.map((patch: unknown, index): Patch => {
    if (!isObject(patch)) throw invalid('A RecordPatch must be an object');
    const { Op, Key, Value, SyncCount, DeviceLastModifiedDate } = patch;
    if (Op !== 'replace' && Op !== 'remove')
      throw invalid(
        `1 validation error detected: Value '${String(Op)}' at 'op' failed to satisfy constraint: Member must satisfy enum value set: [replace, remove]`,
      );
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > LIMITS.keyLength) throw invalid(`Key must be 1 to ${LIMITS.keyLength} characters`);
    if (Value !== undefined && typeof Value !== 'string') throw invalid('Value must be a string');
    if (typeof Value === 'string' && Value.length > MAX_VALUE_LENGTH) {
      throw invalid(
        `1 validation error detected: Value at 'recordPatches.${index + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_LENGTH}`,
      );
    }
    if (!Number.isSafeInteger(SyncCount) || Number(SyncCount) < 0) throw invalid('SyncCount must be a non-negative integer');
    if (DeviceLastModifiedDate !== undefined && typeof DeviceLastModifiedDate !== 'number')
      throw invalid('DeviceLastModifiedDate must be a timestamp');
    return {
      op: Op,
      key: Key,
      value: Value,
      syncCount: Number(SyncCount),
      deviceLastModifiedDate: typeof DeviceLastModifiedDate === 'number' ? Math.round(DeviceLastModifiedDate * 1000) : 0,
    };
  });
}

function jsonBody(request: ReceivedRequest): JsonObject {
  let input: unknown;
  try {
    input = JSON.parse(request.body.toString('utf8') || '{}');
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (!isObject(input)) throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  return input;
}

export function createCognitoSync(options: CognitoSyncOptions): CognitoSync {
  const { store, credentials } = options;
  const lock = createMutex();
  const sessions = new Map<string, { identityId: string; datasetName: string; expiresAt: number }>();

  function openSession(identityId: string, datasetName: string): string {
    const now = options.now();
    for (const [token, session] of sessions) if (session.expiresAt <= now) sessions.delete(token);
    const token = randomBytes(24).toString('base64url');
    sessions.set(token, { identityId, datasetName, expiresAt: now + SESSION_TTL_MS });
    return token;
  }

  function listRecords(route: Route & { datasetName: string }, query: URLSearchParams): JsonObject {
    const lastSyncCount = whole('LastSyncCount', query.get('lastSyncCount'), 0, 0);
    const maxResults = whole('MaxResults', query.get('maxResults'), DEFAULT_MAX_RESULTS, 1, DEFAULT_MAX_RESULTS);
    const dataset = store.find(route.identityId, route.datasetName);
    const cursor = readPageToken(query.get('nextToken'));
    const upTo = cursor?.upTo ?? dataset?.syncCount ?? store.deletion(route.identityId, route.datasetName)?.syncCount ?? 0;
    // A record written again between two pages moves past `upTo`: it is left to the next sync, and
    // the cursor (not an offset) keeps the records after it from shifting out of sight.
    const changed = (dataset?.records ?? [])
      .filter((record) => record.syncCount > lastSyncCount && record.syncCount <= upTo)
      .filter((record) => !cursor || byCountThenKey(record, { syncCount: cursor.after, key: cursor.key }) > 0)
      .sort(byCountThenKey);
    const records = changed.slice(0, maxResults);
    const last = records[records.length - 1];
    const deletion = store.deletion(route.identityId, route.datasetName);
    const answer: JsonObject = {
      Records: records.map(recordOut),
      Count: records.length,
      DatasetSyncCount: upTo,
      DatasetExists: dataset !== undefined,
      // A device that synced before the dataset was deleted must drop its copy: it is told so once it asks
      // from a count the deletion came after.
      DatasetDeletedAfterRequestedSyncCount: deletion !== undefined && lastSyncCount > 0 && lastSyncCount < deletion.syncCount,
      SyncSessionToken: openSession(route.identityId, route.datasetName),
    };
    if (dataset) answer['LastModifiedBy'] = dataset.lastModifiedBy;
    // Datasets of an identity merged into this one, named `<this dataset>.<that identity>`: a client merges
    // them and deletes them, which ends the listing (DeleteDataset: "datasets that this dataset was merged
    // with will no longer report the merge").
    const merged = store
      .list(route.identityId)
      .filter((other) => other.mergedFrom !== undefined && other.name === `${route.datasetName}.${other.mergedFrom}`)
      .map((other) => other.name)
      .sort();
    if (merged.length > 0) answer['MergedDatasetNames'] = merged;
    if (last && changed.length > maxResults) answer['NextToken'] = pageToken({ after: last.syncCount, key: last.key, upTo });
    return answer;
  }

  async function updateRecords(route: Route & { datasetName: string }, request: ReceivedRequest): Promise<JsonObject> {
    const input = jsonBody(request);
    const token = input['SyncSessionToken'];
    if (typeof token !== 'string')
      throw invalid("1 validation error detected: Value null at 'syncSessionToken' failed to satisfy constraint: Member must not be null");
    const deviceId = input['DeviceId'];
    if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId.length < 1 || deviceId.length > MAX_DEVICE_ID_LENGTH)) {
      const bound =
        typeof deviceId === 'string' && deviceId.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_DEVICE_ID_LENGTH}`;
      throw invalid(
        `1 validation error detected: Value '${String(deviceId)}' at 'deviceId' failed to satisfy constraint: Member must have length ${bound}`,
      );
    }
    const patches = parsePatches(input['RecordPatches']);
    const keys = new Set(patches.map((patch) => patch.key));
    if (keys.size !== patches.length) throw invalid('RecordPatches name a key more than once');
    const session = sessions.get(token);
    if (!session || session.expiresAt <= options.now() || session.identityId !== route.identityId || session.datasetName !== route.datasetName) {
      // AWS's words (https://github.com/widdix/complete-aws-iam-reference/issues/65).
      throw invalid('SyncSessionToken not valid for these inputs');
    }
    const written = await store.update(route.identityId, route.datasetName, patches, options.now());
    return { Records: written.map(recordOut) };
  }

  function listDatasets(route: Route, query: URLSearchParams): JsonObject {
    const maxResults = whole('MaxResults', query.get('maxResults'), 64, 1, 64);
    const after = readPageToken(query.get('nextToken'))?.key;
    const all = store
      .list(route.identityId)
      .filter((dataset) => after === undefined || dataset.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = all.slice(0, maxResults);
    const last = page[page.length - 1];
    return {
      Datasets: page.map(datasetOut),
      Count: page.length,
      ...(last && all.length > maxResults ? { NextToken: pageToken({ after: 0, key: last.name, upTo: 0 }) } : {}),
    };
  }

  return {
    operationOf: (method, path) => route(method, path)?.operation,

    async handle(request) {
      const { identityId: caller } = verifySignature(request, {
        service: 'cognito-sync',
        region: options.region,
        now: options.now(),
        // Cognito Sync takes a signature 5 minutes off its clock at most, not the 15 of DynamoDB.
        maxSkewMinutes: 5,
        lookup: (accessKeyId) => credentials.find(accessKeyId),
      });
      const url = new URL(request.url, 'http://stack');
      const target = route(request.method, url.pathname);
      if (!target) throw new AwsError('UnknownOperationException', '', 404);
      authorize(target.operation, resourceArn(options.region, target.poolId, target.identityId, target.datasetName), {
        region: options.region,
        poolId: options.poolId,
        identityId: caller,
      });
      if (target.datasetName !== undefined && !DATASET_NAME.test(target.datasetName)) {
        throw invalid(`DatasetName must match ${DATASET_NAME.source}`);
      }

      return lock.run(async () => {
        const { datasetName } = target;
        if (datasetName === undefined) return listDatasets(target, url.searchParams);
        const named = { ...target, datasetName };
        switch (target.operation) {
          case 'ListRecords':
            return listRecords(named, url.searchParams);
          case 'UpdateRecords':
            return updateRecords(named, request);
          case 'DescribeDataset': {
            const dataset = store.find(caller, datasetName);
            if (!dataset) throw notFound(`Dataset ${datasetName} not found`);
            return { Dataset: datasetOut(dataset) };
          }
          case 'DeleteDataset': {
            const dataset = await store.remove(caller, datasetName);
            if (!dataset) throw notFound(`Dataset ${datasetName} not found`);
            return { Dataset: datasetOut(dataset) };
          }
          case 'ListDatasets':
            return listDatasets(target, url.searchParams);
        }
      });
    },
  };
}
