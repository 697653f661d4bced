import { h, render, type ContainerNode } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthState } from '../shared/auth-state';
import type { DatasetView } from '../shared/dataset';
import type { MessageReply, MessageRequest } from '../shared/messages';
import { useWorkerState, type WorkerState } from './use-worker-state';

/**
 * The worker as the popup reaches it: `syncing` is whether it holds the dataset's sync lock, as in
 * src/background/sync/dataset-service.ts. Storage writes reach the popup only through `write`.
 */
const worker = vi.hoisted(() => {
  const listeners = new Set<() => void>();
  const state = { lockHeld: false, datasetReads: 0 };
  const auth: AuthState = { status: 'signedIn', profile: { sub: 'alice' }, identityId: 'us-east-1:00000000-0000-4000-8000-000000000001' };
  const reply = (request: MessageRequest): MessageReply<AuthState | DatasetView> => {
    if (request.type === 'getAuthState') return { ok: true, value: auth };
    if (request.type !== 'openDataset') return { ok: false, error: { code: 'INTERNAL', message: `no ${request.type} here` } };
    state.datasetReads += 1;
    return { ok: true, value: { name: 'MainDataset', identityId: auth.identityId ?? '', records: [], pendingCount: 0, syncing: state.lockHeld } };
  };
  return {
    state,
    listeners,
    /** A storage write: the popup hears of it. */
    write() {
      for (const listener of listeners) listener();
    },
    browser: {
      runtime: { sendMessage: async (request: MessageRequest) => reply(request) },
      storage: {
        onChanged: {
          addListener: (listener: () => void) => listeners.add(listener),
          removeListener: (listener: () => void) => listeners.delete(listener),
        },
      },
    },
  };
});

vi.mock('../ui/browser', () => ({ browser: worker.browser }));

/**
 * The hook in a component that renders nothing, so that no DOM is needed: preact only compares the parent
 * with `document` (a stub here). `shown` is what the hook returned at its last render; its effects run on
 * preact's timers (after a frame, or 35 ms when there are no frames).
 */
function popup() {
  let shown: WorkerState | undefined;
  const Probe = () => {
    shown = useWorkerState();
    return null;
  };
  const parent = { namespaceURI: null, firstChild: null, childNodes: [] } as unknown as ContainerNode;
  render(h(Probe, {}), parent);
  return {
    syncing: () => shown?.dataset?.syncing,
    close: () => render(null, parent),
  };
}

beforeEach(() => {
  vi.stubGlobal('document', {});
  vi.useFakeTimers();
  worker.state.lockHeld = false;
  worker.state.datasetReads = 0;
  worker.listeners.clear();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the popup’s view of a sync', () => {
  it('learns that a sync ended when the worker stopped in it and wrote nothing', async () => {
    worker.state.lockHeld = true;
    const shown = popup();
    await vi.advanceTimersByTimeAsync(100);
    expect(shown.syncing()).toBe(true);
    // The browser stops the worker mid-sync: the lock goes with it, and no storage write says so.
    worker.state.lockHeld = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(shown.syncing()).toBe(false);
    shown.close();
  });

  it('learns that a sync ended when the lock went only after the re-read of its last write', async () => {
    const shown = popup();
    await vi.advanceTimersByTimeAsync(100);
    // The sync's last write, with the lock still held; the lock goes once the popup has read that.
    worker.state.lockHeld = true;
    worker.write();
    await vi.advanceTimersByTimeAsync(100);
    expect(shown.syncing()).toBe(true);
    worker.state.lockHeld = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(shown.syncing()).toBe(false);
    shown.close();
  });

  it('reads the dataset again every few seconds while a sync is shown, and no more once it has ended', async () => {
    worker.state.lockHeld = true;
    const shown = popup();
    await vi.advanceTimersByTimeAsync(100);
    const first = worker.state.datasetReads;
    await vi.advanceTimersByTimeAsync(60_000);
    const whileSyncing = worker.state.datasetReads - first;
    expect(whileSyncing).toBeGreaterThanOrEqual(6);
    expect(whileSyncing).toBeLessThanOrEqual(12);
    // It ends as a sync usually does, with a storage write after the lock has gone.
    worker.state.lockHeld = false;
    worker.write();
    await vi.advanceTimersByTimeAsync(100);
    expect(shown.syncing()).toBe(false);
    const ended = worker.state.datasetReads;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(worker.state.datasetReads).toBe(ended);
    shown.close();
  });

  it('reads nothing more when no sync is shown', async () => {
    const shown = popup();
    await vi.advanceTimersByTimeAsync(100);
    expect(shown.syncing()).toBe(false);
    const answered = worker.state.datasetReads;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(worker.state.datasetReads).toBe(answered);
    shown.close();
  });

  it('stops reading when the popup closes during a sync', async () => {
    worker.state.lockHeld = true;
    const shown = popup();
    await vi.advanceTimersByTimeAsync(100);
    shown.close();
    const closed = worker.state.datasetReads;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(worker.state.datasetReads).toBe(closed);
  });
});
