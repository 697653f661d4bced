// The popup when the chunk of views its state needs cannot be loaded: what happens when the extension's files
// change under an open popup, as a rebuilt development build's do (a chunk's file name carries a hash of its
// contents, so the new build's file has another name). The popup must say so and offer a way on, not stay blank.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, openProfile, type Profile } from './support/profiles';

describe.each(BROWSERS)('the popup in %s, with the chunk of its later views missing', (browser) => {
  let copy: string;
  let chunk: string;
  let contents: Buffer;
  let profile: Profile;

  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'extension-copy-'));
    await cp(`dist/${browser === 'chromium' ? 'chrome' : 'firefox'}`, copy, { recursive: true });
    const name = (await readdir(join(copy, 'chunks'))).find((file) => file.startsWith('later-views-'));
    if (!name) throw new Error('the build has no chunk named later-views-*');
    chunk = join(copy, 'chunks', name);
    contents = await readFile(chunk);
    await rm(chunk);
    profile = await openProfile(browser, 'missing-chunk', { extensionDir: copy });
  });
  afterAll(async () => {
    await profile?.close();
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('says part of it could not be loaded and offers to reload, and the reload shows the state once the file is there', async () => {
    const missing = 'Part of this popup could not be loaded: the extension’s files changed since it opened. Reload the popup.';
    // A new user: the view asking for the settings is in that chunk.
    const popup = await profile.openPage('popup/index.html');
    await popup.waitForText(missing);
    await popup.waitForButton('Reload');

    // Reload loads the popup again: a new document, which says the same while the file is still missing.
    await popup.evaluate(() => Object.assign(globalThis, { beforeReload: true }));
    await popup.click('Reload');
    for (let tries = 0; await popup.evaluate(() => 'beforeReload' in globalThis).catch(() => true); tries++) {
      if (tries > 100) throw new Error('Reload did not load the popup again');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await popup.waitForText(missing);
    await popup.waitForButton('Reload');

    // The file is back. A popup whose state arrived after its chunk failed asks for the chunk again and shows
    // that state by itself; otherwise Reload does. Which one depends on how fast the worker answered, so the
    // button is found and clicked in one task of the page, where it cannot go away between the two.
    await writeFile(chunk, contents);
    await popup.evaluate(() => {
      const reload = [...document.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Reload');
      reload?.click();
    });
    await popup.waitForText('Connect the extension to your identity provider and identity pool to start.');
    await popup.waitForButton('Open settings');
    await popup.waitForButton('Reload', false);
    expect(await popup.evaluate(() => document.body.textContent)).not.toContain('Part of this popup could not be loaded');
    await popup.close();
  });
});
