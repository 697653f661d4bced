// The built extension in each browser: it starts under its pinned id, answers messages, and its options
// page validates, saves, shows the redirect URL to register, and resets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHROME_ID, DEV_REDIRECT_URLS, GECKO_ID } from '../../scripts/extension-ids.mjs';
import { LOCAL_STACK_SETTINGS } from '../../scripts/local-stack.mjs';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { BROWSERS, chromiumProfile, openProfile, type Profile, sendMessage } from './support/profiles';

const PINNED = {
  chromium: { id: DEV_CHROME_ID, redirectUrl: DEV_REDIRECT_URLS.chrome },
  firefox: { id: GECKO_ID, redirectUrl: DEV_REDIRECT_URLS.firefox },
};

/** The text of the page's last status line (the options page announces saves and resets there). */
function statusText(page: PageDriver): Promise<string | null> {
  return page.evaluate(() => [...document.querySelectorAll('[role=status]')].at(-1)?.textContent ?? null);
}

/** The aria-invalid attribute of the field labelled `label`. */
function ariaInvalid(page: PageDriver, label: string): Promise<string | null> {
  return page.evaluateWith((name: string) => {
    const labelled = [...document.querySelectorAll('label')].find((element) => element.textContent?.trim() === name);
    return (labelled && document.getElementById(labelled.htmlFor)?.getAttribute('aria-invalid')) ?? null;
  }, label);
}

/** The label of the focused field, or the focused element's tag when it has none. */
function focusedLabel(page: PageDriver): Promise<string | undefined> {
  return page.evaluate(() => {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return undefined;
    return (focused.id && document.querySelector(`label[for="${focused.id}"]`)?.textContent?.trim()) || focused.tagName;
  });
}

/**
 * WCAG 2 contrast ratios, against the page's background, of the outlines of a text field, a select, a button and
 * the redirect URL (1.4.11 asks 3:1), and of a field's placeholder text (1.4.3 asks 4.5:1), its opacity included.
 */
function contrasts(): Record<string, number> {
  type Rgba = [number, number, number, number];
  const parse = (color: string): Rgba => {
    const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
    return [r, g, b, a];
  };
  /** `color` drawn at `opacity` over the opaque `under`. */
  const over = (color: Rgba, opacity: number, under: Rgba): Rgba => {
    const alpha = color[3] * opacity;
    return [0, 1, 2].map((i) => (color[i] ?? 0) * alpha + (under[i] ?? 0) * (1 - alpha)).concat(1) as Rgba;
  };
  const luminance = ([r, g, b]: Rgba): number => {
    const linear = (channel: number): number => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const ratio = (a: Rgba, b: Rgba): number => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return Math.round((((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05)) * 100) / 100;
  };
  const page = parse(getComputedStyle(document.body).backgroundColor);
  const outline = (element: Element | null | undefined): number =>
    element ? ratio(over(parse(getComputedStyle(element).borderTopColor), 1, page), page) : 0;
  const field = document.getElementById('field-domain');
  const check = [...document.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Check');
  // The page's fields have labels, not placeholders (the popup's have them): one more field, with one, to read it.
  const typed = document.createElement('input');
  typed.placeholder = 'Search';
  document.body.append(typed);
  const style = getComputedStyle(typed, '::placeholder');
  const typedBackground = parse(getComputedStyle(typed).backgroundColor);
  const placeholder = ratio(over(parse(style.color), Number(style.opacity), typedBackground), typedBackground);
  typed.remove();
  return {
    field: outline(field),
    select: outline(document.getElementById('field-syncBackend')),
    button: outline(check),
    redirectUrl: outline(document.getElementById('redirect-url')),
    placeholder,
  };
}

const storedLocal = (page: PageDriver) => page.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.local.get(null));

describe.each(BROWSERS)('the extension in %s', (browser) => {
  let profile: Profile;
  /** Chromium's background is a service worker with a URL of its own; Firefox lists no target for its event page. */
  let workerUrl: (() => Promise<string>) | undefined;

  beforeAll(async () => {
    if (browser === 'chromium') {
      const chromium = await chromiumProfile('foundation');
      workerUrl = async () => (await chromium.extension.worker()).url();
      profile = chromium;
    } else {
      profile = await openProfile(browser, 'foundation');
    }
  });
  afterAll(async () => {
    await profile?.close();
  });

  it('starts its background under the pinned development id, and round-trips a message to it', async () => {
    const page = await profile.openPage('options/index.html');
    expect(await page.evaluate(() => (globalThis as ExtensionGlobal).chrome.runtime.id)).toBe(PINNED[browser].id);
    if (workerUrl) expect(await workerUrl()).toBe(`chrome-extension://${DEV_CHROME_ID}/background.js`);
    const reply = await sendMessage(page, 'ping');
    expect(reply).toEqual({ ok: true, value: { version: '0.1.0', startedAt: expect.any(Number) } });
    await page.close();
  });

  it('refuses an invalid identity pool id with a visible message and saves nothing', async () => {
    const page = await profile.openPage('options/index.html');
    await page.waitForButton('Save');
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await page.fill('Provider domain', 'tenant.example.com');
    await page.fill('Client ID', 'abc123');
    await page.fill('Identity pool ID', 'us-east-1:not-a-uuid');
    await page.click('Save');

    await page.waitForText('An identity pool ID looks like');
    expect(await ariaInvalid(page, 'Identity pool ID')).toBe('true');
    expect(await storedLocal(page)).toEqual({});
    await page.close();
  });

  it('takes a field’s message back once the field it depends on is fixed, without a second Save', async () => {
    const page = await profile.openPage('options/index.html');
    await page.waitForButton('Save');
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await page.fill('Identity pool ID', 'us-east-1:12345678-90ab-cdef-1234-567890abcdef');
    await page.fill('DynamoDB endpoint', 'https://dynamodb.eu-west-1.amazonaws.com');
    await page.click('Save');
    await page.waitForText('This endpoint serves another AWS region than the identity pool');
    expect(await ariaInvalid(page, 'DynamoDB endpoint')).toBe('true');
    // The pool ID was the wrong one: once it names the endpoint's region, the endpoint is right.
    await page.fill('Identity pool ID', 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef');
    await expect.poll(() => ariaInvalid(page, 'DynamoDB endpoint')).toBe('false');
    expect(await page.evaluate(() => document.body.textContent)).not.toContain('This endpoint serves another AWS region');
    expect(await storedLocal(page)).toEqual({});
    await page.close();
  });

  it('refuses Cognito Sync for an identity pool in a region that has none, and takes the message back with DynamoDB', async () => {
    const page = await profile.openPage('options/index.html');
    await page.waitForButton('Save');
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await page.fill('Identity pool ID', 'eu-north-1:12345678-90ab-cdef-1234-567890abcdef');
    await page.select('Where datasets are kept', 'cognitoSync');
    await page.fill('Cognito Sync endpoint', '');
    await page.click('Save');
    await page.waitForText("Amazon Cognito Sync is not offered in this identity pool's region");
    expect(await ariaInvalid(page, 'Where datasets are kept')).toBe('true');
    await page.select('Where datasets are kept', 'dynamodb');
    await expect.poll(() => ariaInvalid(page, 'Where datasets are kept')).toBe('false');
    expect(await storedLocal(page)).toEqual({});
    await page.close();
  });

  it('takes the person to the first field to fix in the order the page shows them, on Save and on Check', async () => {
    const page = await profile.openPage('options/index.html');
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    // The role ARN (in the AWS section) shows above the dataset's name, though the settings list it after.
    await page.fill('Role ARN (basic flow)', 'not-an-arn');
    await page.fill('Dataset name', 'not a name!');
    await page.click('Save');
    await page.waitForText('1 to 128 letters, digits, _ . : or -.');
    await expect.poll(() => focusedLabel(page)).toBe('Role ARN (basic flow)');
    await page.close();

    // Where datasets are kept comes first in its section; the sync interval, in the next one, after it.
    const again = await profile.openPage('options/index.html');
    await expect.poll(() => again.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await again.fill('Identity pool ID', 'eu-north-1:12345678-90ab-cdef-1234-567890abcdef');
    await again.select('Where datasets are kept', 'cognitoSync');
    await again.fill('Cognito Sync endpoint', '');
    await again.fill('Sync every (minutes)', '0');
    await again.click('Check');
    await again.waitForText("Amazon Cognito Sync is not offered in this identity pool's region");
    await expect.poll(() => focusedLabel(again)).toBe('Where datasets are kept');
    await again.click('Save');
    await expect.poll(() => focusedLabel(again)).toBe('Where datasets are kept');
    expect(await storedLocal(again)).toEqual({});
    await again.close();
  });

  it('draws its fields’ and buttons’ outlines, and placeholders, in colours that stand out from the page, light or dark', async () => {
    const dark = await openProfile(browser, 'foundation-dark', { colorScheme: 'dark' });
    try {
      for (const [scheme, where] of [
        ['light', profile],
        ['dark', dark],
      ] as const) {
        const page = await where.openPage('options/index.html');
        await expect.poll(() => page.isDisabled('Check'), { timeout: 15_000 }).toBe(false);
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
        const ratios = await page.evaluate(contrasts);
        const faint = Object.entries(ratios).filter(([what, ratio]) => ratio < (what === 'placeholder' ? 4.5 : 3));
        expect(faint, `${scheme}: ${JSON.stringify(ratios)}`).toEqual([]);
        await page.close();
      }
    } finally {
      await dark.close();
    }
  });

  it('saves a valid configuration that the background reads back through a message', async () => {
    const page = await profile.openPage('options/index.html');
    // The development build starts from the local stack's settings.
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).toBe(LOCAL_STACK_SETTINGS.clientId);
    await page.fill('Dataset name', 'Notes');
    await page.click('Save');
    await expect.poll(() => statusText(page)).toBe('Settings saved.');

    expect(await sendMessage(page, 'getOptions')).toMatchObject({
      ok: true,
      value: { settings: { ...LOCAL_STACK_SETTINGS, datasetName: 'Notes' } },
    });
    await page.close();
  });

  it('shows on opening what settings stored before a check fail, at their field, until fixed', async () => {
    const page = await profile.openPage('options/index.html');
    const before = await storedLocal(page);
    // As an earlier version stored them: Cognito Sync for a pool in a region where AWS offers none.
    const stockholm = {
      ...LOCAL_STACK_SETTINGS,
      identityPoolId: 'eu-north-1:12345678-90ab-cdef-1234-567890abcdef',
      syncBackend: 'cognitoSync',
      cognitoSyncEndpoint: '',
    };
    await page.evaluateWith((settings) => (globalThis as ExtensionGlobal).chrome.storage.local.set({ settings }), stockholm);
    await page.close();

    const reopened = await profile.openPage('options/index.html');
    await expect
      .poll(() => statusText(reopened), { timeout: 15_000 })
      .toBe("The saved settings no longer pass this version's checks, and what they set up fails: fix the highlighted fields, then save again.");
    expect(await ariaInvalid(reopened, 'Where datasets are kept')).toBe('true');
    await reopened.waitForText("Amazon Cognito Sync is not offered in this identity pool's region");
    expect(await ariaInvalid(reopened, 'Identity pool ID')).toBe('false');
    await reopened.select('Where datasets are kept', 'dynamodb');
    await expect.poll(() => ariaInvalid(reopened, 'Where datasets are kept')).toBe('false');
    await reopened.evaluateWith(({ settings }) => {
      const { local } = (globalThis as ExtensionGlobal).chrome.storage;
      return settings === undefined ? local.remove('settings') : local.set({ settings });
    }, before);
    await reopened.close();
  });

  it('holds its pages to the manifest’s content security policy: no <base>, no plugin, no framing', async () => {
    const page = await profile.openPage('options/index.html');
    await page.waitForButton('Save');
    const violated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
          const base = document.createElement('base');
          base.href = 'https://example.com/';
          document.head.append(base);
          setTimeout(() => resolve('none reported'), 2_000);
        }),
    );
    expect(violated).toBe('base-uri');
    await page.close();
  });

  it('shows the redirect URL to register at the provider', async () => {
    const page = await profile.openPage('options/index.html');
    await expect.poll(() => page.fieldValue('Redirect URL')).toBe(PINNED[browser].redirectUrl);
    await page.close();
  });

  it('copies the redirect URL, says so to screen readers too, and offers Copy again soon after', async () => {
    const page = await profile.openPage('options/index.html');
    await expect.poll(() => page.fieldValue('Redirect URL')).toBe(PINNED[browser].redirectUrl);
    const announced = () => page.evaluate(() => document.querySelector('.copy-row [role=status]')?.textContent ?? null);
    expect(await announced()).toBe('');
    await page.click('Copy');
    await expect.poll(announced).toBe('Copied');
    await page.waitForButton('Copied');
    await page.waitForButton('Copy');
    expect(await announced()).toBe('');
    await page.close();
  });

  it('shows the Custom endpoints box beside its label, before it, where a person looks for it', async () => {
    const page = await profile.openPage('options/index.html');
    await page.waitForButton('Save');
    const place = await page.evaluate(() => {
      const box = document.querySelector('input[name="customEndpoints"]')?.getBoundingClientRect();
      const label = document.querySelector('label[for="field-customEndpoints"]')?.getBoundingClientRect();
      return box && label
        ? {
            boxWidth: box.width,
            boxRight: box.right,
            labelLeft: label.left,
            rowGap: Math.abs(box.top + box.height / 2 - (label.top + label.height / 2)),
          }
        : undefined;
    });
    expect(place).toBeDefined();
    expect(place?.boxWidth).toBeLessThan(30);
    expect(place?.boxRight).toBeLessThanOrEqual(place?.labelLeft ?? 0);
    expect(place?.rowGap).toBeLessThan(4);
    await page.close();
  });

  it('asks before the tab closes with changes Save has not stored, and only then', async () => {
    // Typed over with the same value: the page has had the person's input (which the browsers require before they
    // ask), and nothing differs from what is stored.
    const untouched = await profile.openPage('options/index.html');
    await expect.poll(() => untouched.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await untouched.fill('Dataset name', await untouched.fieldValue('Dataset name'));
    expect(await untouched.closeAsking()).toBe(false);

    const typed = await profile.openPage('options/index.html');
    await expect.poll(() => typed.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await typed.fill('Dataset name', 'Typed.but.not.saved');
    expect(await typed.closeAsking()).toBe(true);

    const saved = await profile.openPage('options/index.html');
    await expect.poll(() => saved.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await saved.fill('Dataset name', 'Typed.and.saved');
    await saved.click('Save');
    await expect.poll(() => statusText(saved), { timeout: 15_000 }).toMatch(/saved/i);
    expect(await saved.closeAsking()).toBe(false);
  });

  it('takes its question back when the focus leaves “Reset now” unpressed', async () => {
    const page = await profile.openPage('options/index.html');
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await page.click('Reset');
    await expect.poll(() => statusText(page)).toContain('Reset signs you out of this browser');
    await page.press('Shift+Tab');
    await page.waitForButton('Reset');
    expect(await page.focused()).toBe('Save');
    expect(await statusText(page)).toBe('');
    expect(await page.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.local.get('settings'))).toHaveProperty('settings');
    await page.close();
  });

  it('asks once more before Reset clears the settings', async () => {
    const page = await profile.openPage('options/index.html');
    await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
    await page.click('Reset');
    await expect.poll(() => statusText(page)).toContain('Reset signs you out of this browser');
    const stored = () => page.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.local.get('settings'));
    expect(await stored()).toHaveProperty('settings');
    await page.click('Reset now');
    await expect.poll(() => statusText(page)).toBe('Settings cleared.');
    expect(await stored()).toEqual({});
    await page.close();
  });
  // The tests' own driver: a banner that shows just as a test presses a button (a sync failing then) moves the button.
  it('lets a test click the button it names even when the page moves under the pointer', async () => {
    const page = await profile.openPage('options/index.html');
    await page.waitForButton('Save');
    await page.evaluate(() => {
      const clicks: string[] = [];
      (window as unknown as { clicks: string[] }).clicks = clicks;
      const above = document.createElement('div');
      const target = document.createElement('button');
      target.textContent = 'Pressed';
      target.addEventListener('click', () => clicks.push('Pressed'));
      document.body.replaceChildren(above, target);
      // The pointer's first move puts a button where the target was.
      document.addEventListener(
        'mousemove',
        () => {
          const banner = document.createElement('button');
          banner.textContent = 'In the way';
          banner.style.cssText = 'display:block;height:80px;width:100%';
          banner.addEventListener('click', () => clicks.push('In the way'));
          above.append(banner);
        },
        { once: true },
      );
    });
    await page.click('Pressed');
    expect(await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks)).toEqual(['Pressed']);
    await page.close();
  });
});
