// One AWS SDK client per (service, region, endpoint) for the worker's lifetime, instead of one per call:
// a client holds its configuration, middleware stack and resolved endpoint, all costly to rebuild.
// The cache belongs to the worker's context (platform/context.ts), never to a module.
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsClientBuilders {
  cognitoIdentity(config: { region: string; endpoint: string }): CognitoIdentityClient;
  dynamodb(config: { region: string; endpoint: string; credentials: AwsCredentialIdentityProvider }): DynamoDBClient;
  cognitoSync(config: { region: string; endpoint: string; credentials: AwsCredentialIdentityProvider }): CognitoSyncClient;
  /** The basic flow's STS client (AssumeRoleWithWebIdentity is unsigned); default: one that sends no cookies. */
  sts?(config: { region: string; endpoint: string }): STSClient;
}

/**
 * How long one request may go unanswered before it fails (a TimeoutError, which the worker's error mappings call
 * a network failure). Without it a server that accepts the connection and never answers holds the sign-in's
 * credentials, or a sync, for as long as the worker lives, and the popup waits with it.
 * Cognito Identity (and STS, for the basic flow) keep the SDK's 3 attempts: GetId and GetCredentialsForIdentity
 * each fail within about 3 × 5 s plus backoff, so a person who signs in learns that Cognito does not answer
 * within 20 s (docs/worker.md). The dataset services send up to 99 records a request: they get longer.
 */
export const REQUEST_TIMEOUT_MS = { identity: 5_000, dataset: 15_000 } as const;

/** The worker's AWS calls carry no cookies (the credentials are in the Logins map and the signature), and time out. */
export function requestHandler(kind: keyof typeof REQUEST_TIMEOUT_MS): { credentials: 'omit'; requestTimeout: number } {
  return { credentials: 'omit', requestTimeout: REQUEST_TIMEOUT_MS[kind] };
}

const cookielessSts = (config: { region: string; endpoint: string }): STSClient =>
  new STSClient({ ...config, requestHandler: requestHandler('identity') });

/** A signed client's configuration, and whose credentials its provider answers. */
export interface SignedClientConfig {
  region: string;
  endpoint: string;
  credentials: AwsCredentialIdentityProvider;
  identityId: string;
}

export interface AwsClients {
  cognitoIdentity(config: { region: string; endpoint: string }): CognitoIdentityClient;
  sts(config: { region: string; endpoint: string }): STSClient;
  /**
   * The DynamoDB client of an identity. The SDK keeps the credentials it resolved until they near expiry, so
   * the first caller's provider signs every request until `forget()`, which the session calls whenever the
   * identity may change (sign-in, sign-out, renewal that needs the person). Kept per identity too: a sync
   * of the person before, still running after the next one signed in, makes a client of its own, not theirs.
   */
  dynamodb(config: SignedClientConfig): DynamoDBClient;
  /** The Cognito Sync client of an identity, kept and dropped like the DynamoDB one. */
  cognitoSync(config: SignedClientConfig): CognitoSyncClient;
  /** Drops the signed clients; a sync still running keeps its own until it ends. */
  forget(): void;
}

function memo<C>(cache: Map<string, C>, key: string, build: () => C): C {
  const cached = cache.get(key);
  if (cached) return cached;
  const client = build();
  cache.set(key, client);
  return client;
}

export function createAwsClients(builders: AwsClientBuilders): AwsClients {
  const cognito = new Map<string, CognitoIdentityClient>();
  const dynamo = new Map<string, DynamoDBClient>();
  const sts = new Map<string, STSClient>();
  const sync = new Map<string, CognitoSyncClient>();
  return {
    sts: (config) => memo(sts, `${config.region} ${config.endpoint}`, () => (builders.sts ?? cookielessSts)(config)),
    cognitoIdentity: (config) => memo(cognito, `${config.region} ${config.endpoint}`, () => builders.cognitoIdentity(config)),
    dynamodb: ({ identityId, ...config }) => memo(dynamo, `${config.region} ${config.endpoint} ${identityId}`, () => builders.dynamodb(config)),
    cognitoSync: ({ identityId, ...config }) => memo(sync, `${config.region} ${config.endpoint} ${identityId}`, () => builders.cognitoSync(config)),
    forget: () => {
      dynamo.clear();
      sync.clear();
    },
  };
}
