// The composition root: everything the worker registers, and in what order browser start runs. index.ts
// builds the context and calls `createWorker`; tests call it with their own context and events.
import type { AuthState } from '../shared/auth-state';
import { PASSING_SYNC_FAILURES, type DatasetView } from '../shared/dataset';
import type { Settings } from '../shared/settings';
import type { StorageAreaLike } from '../shared/storage-item';
import { dispatch, readAuthState } from './auth/records';
import { keepBadgeCurrent, type ActionLike } from './badge';
import { authHandlers } from './lifecycle/handlers';
import { renewDue } from './lifecycle/renew';
import { resumeSession } from './lifecycle/resume';
import { signOut } from './lifecycle/sign-out';
import { createMessageListener, type OwnExtension, type Sender } from './messages';
import type { MessageReply } from '../shared/messages';
import { ALARMS } from './platform/alarms';
import type { Context } from './platform/context';
import { handler, noArgs } from './platform/protocol';
import { settingsHandlers } from './settings/handlers';
import type { DatasetService } from './sync/dataset-service';
import { createWorkerDatasets, datasetHandlers } from './sync/handlers';
import { ensurePeriodicSync, type PeriodicAlarms } from './sync/scheduler';

interface Listenable<L> {
  addListener(listener: L): void;
}

/** The browser events the worker listens to, and what it shows: `browser.*` in index.ts, fakes in tests. */
export interface WorkerEvents {
  runtime: OwnExtension & {
    onMessage: Listenable<(message: unknown, sender: Sender) => Promise<MessageReply>>;
    onStartup: Listenable<() => void>;
    onInstalled: Listenable<() => void>;
  };
  alarms: PeriodicAlarms & { onAlarm: Listenable<(alarm: { name: string }) => void> };
  /** The storage areas whose changes the badge follows. */
  areas: { local: StorageAreaLike; session: StorageAreaLike };
  action: ActionLike;
  /** Host access granted (absent in Node tests). */
  permissions?: { onAdded: Listenable<(permissions: { origins?: string[] }) => void> };
}

/** What a sign-in is followed by, besides its own credentials: the worker's syncs. */
interface SignInFollowUp {
  signedIn(): void;
}

/** The message handlers of one worker. The pages' `send()` is typed from `Handlers`. */
export function createHandlers(ctx: Context, datasets: DatasetService = createWorkerDatasets(ctx), followUp?: SignInFollowUp) {
  const auth = authHandlers(ctx, followUp?.signedIn);
  return {
    /** Which worker answers: a restarted one has a later `startedAt`. */
    ping: handler(noArgs, async (): Promise<{ version: string; startedAt: number }> => ({ version: ctx.version, startedAt: performance.timeOrigin })),
    // Another provider, client or pool makes the current sign-in meaningless: sign out first.
    ...settingsHandlers(ctx, () => signOut(ctx, 'settings')),
    ...auth,
    ...datasetHandlers(datasets),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;

export interface BackgroundWorker {
  handlers: Handlers;
  datasets: DatasetService;
  /** The browser-start sequence, as `runtime.onStartup` runs it. */
  browserStart(): Promise<void>;
  /** The alarm router, as `alarms.onAlarm` runs it. */
  onAlarm(name: string): Promise<void>;
  /** What `permissions.onAdded` runs: the renewal and syncs that failed for want of host access, again. */
  accessGranted(): Promise<void>;
}

/** Registers every listener of the worker, synchronously: a worker woken by an event must find its listener. */
export function createWorker(ctx: Context, events: WorkerEvents): BackgroundWorker {
  const datasets = createWorkerDatasets(ctx);
  const keepPeriodic = (settings: Settings | undefined): Promise<void> => ensurePeriodicSync(events.alarms, settings).catch(() => undefined);
  const syncAll = (): Promise<void> => datasets.syncAll({ onlyPending: false }).catch(() => undefined);

  // After a sign-in: the periodic sync again (sign-out stopped it), and a first sync now.
  const handlers = createHandlers(ctx, datasets, {
    signedIn: () => void ctx.items.settings.get().then(keepPeriodic).then(syncAll),
  });
  events.runtime.onMessage.addListener(createMessageListener(handlers, events.runtime));

  async function onAlarm(name: string): Promise<void> {
    switch (name) {
      case ALARMS.renew:
        return renewDue(ctx);
      case ALARMS.syncDebounce:
        return datasets.syncAll({ onlyPending: true });
      case ALARMS.syncPeriodic:
      case ALARMS.syncRetry:
        return datasets.syncAll({ onlyPending: false });
      default:
        return; // an alarm of an earlier version: nothing listens for it any more
    }
  }
  events.alarms.onAlarm.addListener(({ name }) => void onAlarm(name).catch(() => undefined));

  // The badge follows the sign-in state and the open dataset: sign in again, signed out, failed sync, pending edits.
  async function badgeInputs(): Promise<{ auth: AuthState; dataset: DatasetView | undefined }> {
    const auth = await readAuthState(ctx);
    const dataset = auth.identityId ? await datasets.open().catch(() => undefined) : undefined;
    return { auth, dataset };
  }
  const showBadge = keepBadgeCurrent(events.areas, events.action, badgeInputs);

  /**
   * storage.session was cleared with the browser: sign back in silently while the provider's session lasts,
   * then sync (with whoever is signed in by then: nobody is no failure), then show the badge.
   */
  async function browserStart(): Promise<void> {
    await keepPeriodic(await ctx.items.settings.get());
    await resumeSession(ctx).catch(() => undefined);
    await syncAll();
    await showBadge();
  }
  events.runtime.onStartup.addListener(() => void browserStart());

  /**
   * Host access given back (Save on the options page asks for it, or the browser's site-access controls): what
   * failed for want of it (platform/host-access.ts) goes again now, not at the next alarm.
   */
  async function accessGranted(): Promise<void> {
    if ((await readAuthState(ctx)).error?.code === 'PERMISSION_DENIED') {
      await dispatch(ctx, { type: 'hostAccessBack' });
      // Signed in: the renewal that failed goes again (and says so again if access is still missing).
      await renewDue(ctx);
    }
    await syncAll();
  }
  events.permissions?.onAdded.addListener(() => void accessGranted().catch(() => undefined));
  events.runtime.onInstalled.addListener(() => void ctx.items.settings.get().then(keepPeriodic));
  /**
   * Settings saved: what failed for a setting (a table name, a role, a region) goes again now, for the fix to
   * show, rather than at the next alarm (up to the sync interval away). Nothing runs when nothing failed.
   */
  async function settingsChanged(settings: Settings | undefined): Promise<void> {
    await keepPeriodic(settings);
    if (!settings) return;
    // Signed out, renewDue has nothing to renew.
    if ((await readAuthState(ctx)).error) await renewDue(ctx);
    const open = await datasets.open().catch(() => undefined);
    if (open?.lastError && !PASSING_SYNC_FAILURES.has(open.lastError.code)) await syncAll();
  }
  ctx.items.settings.onChanged((settings) => void settingsChanged(settings).catch(() => undefined));

  return { handlers, datasets, browserStart, onAlarm, accessGranted };
}
