// "The app": amazon-cognito-js, Amazon's Cognito Sync manager for JavaScript (on aws-sdk v2), unchanged,
// signed in through the stack's Cognito, as the seed's mobile app would use it. It needs a
// `window.localStorage`; each app gets its own in-memory one.
import { createRequire } from 'node:module';
import type * as AwsSdk from 'aws-sdk';
import type { Stack } from '../../stack/index';
import { loginsKey } from '../../src/shared/settings';
import { idTokenAtStack } from './stack-identity';

export interface SyncRecordLike {
  getKey(): string;
  getValue(): string;
  getSyncCount(): number;
}

export interface SyncConflict {
  getKey(): string;
  getRemoteRecord(): SyncRecordLike;
  getLocalRecord(): SyncRecordLike;
  resolveWithRemoteRecord(): SyncRecordLike;
  resolveWithLocalRecord(): SyncRecordLike;
  resolveWithValue(value: string): SyncRecordLike;
}

type Done<T> = (error: Error | null, value: T) => void;

export interface SyncDataset {
  put(key: string, value: string, callback: Done<unknown>): void;
  remove(key: string, callback: Done<unknown>): void;
  get(key: string, callback: Done<string | undefined>): void;
  getAll(callback: Done<Record<string, string>>): void;
  resolve(records: SyncRecordLike[], callback: Done<unknown>): void;
  synchronize(callbacks: {
    onSuccess(dataset: SyncDataset, updates: unknown): void;
    onFailure(error: Error): void;
    onConflict(dataset: SyncDataset, conflicts: SyncConflict[], resolve: (doContinue: boolean) => void): void;
    onDatasetDeleted(dataset: SyncDataset, name: string, resolve: (doContinue: boolean) => void): void;
    onDatasetsMerged(dataset: SyncDataset, names: string[], resolve: (doContinue: boolean) => void): void;
  }): void;
}

export interface SyncManager {
  openOrCreateDataset(name: string, callback: Done<SyncDataset>): void;
}

export type AwsWithSyncManager = typeof AwsSdk & { CognitoSyncManager: new (options?: { log?: (...args: unknown[]) => void }) => SyncManager };

class MemoryStorage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
}

const require = createRequire(import.meta.url);

function loadAws(): AwsWithSyncManager {
  // amazon-cognito-js reads `window.localStorage` when a manager is created; set per app below.
  if (!Reflect.has(globalThis, 'window')) Reflect.set(globalThis, 'window', { localStorage: new MemoryStorage() });
  // The manager adds itself to aws-sdk's exports (AWS.CognitoSyncManager) and exports nothing.
  require('amazon-cognito-js');
  const AWS: AwsWithSyncManager = require('aws-sdk');
  return AWS;
}

/** How a conflict is settled, as the app's onConflict callback does it. */
export type AppConflictPolicy = 'remote' | 'local';

export interface SyncOutcome {
  /** Conflicts the app's onConflict saw (their keys), in order. */
  conflicts: string[];
  /** Whether onDatasetDeleted was called. */
  datasetDeleted: boolean;
}

export interface CognitoSyncApp {
  identityId: string;
  put(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  values(): Promise<Record<string, string>>;
  /**
   * synchronize(); conflicts resolved by `policy`; a dataset deleted on the server is dropped here (or the sync cancelled);
   * datasets merged into this one are handed to `onMerged` (default: the manager's own, which cancels the sync).
   */
  synchronize(options?: { policy?: AppConflictPolicy; onDeleted?: boolean; onMerged?: (names: string[]) => boolean }): Promise<SyncOutcome>;
}

/** Signs `username` in at the stack's Cognito (aws-sdk v2's CognitoIdentityCredentials) and opens `datasetName`. */
export async function openCognitoSyncApp(stack: Stack, username: string, datasetName = 'MainDataset'): Promise<CognitoSyncApp> {
  const AWS = loadAws();
  const idToken = await idTokenAtStack(stack, username);
  const { region, identityPoolId, endpoints } = stack.config;
  // Service clients read their endpoints from the global configuration as they are created.
  AWS.config.update({ region, cognitoidentity: { endpoint: endpoints.cognitoIdentity }, cognitosync: { endpoint: endpoints.cognitoSync } });
  const credentials = new AWS.CognitoIdentityCredentials({ IdentityPoolId: identityPoolId, Logins: { [loginsKey(stack.config.issuer)]: idToken } });
  AWS.config.update({ credentials });
  await credentials.getPromise();
  Reflect.set(globalThis, 'window', { localStorage: new MemoryStorage() });
  const manager = new AWS.CognitoSyncManager();
  const dataset = await new Promise<SyncDataset>((resolve, reject) =>
    manager.openOrCreateDataset(datasetName, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const call = <T>(run: (done: Done<T>) => void): Promise<T> =>
    new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

  return {
    identityId: credentials.identityId,
    put: (key, value) => call<unknown>((done) => dataset.put(key, value, done)).then(() => undefined),
    remove: (key) => call<unknown>((done) => dataset.remove(key, done)).then(() => undefined),
    get: (key) => call<string | undefined>((done) => dataset.get(key, done)),
    values: () => call<Record<string, string>>((done) => dataset.getAll(done)),
    synchronize({ policy = 'remote', onDeleted = true, onMerged = () => false } = {}) {
      const outcome: SyncOutcome = { conflicts: [], datasetDeleted: false };
      return new Promise((resolve, reject) => {
        // The manager may call back more than once on some failure paths; the first answer counts.
        let settled = false;
        const settle = (error: Error | undefined) => {
          if (settled) return;
          settled = true;
          if (error) reject(error);
          else resolve(outcome);
        };
        dataset.synchronize({
          onSuccess: () => settle(undefined),
          onFailure: (error) => settle(error),
          onConflict(ds, conflicts, resume) {
            outcome.conflicts.push(...conflicts.map((conflict) => conflict.getKey()));
            const resolved = conflicts.map((conflict) =>
              policy === 'remote' ? conflict.resolveWithRemoteRecord() : conflict.resolveWithLocalRecord(),
            );
            ds.resolve(resolved, (error) => (error ? settle(error) : resume(true)));
          },
          onDatasetDeleted(_ds, _name, resume) {
            outcome.datasetDeleted = true;
            resume(onDeleted);
          },
          onDatasetsMerged: (_ds, names, resume) => resume(onMerged(names)),
        });
      });
    },
  };
}
