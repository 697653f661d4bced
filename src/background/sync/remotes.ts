// Which backend a sync talks to, from the settings: the extension's DynamoDB table, or Amazon Cognito
// Sync. Each names its server as a RemoteLocation, so a change of backend is a server move for the
// engine (docs/dataset-model.md, "Another server"): local edits are kept and merged into the new one.
import type { RemoteLocation } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { cognitoSyncUnavailableIn, endpointsOf, type Settings } from '../../shared/settings';
import type { SignedClientConfig } from '../platform/aws-clients';
import type { Context } from '../platform/context';
import type { AwsIdentity } from '../credentials';
import { createCognitoSyncDirectory } from './cognito-sync-directory';
import { createCognitoSyncRemote } from './cognito-sync-remote';
import { createDynamoDirectory, createDynamoRemote } from './dynamodb-remote';
import type { RemoteDataset, RemoteDirectory } from './remote';
import type { RetryOptions } from './retry';

export interface RemoteTarget {
  identityId: string;
  datasetName: string;
  retry: RetryOptions;
}

export interface Backend {
  remote: RemoteDataset;
  location: RemoteLocation;
}

/**
 * Cognito Sync's location has no table: '' can never be a DynamoDB table name (3 characters at least),
 * so a Cognito Sync dataset is never taken for a table's even at the same endpoint.
 */
export const COGNITO_SYNC_TABLE = '';

/** A signed client's configuration: the identity's region and credentials, at `endpoint`. */
function signedFor(identity: AwsIdentity, endpoint: string): SignedClientConfig {
  return { region: identity.region, endpoint, credentials: identity.credentials, identityId: identity.identityId };
}

/**
 * Settings stored before the options page refused Cognito Sync where AWS offers none: the host does not
 * exist, and every request would fail as if this computer were offline. Said before a request is sent.
 */
function checkCognitoSyncRegion(settings: Settings): void {
  const region = cognitoSyncUnavailableIn(settings);
  if (region !== undefined) throw new AppError('INVALID_SETTINGS', t('errorCognitoSyncRegionStored', region));
}

export function createRemote(ctx: Context, settings: Settings, identity: AwsIdentity, target: RemoteTarget): Backend {
  const endpoints = endpointsOf(settings);
  if (settings.syncBackend === 'cognitoSync') {
    checkCognitoSyncRegion(settings);
    // The worker's one client per region, endpoint and identity (platform/aws-clients.ts).
    const client = ctx.aws.cognitoSync(signedFor(identity, endpoints.cognitoSync));
    return {
      remote: createCognitoSyncRemote({ client, identityPoolId: settings.identityPoolId, ...target }),
      location: { endpoint: endpoints.cognitoSync, tableName: COGNITO_SYNC_TABLE },
    };
  }
  const client = ctx.aws.dynamodb(signedFor(identity, endpoints.dynamodb));
  return {
    remote: createDynamoRemote({ client, tableName: settings.tableName, ...target, now: ctx.now }),
    location: { endpoint: endpoints.dynamodb, tableName: settings.tableName },
  };
}

/** The identity's datasets on the backend the settings name: listed and deleted (docs/dataset-model.md). */
export function createDirectory(ctx: Context, settings: Settings, identity: AwsIdentity, retry: RetryOptions): RemoteDirectory {
  const endpoints = endpointsOf(settings);
  const target = { identityId: identity.identityId, retry };
  if (settings.syncBackend === 'cognitoSync') {
    checkCognitoSyncRegion(settings);
    const client = ctx.aws.cognitoSync(signedFor(identity, endpoints.cognitoSync));
    return createCognitoSyncDirectory({ client, identityPoolId: settings.identityPoolId, ...target });
  }
  const client = ctx.aws.dynamodb(signedFor(identity, endpoints.dynamodb));
  return createDynamoDirectory({ client, tableName: settings.tableName, ...target, now: ctx.now });
}
