// The background worker only wires: every listener is registered synchronously at the top level,
// and all state lives in storage, so a worker stopped by the browser resumes where it was.
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import browser from 'webextension-polyfill';
import { parseSettings } from '../shared/settings';
import { browserAreas, storageItems } from '../shared/storage';
import { ALARMS } from './alarms';
import { renewDue } from './auth/renew';
import { resumeSession } from './auth/resume';
import { readAuthState } from './auth/state';
import { keepBadgeCurrent } from './badge';
import type { Context } from './context';
import { workerDatasetDeps } from './dataset-handlers';
import { createHandlers } from './handlers';
import { createMessageListener } from './messages';
import { createDatasetService } from './sync/dataset-service';
import { createDynamoClient } from './sync/dynamodb-remote';
import { registerSyncTriggers } from './sync/triggers';

declare const __DEV_DEFAULTS__: unknown;

const areas = browserAreas(browser);
const context: Context = {
  items: storageItems(areas),
  alarms: browser.alarms,
  // The worker's AWS calls carry no cookies; the credentials are in the Logins map and the signature.
  cognitoIdentity: (config) => new CognitoIdentityClient({ ...config, requestHandler: { credentials: 'omit' } }),
  dynamodb: (config) => createDynamoClient(config),
  permissions: browser.permissions,
  identity: browser.identity,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  devDefaults: parseSettings(__DEV_DEFAULTS__),
  version: browser.runtime.getManifest().version,
};

const handlers = createHandlers(context);

browser.runtime.onMessage.addListener(createMessageListener(handlers, browser.runtime));

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARMS.renew) void renewDue(context);
});

// storage.session was cleared with the browser: sign back in silently while the provider's session lasts.
browser.runtime.onStartup.addListener(() => void resumeSession(context));

// Syncs after edits, periodically, at browser start and at sign-in.
const datasetDeps = workerDatasetDeps(context);
registerSyncTriggers(context, browser, datasetDeps);

// The badge follows the sign-in state and the open dataset: sign in again, signed out, failed sync, pending edits.
const datasets = createDatasetService(context, datasetDeps);
async function badgeInputs() {
  const auth = await readAuthState(context);
  const dataset = auth.identityId ? await datasets.open().catch(() => undefined) : undefined;
  return { auth, dataset };
}
keepBadgeCurrent(areas, browser.action, badgeInputs, browser.runtime.onStartup);
