// Everything the worker's modules reach outside themselves, passed in so tests can stand in for it, plus
// what one worker lifetime holds in memory (locks, AWS clients, the running sign-in, the web auth flows it
// launched), built once by `createContext`: index.ts builds one for the worker, a test builds one per
// simulated worker.
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AuthState } from '../../shared/auth-state';
import type { Settings } from '../../shared/settings';
import type { StorageItems } from '../../shared/storage';
import { createAwsClients, type AwsClients } from './aws-clients';
import type { LockManagerLike } from './locks';

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

/** `browser.permissions`: to give back host access the settings no longer need, and to tell access taken away. */
export interface PermissionsLike {
  remove(permissions: { origins: string[] }): Promise<boolean>;
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

/** The interactive sign-in this worker runs (lifecycle/sign-in.ts): alive exactly as long as its promise. */
export interface SignInAttempt {
  readonly startedAt: number;
  readonly done: Promise<AuthState>;
  settled: boolean;
}

/** A web auth flow this worker launched, while the browser has not answered it (auth/web-auth-flows.ts). */
export interface RunningFlow {
  readonly interactive: boolean;
  /** Fulfilled, never rejected, once the browser has answered, the flow being forgotten by then. */
  readonly ended: Promise<void>;
}

/** What the worker is given from outside. */
export interface Outside {
  items: StorageItems;
  /** Absent where there is nothing to give back (Node tests). */
  permissions?: PermissionsLike;
  alarms: AlarmsLike;
  /** Builds a Cognito Identity client (GetId, GetCredentialsForIdentity are unsigned calls). */
  cognitoIdentity(config: { region: string; endpoint: string }): CognitoIdentityClient;
  /** Builds the STS client of the basic flow (AssumeRoleWithWebIdentity is unsigned); platform/aws-clients.ts has a default. */
  sts?(config: { region: string; endpoint: string }): STSClient;
  /** Builds the DynamoDB client of a sync, signed with the identity's credentials (sync/dynamodb-remote.ts). */
  dynamodb(config: { region: string; endpoint: string; credentials: AwsCredentialIdentityProvider }): DynamoDBClient;
  /** Builds the Cognito Sync client of a sync, signed like the DynamoDB one (sync/cognito-sync-remote.ts). */
  cognitoSync(config: { region: string; endpoint: string; credentials: AwsCredentialIdentityProvider }): CognitoSyncClient;
  identity: IdentityLike;
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Settings the development build offers for the local stack; undefined in a release build. */
  devDefaults: Settings | undefined;
  version: string;
  /** Web Locks in the browser (index.ts); in Node tests, in-process lanes, which order the calls of this one context. */
  locks: LockManagerLike;
}

/** What one worker lifetime keeps in memory; all of it may be lost with the worker, nothing durable is here. */
export interface WorkerMemory {
  /** One lock manager for every module of the worker: two managers would let two holders of a name run. */
  locks: LockManagerLike;
  /** One AWS SDK client per (service, region, endpoint). */
  aws: AwsClients;
  /** This worker's interactive sign-in, if one runs (lifecycle/sign-in.ts). */
  signIn: { current: SignInAttempt | undefined };
  /** The web auth flows this worker launched that the browser has not answered yet, with a window or without. */
  webAuthFlows: Set<RunningFlow>;
  /** When this worker began: an authorization request filed earlier is a stopped worker's (auth/web-auth-flows.ts). */
  startedAt: number;
}

export type Context = Omit<Outside, 'locks'> & WorkerMemory;

export function createContext<O extends Outside>(outside: O): Omit<O, 'locks'> & WorkerMemory {
  return { ...outside, aws: createAwsClients(outside), signIn: { current: undefined }, webAuthFlows: new Set(), startedAt: outside.now() };
}
