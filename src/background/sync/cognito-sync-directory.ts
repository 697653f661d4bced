// An identity's datasets on Amazon Cognito Sync: ListDatasets (paged) and DeleteDataset. Other devices
// learn of a deletion from ListRecords' DatasetDeletedAfterRequestedSyncCount (cognito-sync-remote.ts).
// API: https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_ListDatasets.html
import { DeleteDatasetCommand, ListDatasetsCommand } from '@aws-sdk/client-cognito-sync';
import { classifyCognitoSyncError, errorName } from './cognito-sync-errors';
import type { CognitoSyncSender } from './cognito-sync-remote';
import type { RemoteDatasetSummary, RemoteDirectory } from './remote';
import { withRetry, type RetryOptions } from './retry';

/** ListDatasets answers at most 64 a page; an identity has at most 20. */
const PAGE_SIZE = 64;

export interface CognitoSyncDirectoryOptions {
  client: CognitoSyncSender;
  identityPoolId: string;
  identityId: string;
  retry: RetryOptions;
}

export function createCognitoSyncDirectory(options: CognitoSyncDirectoryOptions): RemoteDirectory {
  const { client, identityPoolId, identityId } = options;
  const call = <T>(task: () => Promise<T>): Promise<T> =>
    withRetry(task, (error) => classifyCognitoSyncError(error).retryable, options.retry).catch((error: unknown) => {
      throw classifyCognitoSyncError(error).error;
    });
  return {
    async list(): Promise<RemoteDatasetSummary[]> {
      const datasets: RemoteDatasetSummary[] = [];
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const page = await call(() =>
          client.send(
            new ListDatasetsCommand({
              IdentityPoolId: identityPoolId,
              IdentityId: identityId,
              MaxResults: PAGE_SIZE,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        );
        for (const dataset of page.Datasets ?? []) {
          if (dataset.DatasetName === undefined) continue;
          datasets.push({ name: dataset.DatasetName, records: dataset.NumRecords ?? 0, modifiedAt: dataset.LastModifiedDate?.getTime() ?? 0 });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return datasets;
    },

    async delete(datasetName: string): Promise<void> {
      await call(async (): Promise<void> => {
        try {
          await client.send(new DeleteDatasetCommand({ IdentityPoolId: identityPoolId, IdentityId: identityId, DatasetName: datasetName }));
        } catch (error) {
          // Deleted already, or never written: nothing is left to delete. An answer, not an error.
          if (errorName(error) === 'ResourceNotFoundException') return;
          throw error;
        }
      });
    },
  };
}
