// One vocabulary for the end-to-end tests in both browsers: find controls by role and accessible name,
// as a person (or a screen reader) would, whether the page is driven by Playwright or by Puppeteer.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import type { ElementHandle, Page as PuppeteerPage } from 'puppeteer-core';

/** A file to choose in a file field, as if it were on disk with this name. */
export interface ChosenFile {
  name: string;
  mimeType: string;
  text: string;
}

export interface PageDriver {
  /** Types into the text field whose accessible name is `label`. */
  fill(label: string, value: string): Promise<void>;
  click(buttonName: string): Promise<void>;
  /** Presses Enter on the button with this accessible name, focused first, as a keyboard user does. */
  pressButton(buttonName: string): Promise<void>;
  /** Presses a key (e.g. 'Escape', 'Enter', or with modifiers held, 'Shift+Tab') in whatever has the focus. */
  press(key: string): Promise<void>;
  /** The accessible name of the focused element, or undefined when nothing is focused. */
  focused(): Promise<string | undefined>;
  /** The current value of the field whose accessible name is `label`. */
  fieldValue(label: string): Promise<string>;
  /** Whether the checkbox whose accessible name is `label` is checked. */
  isChecked(label: string): Promise<boolean>;
  /** Chooses the option whose value is `value` in the select whose accessible name is `label`. */
  select(label: string, value: string): Promise<void>;
  /** Chooses a file in the file field whose accessible name is `label`. */
  chooseFile(label: string, file: ChosenFile): Promise<void>;
  /** Whether the button with this accessible name is disabled, or says it is unavailable (aria-disabled) as a busy one does. */
  isDisabled(buttonName: string): Promise<boolean>;
  /** Waits until the page's visible text contains `text`. */
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Waits until a button with this accessible name is shown (or hidden). */
  waitForButton(name: string, shown?: boolean): Promise<void>;
  /** The visible text of the table row whose header cell is `key`, or undefined when there is none. */
  rowText(key: string): Promise<string | undefined>;
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Runs `fn(arg)` in the page; `arg` crosses as JSON, `fn` takes no outside values. */
  evaluateWith<A, T>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Closes the page as a person closing its tab does: when the page asks first (beforeunload), the answer is
   * Leave. Resolves whether it asked.
   */
  closeAsking(): Promise<boolean>;
}

// In-page helpers, serialised into the page: they compute accessible names the simple way our pages need
// (aria-label, aria-labelledby, <label for>, then text content).
const IN_PAGE = String.raw`
  window.__e2e = {
    name(el) {
      const label = el.getAttribute('aria-label');
      if (label) return label.trim();
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      if (el.id) {
        const forLabel = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
        if (forLabel) return forLabel.textContent.trim();
      }
      return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    },
    visible(el) {
      return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    },
    field(name) {
      return [...document.querySelectorAll('input, select, textarea')].find((el) => this.visible(el) && this.name(el) === name);
    },
    button(name) {
      return [...document.querySelectorAll('button')].find((el) => this.visible(el) && this.name(el) === name);
    },
    /**
     * Until disarmed, presses and clicks that land outside \`el\` are stopped before the page hears them: a page
     * that moved between finding the button and pressing it (a banner appeared above) must not get a click on
     * whatever came under the pointer. Playwright checks its hit target the same way.
     */
    guard(el) {
      const state = { hit: false, missed: false };
      const types = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
      const listener = (event) => {
        // The page's own clicks (a link made to start a download) are not the pointer's.
        if (!event.isTrusted) return;
        if (el.contains(event.target)) {
          if (event.type === 'click') state.hit = true;
          return;
        }
        event.preventDefault();
        event.stopImmediatePropagation();
        state.missed = true;
      };
      for (const type of types) window.addEventListener(type, listener, true);
      this.disarm = () => {
        for (const type of types) window.removeEventListener(type, listener, true);
        return state;
      };
    },
    row(key) {
      const header = [...document.querySelectorAll('tbody th[scope=row]')].find((th) => th.textContent.trim() === key);
      return header ? header.closest('tr').innerText.replace(/\s+/g, ' ').trim() : undefined;
    },
  };
`;

/** Answers Leave to the page's question before it unloads (beforeunload); `asked()`: whether it came. */
function leaveWhenAsked(): { answer: (dialog: { type(): string; accept(): Promise<void> }) => void; asked: () => boolean } {
  let asked = false;
  return {
    answer: (dialog) => {
      if (dialog.type() !== 'beforeunload') return;
      asked = true;
      void dialog.accept();
    },
    asked: () => asked,
  };
}

/** `fn(arg)` as source text: both drivers evaluate an expression the same way, awaiting a promise. */
function inPage<A, T>(fn: (arg: A) => T | Promise<T>, arg: A): string {
  return `(${fn.toString()})(${JSON.stringify(arg)})`;
}

type Find = { kind: 'field' | 'button'; name: string };

/**
 * Puppeteer (Firefox over BiDi): no accessibility-tree queries there, so the in-page helpers do it.
 * `filesDir`: where chosen files are written (the profile removes it when it closes, for pages not closed first).
 */
export function puppeteerDriver(page: PuppeteerPage, filesDir = tmpdir()): PageDriver {
  const chosenDirs: string[] = [];
  const ready = async (): Promise<void> => {
    await page.evaluate(`if (!window.__e2e) { ${IN_PAGE} }`);
  };
  const element = async ({ kind, name }: Find) => {
    await ready();
    const handle = await page.waitForFunction(
      (k: string, n: string) => {
        const e2e = (window as unknown as { __e2e: Record<string, (n: string) => Element | undefined> }).__e2e;
        return e2e[k]?.(n) ?? false;
      },
      { timeout: 15_000 },
      kind,
      name,
    );
    const found = handle.asElement();
    if (!found) throw new Error(`no ${kind} named ${name}`);
    return found as ElementHandle<HTMLInputElement>;
  };
  return {
    async fill(label, value) {
      const input = await element({ kind: 'field', name: label });
      // Emptied as a person would: the page hears an input event, so an empty value reaches its state too.
      await input.evaluate((el) => {
        (el as HTMLInputElement).value = '';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await input.type(value);
    },
    async fieldValue(label) {
      const input = await element({ kind: 'field', name: label });
      return input.evaluate((el) => (el as HTMLInputElement).value);
    },
    async isChecked(label) {
      const input = await element({ kind: 'field', name: label });
      return input.evaluate((el) => (el as HTMLInputElement).checked);
    },
    async select(label, value) {
      const field = await element({ kind: 'field', name: label });
      await field.select(value);
    },
    async chooseFile(label, file) {
      const input = await element({ kind: 'field', name: label });
      // Firefox reads a chosen file from disk when the page asks for its text, which may be after this returns:
      // the file stays until the page (or its profile) is closed.
      const dir = await mkdtemp(join(filesDir, 'chosen-file-'));
      chosenDirs.push(dir);
      await writeFile(join(dir, file.name), file.text);
      await input.uploadFile(join(dir, file.name));
    },
    async isDisabled(name) {
      const button = await element({ kind: 'button', name });
      return button.evaluate((el) => (el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true');
    },
    async pressButton(name) {
      const button = await element({ kind: 'button', name });
      await button.press('Enter');
    },
    async click(name) {
      // Puppeteer presses at the point where the button was: tried again when the page moved under it meanwhile.
      for (let attempt = 1; ; attempt++) {
        const button = await element({ kind: 'button', name });
        await button.evaluate((el) => (window as unknown as { __e2e: { guard(el: Element): void } }).__e2e.guard(el));
        const disarm = () =>
          page
            .evaluate(() => (window as unknown as { __e2e: { disarm(): { hit: boolean; missed: boolean } } }).__e2e.disarm())
            // The click closed the page (a sign-in window's last step): it landed.
            .catch(() => ({ hit: true, missed: false }));
        try {
          await button.click();
        } catch (error) {
          // Not left armed: it would stop the next test's clicks.
          await disarm();
          // The page rendered the button anew between finding it and pressing it: find it again.
          if (attempt < 3 && error instanceof Error && /detached/i.test(error.message)) continue;
          throw error;
        }
        const landed = await disarm();
        if (!landed.missed) return;
        if (attempt === 3) throw new Error(`the page kept moving under the button named ${name}`);
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      }
    },
    async press(combination) {
      // Puppeteer presses one key: the modifiers before it ('Shift+Tab', as Playwright writes it) are held meanwhile.
      type Key = Parameters<PuppeteerPage['keyboard']['press']>[0];
      const keys = combination.split(/\+(?=.)/) as Key[];
      const key = keys.pop() as Key;
      for (const modifier of keys) await page.keyboard.down(modifier);
      await page.keyboard.press(key);
      for (const modifier of keys.reverse()) await page.keyboard.up(modifier);
    },
    async focused() {
      await ready();
      return page.evaluate(() => {
        const active = document.activeElement;
        const e2e = (window as unknown as { __e2e: { name(el: Element): string } }).__e2e;
        return active && active !== document.body ? e2e.name(active) : undefined;
      });
    },
    async waitForText(text, timeoutMs = 15_000) {
      const source = typeof text === 'string' ? { s: text } : { r: text.source, f: text.flags };
      await page.waitForFunction(
        (t: { s?: string; r?: string; f?: string }) => {
          // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees, not the hidden text too
          const body = document.body.innerText;
          return t.s !== undefined ? body.includes(t.s) : new RegExp(t.r ?? '', t.f).test(body);
        },
        { timeout: timeoutMs },
        source,
      );
    },
    async waitForButton(name, shown = true) {
      await ready();
      await page.waitForFunction(
        (n: string, s: boolean) => {
          const e2e = (window as unknown as { __e2e?: { button(n: string): Element | undefined } }).__e2e;
          return e2e !== undefined && (e2e.button(n) !== undefined) === s;
        },
        { timeout: 15_000 },
        name,
        shown,
      );
    },
    async rowText(key) {
      await ready();
      return page.evaluate((k: string) => (window as unknown as { __e2e: { row(k: string): string | undefined } }).__e2e.row(k), key);
    },
    evaluate: (fn) => page.evaluate(fn),
    evaluateWith: <A, T>(fn: (arg: A) => T | Promise<T>, arg: A) => page.evaluate(inPage(fn, arg)) as Promise<T>,
    async screenshot(path) {
      await page.screenshot({ path: path as `${string}.png` });
    },
    async close() {
      await page.close();
      await Promise.all(chosenDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
    async closeAsking() {
      const leave = leaveWhenAsked();
      page.on('dialog', leave.answer);
      // Over BiDi this resolves once the page's question (if any) has been answered, and Puppeteer hears of the
      // page's end only much later: it is gone once a script can no longer run in it.
      await page.close({ runBeforeUnload: true });
      const gone = async (): Promise<boolean> =>
        page
          .evaluate(() => false)
          .then(
            (alive) => alive,
            () => true,
          );
      for (let tries = 0; tries < 100 && !(await gone()); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      if (!(await gone())) throw new Error('the page did not close within 10 s');
      await Promise.all(chosenDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
      return leave.asked();
    },
  };
}

/** Playwright (Chromium): its own role and label locators. */
export function playwrightDriver(page: PlaywrightPage): PageDriver {
  return {
    async fill(label, value) {
      await page.getByLabel(label, { exact: true }).fill(value);
    },
    fieldValue: (label) => page.getByLabel(label, { exact: true }).inputValue(),
    isChecked: (label) => page.getByLabel(label, { exact: true }).isChecked(),
    async select(label, value) {
      await page.getByLabel(label, { exact: true }).selectOption(value);
    },
    async chooseFile(label, file) {
      await page.getByLabel(label, { exact: true }).setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: Buffer.from(file.text) });
    },
    // Playwright counts aria-disabled as disabled.
    isDisabled: (name) => page.getByRole('button', { name, exact: true }).isDisabled(),
    async pressButton(name) {
      await page.getByRole('button', { name, exact: true }).press('Enter');
    },
    async click(name) {
      await page.getByRole('button', { name, exact: true }).click();
    },
    async press(key) {
      await page.keyboard.press(key);
    },
    async focused() {
      return page.evaluate(() => {
        const active = document.activeElement;
        if (!active || active === document.body) return undefined;
        return active.getAttribute('aria-label') ?? active.textContent?.trim() ?? undefined;
      });
    },
    async waitForText(text, timeoutMs = 15_000) {
      await page.getByText(text).first().waitFor({ timeout: timeoutMs });
    },
    async waitForButton(name, shown = true) {
      await page.getByRole('button', { name, exact: true }).waitFor({ state: shown ? 'visible' : 'detached', timeout: 15_000 });
    },
    async rowText(key) {
      const header = page.getByRole('rowheader', { name: key, exact: true });
      if ((await header.count()) === 0) return undefined;
      // A row removed between the count and the read (a deletion the worker confirms) would hold innerText for
      // Playwright's whole action timeout (30 s): read it with a short bound, and a row gone by then is gone.
      const text = await page
        .getByRole('row')
        .filter({ has: header })
        // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's rendered text, not a DOM property
        .innerText({ timeout: 2_000 })
        .catch(async (error: unknown) => {
          if ((await header.count()) === 0) return undefined;
          throw error;
        });
      return text?.replace(/\s+/g, ' ').trim();
    },
    evaluate: (fn) => page.evaluate(fn),
    evaluateWith: <A, T>(fn: (arg: A) => T | Promise<T>, arg: A) => page.evaluate<T>(inPage(fn, arg)),
    async screenshot(path) {
      await page.screenshot({ path });
    },
    close: () => page.close(),
    async closeAsking() {
      const leave = leaveWhenAsked();
      page.on('dialog', leave.answer);
      const closed = page.waitForEvent('close');
      await page.close({ runBeforeUnload: true });
      await closed;
      return leave.asked();
    },
  };
}
