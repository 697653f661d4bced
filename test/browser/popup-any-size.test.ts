// The popup with a full dataset (1,024 records, Cognito Sync's limit) and with a Cognito endpoint that never
// answers: search finds any record, refusals and failures are told where the person looks, a long value
// opens in the detail view, and no state leaves the person without a message and an action.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { createDevice } from '../support/sync-device';
import { signInAtStack } from '../support/stack-identity';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { announced, recordAnnouncements, signInFromPopup, syncNow } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile, replyValue, sendMessage } from './support/profiles';

const RECORDS = 1024;
const keyOf = (i: number): string => `key-${String(i).padStart(4, '0')}`;
/** The bound the popup states for telling that Cognito does not answer (docs/worker.md). */
const UNREACHABLE_BOUND_MS = 20_000;

/** How many record rows are in the page, and how many records the table tells screen readers of. */
function rowCounts(page: PageDriver): Promise<{ rendered: number; announced: string | null | undefined }> {
  return page.evaluate(() => ({
    rendered: document.querySelectorAll('tbody tr[aria-rowindex]').length,
    announced: document.querySelector('table')?.getAttribute('aria-rowcount'),
  }));
}

/** Where an element sits in the page, in CSS pixels from the top of the document (null when absent). */
function topOf(page: PageDriver, selector: string): Promise<number | null> {
  return page.evaluateWith((s: string) => {
    const element = document.querySelector(s);
    return element ? element.getBoundingClientRect().top + window.scrollY : null;
  }, selector);
}

/** Puts `value` in the field whose accessible name is `label` at once, as a paste would: the page is told by an input event. */
function paste(page: PageDriver, label: string, value: string): Promise<void> {
  return page.evaluateWith(
    ({ label, value }: { label: string; value: string }) => {
      const field = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].find(
        (element) => element.getAttribute('aria-label') === label && element.checkVisibility({ visibilityProperty: true }),
      );
      if (!field) throw new Error(`no field named ${label}`);
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    },
    { label, value },
  );
}

/** The Add form's fields marked invalid, with what describes them. */
function invalidFields(page: PageDriver): Promise<Array<{ label: string | null; describedBy: string | null }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.add-record [aria-invalid="true"]')].map((field) => ({
      label: field.getAttribute('aria-label'),
      describedBy: field.getAttribute('aria-describedby'),
    })),
  );
}

/** A TCP server that accepts connections and never answers: a Cognito endpoint that does not respond. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the silent server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each(BROWSERS)('the popup with 1,024 records in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;
  let popup: PageDriver;

  beforeAll(async () => {
    stack = await startStack({ port: 0, memory: true });
    profile = await openProfile(browser, 'full');
    await configure(profile, stack);
    // Another device of the same person fills the dataset on the server; the popup's sync brings it.
    const other = await createDevice(stack, { identity: await signInAtStack(stack, 'alice'), dataset: DEFAULT_SETTINGS.datasetName });
    // One edit of 1,024 records: the popup meets the same dataset as after 1,024 edits, for a fraction of the work.
    await other.service.importRecords(Array.from({ length: RECORDS }, (_, i) => ({ key: keyOf(i), value: `value ${i}` })));
    await other.service.sync();
    popup = await signInFromPopup(profile, 'alice');
    await syncNow(popup);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  it('finds a record among 1,024 by its key and by its value', async () => {
    await expect.poll(async () => (await rowCounts(popup)).announced, { timeout: 30_000 }).toBe(String(RECORDS + 1));
    expect(await popup.rowText(keyOf(777))).toBeUndefined();
    await popup.fill('Search records', 'KEY-0777');
    await expect.poll(() => popup.rowText(keyOf(777)), { timeout: 5_000 }).toMatch(/^key-0777 value 777 Synced/);
    expect(await rowCounts(popup)).toEqual({ rendered: 1, announced: '2' });

    await popup.fill('Search records', 'value 1023');
    await expect.poll(() => popup.rowText(keyOf(1023)), { timeout: 5_000 }).toMatch(/^key-1023 value 1023 Synced/);
    expect((await rowCounts(popup)).rendered).toBe(1);

    await popup.fill('Search records', 'no such record');
    await popup.waitForText('No record matches “no such record”.');
    await popup.fill('Search records', '');
    await expect.poll(async () => (await rowCounts(popup)).announced, { timeout: 5_000 }).toBe(String(RECORDS + 1));
  });

  it('tells a refused record right under the Add form, gives the typed record back, and offers no Try again', async () => {
    await popup.fill('New key', 'one too many');
    await popup.fill('New value', 'x');
    await popup.pressButton('Add');
    await popup.waitForText('A dataset holds at most 1024 records. Delete records you no longer need before adding new ones.');
    const place = await popup.evaluate(() => {
      const form = document.querySelector('.add-record');
      const alert = form?.querySelector('[role=alert]');
      const field = form?.querySelector('input');
      if (!alert || !field) return null;
      return {
        gap: alert.getBoundingClientRect().top - field.getBoundingClientRect().bottom,
        inView: alert.getBoundingClientRect().bottom <= innerHeight,
      };
    });
    // Under the field the person just used, in view: not at the other end of a long page.
    expect(place).not.toBeNull();
    expect(place?.gap).toBeGreaterThanOrEqual(0);
    expect(place?.gap).toBeLessThan(60);
    expect(place?.inView).toBe(true);
    expect(await popup.fieldValue('New key')).toBe('one too many');
    await popup.waitForButton('Try again', false);
    // About the dataset, not what was typed: neither field is marked, and the focus stays on Add.
    expect(await invalidFields(popup)).toEqual([]);
    expect(await popup.focused()).toBe('Add');

    // A value larger than one record may hold: the value is marked, described by the refusal, and has the focus.
    await popup.fill('New key', 'too large');
    await paste(popup, 'New value', 'v'.repeat(400 * 1024));
    await popup.pressButton('Add');
    await popup.waitForText('one record may hold at most 396.0 KB');
    expect(await invalidFields(popup)).toEqual([{ label: 'New value', describedBy: 'add-record-error' }]);
    await expect.poll(() => popup.focused()).toBe('New value');

    // No key: the key is marked, and has the focus.
    await popup.fill('New key', '');
    await popup.pressButton('Add');
    await popup.waitForText('Enter a key.');
    expect(await invalidFields(popup)).toEqual([{ label: 'New key', describedBy: 'add-record-error' }]);
    await expect.poll(() => popup.focused()).toBe('New key');
    await paste(popup, 'New value', '');
  });

  it('shows a failed sync at the top of the popup, and never says synced while the last sync failed', async () => {
    stack.addFault({ service: 'dynamodb', kind: 'status', status: 500, count: 50 });
    await popup.click('Sync now');
    await popup.waitForText('The dataset service had a problem');
    const alertTop = await topOf(popup, '.sync-bar [role=alert]');
    const tableTop = await topOf(popup, 'table');
    expect(alertTop).not.toBeNull();
    expect(tableTop).not.toBeNull();
    expect(alertTop).toBeLessThan(tableTop ?? 0);
    expect(alertTop).toBeLessThan(300);
    const statusLine = (): Promise<string> => popup.evaluate(() => document.querySelector('.sync-status')?.textContent ?? '');
    await expect.poll(statusLine).toContain('Last sync failed');
    const line = await statusLine();
    expect(line).not.toMatch(/synced/i);
    // It says, under the failure, when the extension tries again by itself: the alarm it set, a minute out.
    const due = await popup.evaluate(async () => {
      const { syncRetry } = await (globalThis as ExtensionGlobal).chrome.storage.session.get('syncRetry');
      const at = (syncRetry as { at: number }).at;
      return { in: at - Date.now(), shown: new Date(at).toLocaleTimeString(navigator.language, { hour: '2-digit', minute: '2-digit' }) };
    });
    expect(due.in).toBeGreaterThan(0);
    expect(due.in).toBeLessThanOrEqual(60_000);
    await popup.waitForText(`Next try by itself at ${due.shown}.`);

    stack.clearFaults();
    // A sync the popup did not ask for (the edit timer, the periodic one) succeeds: the failure is old news.
    replyValue(await sendMessage(popup, 'syncNow'));
    await popup.waitForText('All changes synced');
    await popup.waitForButton('Try again', false);
    expect(await statusLine()).not.toContain('Last sync failed');
  });

  it('shows a value a sync changed while its detail view was open, and keeps what the person typed over it', async () => {
    const key = keyOf(5);
    const long = `${'e'.repeat(300)}\nsecond line`;
    replyValue(await sendMessage(popup, 'putRecord', key, long));
    await expect.poll(() => popup.rowText(key), { timeout: 15_000 }).toMatch(/^key-0005 e{20}/);
    await popup.click(`Edit ${key}`);
    const field = `New value for ${key}`;
    await expect.poll(() => popup.fieldValue(field), { timeout: 15_000 }).toBe(long);

    // Another browser's edit arrives (through the worker, as a sync brings it): untouched, the field follows.
    replyValue(await sendMessage(popup, 'putRecord', key, `${long} (from elsewhere)`));
    await expect.poll(() => popup.fieldValue(field), { timeout: 15_000 }).toBe(`${long} (from elsewhere)`);
    expect(await popup.isDisabled(`Save ${key}`)).toBe(true);

    // Typed over, the person's text stays, and the popup says the record changed meanwhile.
    await popup.fill(field, 'mine');
    replyValue(await sendMessage(popup, 'putRecord', key, 'theirs'));
    await popup.waitForText('This record was changed elsewhere while you were editing it.');
    expect(await popup.fieldValue(field)).toBe('mine');
    await popup.click(`Save ${key}`);
    await expect.poll(() => popup.rowText(key), { timeout: 15_000 }).toMatch(/^key-0005 mine/);
  });

  it('opens a 100 KB value in the detail view, and saves a new one from there', async () => {
    const long = `${'a'.repeat(50_000)}\n${'b'.repeat(49_999)}`;
    replyValue(await sendMessage(popup, 'putRecord', keyOf(3), long));
    await expect.poll(() => popup.rowText(keyOf(3)), { timeout: 15_000 }).toMatch(/^key-0003 a{20}/);
    // A value longer than a row shows, or of several lines, is edited in the detail view's multi-line field.
    await popup.click(`Edit ${keyOf(3)}`);
    await expect.poll(() => popup.fieldValue(`New value for ${keyOf(3)}`), { timeout: 15_000 }).toBe(long);
    expect(await popup.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // The detail view covers the list: nothing of it can be seen or clicked, so no other record's Edit.
    const listShown = (): Promise<boolean[]> =>
      popup.evaluate(() =>
        ['input[type=search]', 'table'].map((selector) => document.querySelector(selector)?.checkVisibility({ visibilityProperty: true }) ?? false),
      );
    expect(await listShown()).toEqual([false, false]);

    // Refused (larger than one record may be), by keyboard: the focus stays on Save while the refusal is said.
    await paste(popup, `New value for ${keyOf(3)}`, 'r'.repeat(400 * 1024));
    await popup.pressButton(`Save ${keyOf(3)}`);
    await popup.waitForText('one record may hold at most 396.0 KB');
    expect(await popup.focused()).toBe(`Save ${keyOf(3)}`);

    const changed = `${'c'.repeat(60_000)}\n${'d'.repeat(40_000)}`;
    await paste(popup, `New value for ${keyOf(3)}`, changed);
    await recordAnnouncements(popup);
    await popup.click(`Save ${keyOf(3)}`);
    // 100 KB through the worker and back, on a loaded machine: more than a poll's default second.
    await expect.poll(() => popup.rowText(keyOf(3)), { timeout: 15_000 }).toMatch(/^key-0003 c{20}/);
    const stored = replyValue<{ value: string } | undefined>(await sendMessage(popup, 'getRecord', keyOf(3)));
    expect(stored?.value).toBe(changed);
    await expect.poll(() => popup.focused(), { timeout: 5_000 }).toBe(`Edit ${keyOf(3)}`);
    expect(await listShown()).toEqual([true, true]);
    // The saved value came back before the view closed: not, even for a moment, a change made elsewhere.
    expect((await announced(popup)).filter((text) => text.includes('changed elsewhere'))).toEqual([]);
  });

  it('deletes a record from its detail view without saying it went away elsewhere, and gives the focus to the search', async () => {
    const key = keyOf(4);
    await popup.click(`Edit ${key}`);
    await popup.click(`Open ${key} in the full view`);
    await expect.poll(() => popup.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await recordAnnouncements(popup);
    await popup.pressButton('Delete');
    await expect.poll(() => popup.focused(), { timeout: 15_000 }).toBe('Search records');
    expect(replyValue(await sendMessage(popup, 'getRecord', key))).toBeUndefined();
    expect((await announced(popup)).filter((text) => text.includes('no longer in the dataset'))).toEqual([]);
  });
});

describe.each(BROWSERS)('the popup signed in while Cognito does not answer, in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;
  let silent: Awaited<ReturnType<typeof silentServer>>;

  beforeAll(async () => {
    [stack, silent, profile] = await Promise.all([startStack({ port: 0, memory: true }), silentServer(), openProfile(browser, 'silent')]);
    // An identity pool never used in this browser, behind an endpoint that accepts connections and never answers.
    await configure(profile, stack, { extra: [['Cognito Identity endpoint', silent.url]] });
  });
  afterAll(async () => {
    await profile?.close();
    await silent?.close();
    await stack?.close();
  });

  it(`says the credentials are coming, then that Cognito cannot be reached, with actions, within ${UNREACHABLE_BOUND_MS / 1000} s`, async () => {
    const popup = await profile.openPage('popup/index.html');
    await popup.waitForText('Sign in to sync your data across browsers.');
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    const signedInAt = Date.now();
    await popup.waitForText('Getting your AWS credentials from Amazon Cognito');
    await popup.waitForButton('Open settings');
    await popup.waitForText('Amazon Cognito could not be reached', UNREACHABLE_BOUND_MS + 5_000);
    expect(Date.now() - signedInAt).toBeLessThan(UNREACHABLE_BOUND_MS);
    await popup.waitForText(`${new URL(silent.url).host} could not be reached.`);
    await popup.waitForButton('Try again');
    await popup.waitForButton('Open settings');
    await popup.waitForButton('Sign out');
    await popup.close();
  });
});
