// Everything the worker's modules reach outside themselves, passed in so tests can stand in for it.
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Settings } from '../shared/settings';
import type { StorageItems } from '../shared/storage';

export interface WebAuthFlowDetails {
  url: string;
  interactive: boolean;
  /** Chrome only (Firefox refuses unknown properties): end a silent flow when a page loads. */
  abortOnLoadForNonInteractive?: boolean;
  /** Chrome only: the most a silent flow may take, in milliseconds (at most 60 000). */
  timeoutMsForNonInteractive?: number;
}

export interface IdentityLike {
  getRedirectURL(path?: string): string;
  launchWebAuthFlow(details: WebAuthFlowDetails): Promise<string | undefined>;
}

/** `browser.alarms`, as far as the worker uses it. Alarms survive a stopped worker; timers don't. */
export interface AlarmsLike {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<boolean>;
}

/** `browser.permissions`, to give back host access the settings no longer need. */
export interface PermissionsLike {
  remove(permissions: { origins: string[] }): Promise<boolean>;
}

export interface Context {
  items: StorageItems;
  /** Absent where there is nothing to give back (Node tests). */
  permissions?: PermissionsLike;
  alarms: AlarmsLike;
  /** Builds the Cognito Identity client (GetId, GetCredentialsForIdentity are unsigned calls). */
  cognitoIdentity(config: { region: string; endpoint: string }): CognitoIdentityClient;
  /** Builds the STS client of the basic flow (AssumeRoleWithWebIdentity is unsigned); credentials/basic-flow.ts has a default. */
  sts?(config: { region: string; endpoint: string }): STSClient;
  /** Builds the DynamoDB client of a sync, signed with the identity's credentials (sync/dynamodb-remote.ts). */
  dynamodb(config: { region: string; endpoint: string; credentials: AwsCredentialIdentityProvider }): DynamoDBClient;
  identity: IdentityLike;
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Settings the development build offers for the local stack; undefined in a release build. */
  devDefaults: Settings | undefined;
  version: string;
}
