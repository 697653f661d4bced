// `npm start`: build the development extension, start the local stack, open a browser with the extension.
//   npm start                     Chromium (/usr/bin/chromium or CHROMIUM_PATH)
//   npm start -- --firefox        Firefox through web-ext run (/usr/bin/firefox-esr or FIREFOX_PATH)
//   npm start -- --no-browser     only the stack; load dist/ by hand (see README)
//   npm start -- --classic-flow   the pool allows the basic flow too; enter the printed role ARN to try it
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startStack } from '../stack/index';
import { DEV_CHROME_ID } from './extension-ids.mjs';
import { LOCAL_STACK_PORT } from './local-stack.mjs';

const { values: flags } = parseArgs({
  options: {
    firefox: { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
    port: { type: 'string', default: String(LOCAL_STACK_PORT) },
    'classic-flow': { type: 'boolean', default: false },
  },
});

execFileSync(process.execPath, ['build.mjs'], { stdio: 'inherit' });
const stack = await startStack({ port: Number(flags.port), dataDir: '.stack-data', allowClassicFlow: flags['classic-flow'] });
console.log(`stack ready at ${stack.url} (users: alice and bob, password "password")`);
if (flags['classic-flow']) console.log(`basic (classic) flow allowed: set Role ARN to ${stack.config.roleArn} to use it`);

const stops: Array<() => Promise<unknown>> = [() => stack.close()];
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const fn of stops.reverse()) await fn().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (flags['no-browser'] || !hasDisplay) {
  if (!hasDisplay && !flags['no-browser']) console.log('No display found, so no browser was opened.');
  console.log('Load dist/chrome or dist/firefox by hand (README, "Load the unpacked build by hand"). Ctrl-C stops the stack.');
} else if (flags.firefox) {
  const { default: webExt } = await import('web-ext');
  const runner = await webExt.cmd.run(
    {
      sourceDir: resolve('dist/firefox'),
      firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
      startUrl: ['about:addons'],
      noReload: false,
    },
    { shouldExitProgram: false },
  );
  stops.push(() => runner.exit());
  console.log('Firefox is open with the extension: use its toolbar button. Ctrl-C stops everything.');
} else {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROMIUM_PATH.`);
  const extension = resolve('dist/chrome');
  const context = await chromium.launchPersistentContext(resolve('.stack-data/chromium-profile'), {
    executablePath,
    headless: false,
    viewport: null,
    args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, '--no-first-run'],
  });
  stops.push(() => context.close());
  context.on('close', () => void stop());
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`chrome-extension://${DEV_CHROME_ID}/options/index.html`);
  console.log('Chromium is open on the options page: Save, then sign in from the toolbar button. Ctrl-C stops everything.');
}
