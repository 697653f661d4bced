// The background worker's entry: it builds the context and hands it to the composition root (worker.ts),
// which registers every listener synchronously at the top level. All state lives in storage, so a worker
// stopped by the browser resumes where it was.
import { createCognitoSyncClient } from './sync/cognito-sync-remote';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import browser from 'webextension-polyfill';
import { parseSettings } from '../shared/settings';
import { browserAreas, storageItems } from '../shared/storage';
import { requestHandler } from './platform/aws-clients';
import { createContext } from './platform/context';
import { webLocks } from './platform/locks';
import { createDynamoClient } from './sync/dynamodb-remote';
import { createWorker } from './worker';

declare const __DEV_DEFAULTS__: unknown;

const areas = browserAreas(browser);
const context = createContext({
  items: storageItems(areas),
  alarms: browser.alarms,
  // No cookies, and a bound on each request (platform/aws-clients.ts).
  cognitoIdentity: (config) => new CognitoIdentityClient({ ...config, requestHandler: requestHandler('identity') }),
  dynamodb: (config) => createDynamoClient(config),
  cognitoSync: (config) => createCognitoSyncClient(config),
  permissions: browser.permissions,
  identity: browser.identity,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  devDefaults: parseSettings(__DEV_DEFAULTS__),
  version: browser.runtime.getManifest().version,
  // Web Locks hold across everything this worker runs (Chrome 69+, Firefox 96+, workers and extension pages alike).
  locks: webLocks(navigator.locks),
});

createWorker(context, { runtime: browser.runtime, alarms: browser.alarms, areas, action: browser.action, permissions: browser.permissions });
