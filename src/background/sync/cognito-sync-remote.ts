// The Cognito Sync backend of RemoteDataset (docs/dataset-model.md, "Cognito Sync behind the same
// interface"): the dataset the seed's mobile apps write, record for record. A pull is ListRecords from
// this device's count (paged with NextToken); a push is one UpdateRecords with the pull's
// SyncSessionToken and each record's own SyncCount. The service checks conflicts per record: a 409
// ResourceConflictException is answered as a conflict (the engine pulls and tries again), and so is a refused
// session token: a new pull brings a new one.
// API: https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_Operations.html
import {
  CognitoSyncClient,
  DeleteDatasetCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
  type _Record as SdkRecord,
  type RecordPatch as SdkPatch,
} from '@aws-sdk/client-cognito-sync';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AppError } from '../../shared/errors';
import { requestHandler } from '../platform/aws-clients';
import { t } from '../../shared/i18n';
import { classifyCognitoSyncError, errorName } from './cognito-sync-errors';
import { DATASET_NAME } from '../../shared/settings';
import { MAX_RECORDS } from './limits';
import type { PullResult, PushRequest, PushResult, RemoteDataset, RemoteRecord } from './remote';
import { withRetry, type RetryOptions } from './retry';

/** ListRecords pages: as many as a dataset may hold, so a first download is one request. */
const PAGE_SIZE = 1024;

export interface CognitoSyncClientConfig {
  region: string;
  endpoint: string;
  credentials: AwsCredentialIdentityProvider;
}

/** No SDK retries: ours are bounded and counted (retry.ts). */
export function createCognitoSyncClient(config: CognitoSyncClientConfig): CognitoSyncClient {
  return new CognitoSyncClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    maxAttempts: 1,
    // The signature is the credential: no cookies; and a bound on each request (platform/aws-clients.ts).
    requestHandler: requestHandler('dataset'),
  });
}

/** The part of CognitoSyncClient this backend uses. */
export interface CognitoSyncSender {
  send: CognitoSyncClient['send'];
}

export interface CognitoSyncRemoteOptions {
  client: CognitoSyncSender;
  identityPoolId: string;
  identityId: string;
  datasetName: string;
  retry: RetryOptions;
}

export function createCognitoSyncRemote(options: CognitoSyncRemoteOptions): RemoteDataset {
  const { client, identityPoolId, identityId, datasetName } = options;
  const where = { IdentityPoolId: identityPoolId, IdentityId: identityId, DatasetName: datasetName };
  /** The last ListRecords' token: UpdateRecords must carry one. */
  let session: string | undefined;

  const call = <T>(task: () => Promise<T>): Promise<T> =>
    withRetry(task, (error) => classifyCognitoSyncError(error).retryable, options.retry).catch((error: unknown) => {
      throw classifyCognitoSyncError(error).error;
    });

  /** ListRecords of `name` from `since`, every page. Only the open dataset's session is kept for its push. */
  const listOf = async (name: string, since: number): Promise<PullResult & { session?: string }> => {
    const records: RemoteRecord[] = [];
    const merged = new Set<string>();
    let nextToken: string | undefined;
    let syncCount = since;
    let deleted = false;
    let token: string | undefined;
    let exists = true;
    do {
      const next = nextToken;
      const page = await call(() =>
        client.send(
          new ListRecordsCommand({ ...where, DatasetName: name, LastSyncCount: since, MaxResults: PAGE_SIZE, ...(next ? { NextToken: next } : {}) }),
        ),
      );
      for (const record of page.Records ?? []) records.push(toRemoteRecord(record));
      syncCount = page.DatasetSyncCount ?? 0;
      deleted ||= page.DatasetDeletedAfterRequestedSyncCount === true;
      // Merged datasets are named `<this dataset>.<other identity id>`; a name of any other form is not a merge into this one.
      for (const other of page.MergedDatasetNames ?? []) if (other.startsWith(`${name}.`) && DATASET_NAME.test(other)) merged.add(other);
      exists = page.DatasetExists !== false;
      if (page.SyncSessionToken) token = page.SyncSessionToken;
      nextToken = page.NextToken;
    } while (nextToken);
    // Deleted and not written again since: the device drops its copy (docs/dataset-model.md, "Several datasets").
    if (deleted && !exists) return { records: [], syncCount, gone: true, ...(token ? { session: token } : {}) };
    return {
      records,
      syncCount,
      ...(deleted ? { deleted } : {}),
      ...(merged.size > 0 ? { mergedDatasets: [...merged].sort() } : {}),
      ...(token ? { session: token } : {}),
    };
  };

  const list = async (since: number): Promise<PullResult> => {
    const { session: token, ...pulled } = await listOf(datasetName, since);
    if (token) session = token;
    return pulled;
  };

  return {
    // One UpdateRecords may carry a whole dataset; the service has no smaller limit per request.
    maxPatchesPerPush: MAX_RECORDS,

    pull: list,

    merged: {
      read: async (name) => (await listOf(name, 0)).records,
      async remove(name) {
        try {
          await call(() => client.send(new DeleteDatasetCommand({ ...where, DatasetName: name })));
        } catch (error) {
          // Deleted already (by another browser that merged it too): what this call was for.
          if (error instanceof AppError && error.code === 'NOT_CONFIGURED' && errorName(error.cause) === 'ResourceNotFoundException') return;
          throw error;
        }
      },
    },

    async push(request: PushRequest): Promise<PushResult> {
      if (request.patches.length === 0) return { status: 'committed', syncCount: request.baseSyncCount };
      // The engine always pulls first; a push without a session would be refused.
      if (session === undefined) await list(request.baseSyncCount);
      const token = session;
      const patches = request.patches.map(
        (patch): SdkPatch => ({
          Op: patch.value === null ? 'remove' : 'replace',
          Key: patch.key,
          ...(patch.value === null ? {} : { Value: patch.value }),
          SyncCount: patch.syncCount,
          DeviceLastModifiedDate: new Date(patch.deviceModified),
        }),
      );
      return call(async (): Promise<PushResult> => {
        try {
          const { Records = [] } = await client.send(
            new UpdateRecordsCommand({ ...where, SyncSessionToken: token, DeviceId: request.deviceId, RecordPatches: patches }),
          );
          // Every record of one UpdateRecords lands at the dataset's new count.
          const syncCount = Math.max(request.baseSyncCount + 1, ...Records.map((record) => record.SyncCount ?? 0));
          return { status: 'committed', syncCount };
        } catch (error) {
          // Another device changed one of these records first. An answer, not an error.
          if (errorName(error) === 'ResourceConflictException') return { status: 'conflict' };
          // The session the pull opened is not taken (it has lapsed, or a retried push found it used): pull again for
          // a new one, as after a conflict. AWS's words: "SyncSessionToken not valid for these inputs"
          // (https://github.com/widdix/complete-aws-iam-reference/issues/65).
          if (isRefusedSession(error)) {
            session = undefined;
            return { status: 'conflict' };
          }
          throw error;
        }
      });
    },
  };
}

/** UpdateRecords refusing the SyncSessionToken it was given (InvalidParameterException naming it). */
function isRefusedSession(error: unknown): boolean {
  return errorName(error) === 'InvalidParameterException' && error instanceof Error && /SyncSessionToken/i.test(error.message);
}

function toRemoteRecord(record: SdkRecord): RemoteRecord {
  if (record.Key === undefined) throw new AppError('INTERNAL', t('errorSyncUnexpected', 'a record without a key'));
  const syncCount = record.SyncCount;
  if (syncCount === undefined || !Number.isSafeInteger(syncCount) || syncCount < 0)
    throw new AppError('INTERNAL', t('errorSyncUnexpected', 'bad SyncCount'));
  const modified = record.DeviceLastModifiedDate ?? record.LastModifiedDate;
  return {
    key: record.Key,
    // Removed records come back without a Value; "" is a value.
    value: record.Value ?? null,
    syncCount,
    deviceModified: modified ? modified.getTime() : 0,
    // Cognito Sync does not tell which device wrote a record: acknowledgements go by time and value.
    deviceId: '',
  };
}
