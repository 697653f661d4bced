// The browser events a worker put together in a Node test listens to, none of which fires: the test calls the
// worker's handlers itself.
import type { WorkerEvents } from '../../src/background/worker';
import { createMemoryArea } from '../../src/shared/storage-item';

export const quietEvents: WorkerEvents = {
  alarms: { create: () => undefined, get: async () => undefined, clear: async () => true, onAlarm: { addListener: () => undefined } },
  runtime: {
    id: 'test',
    getURL: (path) => `chrome-extension://test/${path}`,
    onMessage: { addListener: () => undefined },
    onStartup: { addListener: () => undefined },
    onInstalled: { addListener: () => undefined },
  },
  areas: { local: createMemoryArea(), session: createMemoryArea() },
  action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined, setTitle: async () => undefined },
};
