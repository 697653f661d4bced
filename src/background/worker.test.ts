// The composition root: what browser start runs, in which order, and how the registered message
// listener treats arguments of the wrong type. Memory storage, a fake network; nothing leaves the process.
import { describe, expect, it, vi } from 'vitest';
import { authContext, newProfile } from '../../test/support/auth-context';
import type { MessageReply } from '../shared/messages';
import { DEFAULT_SETTINGS, toForm, type Settings } from '../shared/settings';
import type { StorageAreaLike } from '../shared/storage-item';
import type { Sender } from './messages';
import { createWorker, type WorkerEvents } from './worker';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.auth0.com',
  clientId: 'client',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};
const IDENTITY_ID = 'eu-west-1:0a11ce00-b0b0-4c0d-8e00-5ac0ffee0001';
const ownPage: Sender = { id: 'ext', url: 'chrome-extension://ext/popup/index.html' };

/** The worker's browser events, with the listeners it registers kept to be fired by the test. */
function fakeEvents(log: string[]) {
  const listeners = {
    startup: [] as Array<() => void>,
    message: [] as Array<(message: unknown, sender: Sender) => Promise<MessageReply>>,
  };
  const events: WorkerEvents = {
    runtime: {
      id: 'ext',
      getURL: (path) => `chrome-extension://ext/${path}`,
      onMessage: { addListener: (listener) => void listeners.message.push(listener) },
      onStartup: { addListener: (listener) => void listeners.startup.push(listener) },
      onInstalled: { addListener: () => undefined },
    },
    alarms: { create: () => undefined, get: async () => undefined, clear: async () => true, onAlarm: { addListener: () => undefined } },
    areas: { local: newProfile().local, session: newProfile().session },
    action: {
      setBadgeText: async () => void log.push('badge'),
      setBadgeBackgroundColor: async () => undefined,
      setTitle: async () => undefined,
    },
  };
  return { events, listeners };
}

/** storage.local that notes when a sync looks up the datasets it has to visit. */
function watchedLocal(area: StorageAreaLike, log: string[]): StorageAreaLike {
  return {
    ...area,
    get: (keys) => {
      const wanted = keys === null ? [] : Array.isArray(keys) ? keys : [keys];
      if (wanted.some((key) => key.startsWith('datasetNames/'))) log.push('sync');
      return area.get(keys);
    },
  };
}

describe('browser start', () => {
  it('runs the silent sign-in first, then the sync, then the badge', async () => {
    const log: string[] = [];
    const profile = newProfile();
    let failDiscovery: (error: Error) => void = () => undefined;
    const ctx = authContext(
      { ...profile, local: watchedLocal(profile.local, log) },
      {
        // The provider's discovery document: the first request of the silent sign-in, held by the test.
        fetch: () => {
          log.push('resume');
          return new Promise<Response>((_, reject) => (failDiscovery = reject));
        },
      },
    );
    await ctx.items.settings.set(settings);
    // Alice signed in on this browser before: there is someone to resume, and a dataset to sync.
    await ctx.items.identityIds.set([
      { identityPoolId: settings.identityPoolId, provider: 'tenant.auth0.com', sub: 'auth0|alice', identityId: IDENTITY_ID, usedAt: 1 },
    ]);
    const { events, listeners } = fakeEvents(log);
    createWorker(ctx, events);
    expect(listeners.startup).toHaveLength(1);

    for (const listener of listeners.startup) listener();
    await vi.waitFor(() => expect(log).toEqual(['resume']));
    // While the silent sign-in waits for the provider, nothing syncs and the badge is not drawn.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log).toEqual(['resume']);

    failDiscovery(new TypeError('fetch failed'));
    await vi.waitFor(() => expect(log).toEqual(['resume', 'sync', 'badge']));
  });
});

describe('the message listener the worker registers', () => {
  it('refuses an argument of the wrong type with INVALID_INPUT, and changes nothing', async () => {
    const ctx = authContext(newProfile());
    await ctx.items.settings.set(settings);
    const { events, listeners } = fakeEvents([]);
    createWorker(ctx, events);
    const [listen] = listeners.message;
    if (!listen) throw new Error('no message listener registered');

    expect(await listen({ type: 'putRecord', args: [42, 'value'] }, ownPage)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await listen({ type: 'saveSettings', args: ['a form?'] }, ownPage)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await listen({ type: 'saveSettings', args: [{ ...toForm(settings), syncIntervalMinutes: 5 }] }, ownPage)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await listen({ type: 'signOut', args: ['now'] }, ownPage)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await ctx.items.settings.get()).toEqual(settings);
    // The same messages with the declared types are answered.
    expect(await listen({ type: 'getAuthState', args: [] }, ownPage)).toMatchObject({ ok: true, value: { status: 'signedOut' } });
  });

  it("takes an import's entries from our own pages only, checked, as edits of the remembered person's dataset", async () => {
    const ctx = authContext(newProfile());
    await ctx.items.settings.set(settings);
    await ctx.items.identityIds.set([
      { identityPoolId: settings.identityPoolId, provider: 'tenant.auth0.com', sub: 'auth0|alice', identityId: IDENTITY_ID, usedAt: 1 },
    ]);
    const { events, listeners } = fakeEvents([]);
    createWorker(ctx, events);
    const [listen] = listeners.message;
    if (!listen) throw new Error('no message listener registered');
    const entries = [
      { key: 'café', value: '☕' },
      { key: 'empty', value: '' },
    ];
    const webPage: Sender = { id: 'ext', url: 'https://example.com/' };

    expect(await listen({ type: 'importRecords', args: [entries] }, webPage)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(await listen({ type: 'importRecords', args: [[{ key: 'k', value: 1 }]] }, ownPage)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await listen({ type: 'importRecords', args: [{ key: 'k', value: 'v' }] }, ownPage)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await listen({ type: 'listRecords', args: [] }, ownPage)).toEqual({ ok: true, value: [] });

    expect(await listen({ type: 'importRecords', args: [entries] }, ownPage)).toEqual({ ok: true, value: { added: 2, changed: 0, unchanged: 0 } });
    const listed = await listen({ type: 'listRecords', args: [] }, ownPage);
    expect(listed).toMatchObject({
      ok: true,
      value: [
        { key: 'café', value: '☕', state: 'pending' },
        { key: 'empty', value: '', state: 'pending' },
      ],
    });
  });
});
