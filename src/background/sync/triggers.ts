// The syncs nobody asks for, wired to the browser's events: the debounce and periodic alarms,
// browser start, sign-in, and a change of the sync interval. index.ts calls this once, at top level.
import type { Settings } from '../../shared/settings';
import { ALARMS } from '../alarms';
import type { Context } from '../context';
import { createDatasetService, type DatasetDeps } from './dataset-service';
import { ensurePeriodicSync, onSignedIn, type PeriodicAlarms } from './scheduler';

export interface BrowserEvents {
  alarms: PeriodicAlarms & { onAlarm: { addListener(listener: (alarm: { name: string }) => void): void } };
  runtime: {
    onStartup: { addListener(listener: () => void): void };
    onInstalled: { addListener(listener: () => void): void };
  };
}

export function registerSyncTriggers(ctx: Context, events: BrowserEvents, deps: DatasetDeps): void {
  const datasets = createDatasetService(ctx, deps);
  const syncAll = (): void => void datasets.syncAll({ onlyPending: false });
  const keepPeriodic = (settings: Settings | undefined): void => void ensurePeriodicSync(events.alarms, settings).catch(() => undefined);

  events.alarms.onAlarm.addListener(({ name }) => {
    if (name === ALARMS.syncDebounce) void datasets.syncAll({ onlyPending: true });
    if (name === ALARMS.syncPeriodic) syncAll();
  });
  events.runtime.onStartup.addListener(() => {
    void ctx.items.settings.get().then(keepPeriodic);
    syncAll();
  });
  events.runtime.onInstalled.addListener(() => void ctx.items.settings.get().then(keepPeriodic));
  ctx.items.settings.onChanged(keepPeriodic);
  onSignedIn(ctx.items.authState, syncAll);
}
