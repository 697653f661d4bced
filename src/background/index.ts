// The background worker only wires: every listener is registered synchronously at the top level,
// and all state lives in storage, so a worker stopped by the browser resumes where it was.
import browser from 'webextension-polyfill';
import { parseSettings } from '../shared/settings';
import { browserAreas, storageItems } from '../shared/storage';
import type { Context } from './context';
import { createHandlers } from './handlers';
import { createMessageListener } from './messages';

declare const __DEV_DEFAULTS__: unknown;

const context: Context = {
  items: storageItems(browserAreas(browser)),
  identity: browser.identity,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  devDefaults: parseSettings(__DEV_DEFAULTS__),
  version: browser.runtime.getManifest().version,
};

const handlers = createHandlers(context);

browser.runtime.onMessage.addListener(createMessageListener(handlers, browser.runtime));
