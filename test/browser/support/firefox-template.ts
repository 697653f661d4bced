// A Firefox profile started once, copied for each launch. Firefox spends much of its first start on a new,
// empty profile creating its files; a copy of one that has started launches in about two thirds of the time.
// The copy holds no extension and no site data: the extension is installed in each launch, as before.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { TestProject } from 'vitest/node';
import { FIREFOX } from './firefox';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the started profile the launches copy; empty when Firefox could not start it. */
    firefoxProfileTemplate: string;
  }
}

/** Vitest's global setup of the browser project: the template, and its removal after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'firefox-profile-template-'));
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: dir,
      args: ['--remote-allow-system-access'],
    });
    await browser.close();
    project.provide('firefoxProfileTemplate', dir);
  } catch {
    // Each launch then starts from an empty profile, and reports what is wrong with Firefox itself.
    project.provide('firefoxProfileTemplate', '');
  }
  return () => rm(dir, { recursive: true, force: true });
}
