// The options page's Check, in the built extension: the settings a new user gets wrong are named at the field
// to change, before anything is saved. The stacks and every address are on 127.0.0.1, which the development
// build may reach already, so Check asks for no permission (a prompt would wait for ever in a headless browser).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import { BROWSERS, openProfile, type Profile, replyValue, sendMessage } from './support/profiles';

let stack: Stack;
let hs256: Stack;
let other: Stack;
let closedPort = 0;

beforeAll(async () => {
  [stack, hs256, other] = await Promise.all([startStack({ port: 0 }), startStack({ port: 0, idTokenAlg: 'HS256' }), startStack({ port: 0 })]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address !== null && typeof address !== 'string') closedPort = address.port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  await Promise.all([stack?.close(), hs256?.close(), other?.close()]);
});

/** The sentence under a field, by its label; '' when there is none. */
function errorUnder(label: string): string {
  const control = [...document.querySelectorAll('label')].find((element) => element.textContent === label)?.control;
  const field = control?.closest('.field');
  return control?.getAttribute('aria-invalid') === 'true' ? (field?.querySelector('.error')?.textContent ?? '') : '';
}

const statusText = (page: PageDriver) => page.evaluate(() => document.querySelector('p.status[role=status]')?.textContent ?? '');
const invalidLabels = (page: PageDriver) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[aria-invalid="true"]')].map((control) => control.closest('.field')?.querySelector('label')?.textContent ?? ''),
  );

describe.each(BROWSERS)('Check on the options page, in %s', (browser) => {
  let profile: Profile;
  let page: PageDriver;

  beforeAll(async () => {
    profile = await openProfile(browser, 'check');
    page = await profile.openPage('options/index.html');
    // The worker's answer (redirect URL, defaults) has filled the form: Check is enabled.
    for (let tries = 0; (await page.fieldValue('Redirect URL')) === ''; tries++) {
      if (tries > 300) throw new Error('the options page never heard from the worker');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    await profile?.close();
  });

  async function fillFor(target: Stack, changes: Array<[string, string]> = []): Promise<void> {
    const fields: Array<[string, string]> = [
      ['Provider domain', target.url],
      ['Client ID', target.config.clientId],
      ['Identity pool ID', target.config.identityPoolId],
      ['Cognito Identity endpoint', target.config.endpoints.cognitoIdentity],
      ['DynamoDB endpoint', target.config.endpoints.dynamodb],
      ...changes,
    ];
    for (const [label, value] of fields) await page.fill(label, value);
  }

  async function check(): Promise<void> {
    await page.click('Check');
    await expect
      .poll(() => statusText(page), { timeout: 30_000 })
      .toMatch(/^Check (passed|found)|^Fix the highlighted fields|Check again in a few minutes/);
  }

  it('passes the local stack’s settings, this browser’s redirect URL included, and saves nothing', async () => {
    await fillFor(stack);
    await check();
    expect(await statusText(page)).toBe('Check passed: the provider and the identity pool answer as these settings expect. Press Save to use them.');
    expect(await invalidLabels(page)).toEqual([]);
    expect(replyValue<{ settings: unknown }>(await sendMessage(page, 'getOptions')).settings).toBeUndefined();
  });

  it('says Cognito is failing, naming no field, rather than "passed" or "check the pool ID"', async () => {
    await fillFor(stack);
    stack.addFault({ service: 'cognito-identity', operation: 'GetId', kind: 'error', status: 500, errorType: 'InternalErrorException' });
    await check();
    expect(await statusText(page)).toBe(
      `Amazon Cognito Identity at ${stack.config.endpoints.cognitoIdentity} could not answer the check (InternalErrorException): it is failing or busy, which says nothing about these settings. Check again in a few minutes.`,
    );
    expect(await invalidLabels(page)).toEqual([]);
  });

  it('names Provider domain for a provider that cannot be reached', async () => {
    await fillFor(stack, [['Provider domain', `http://127.0.0.1:${closedPort}/`]]);
    await check();
    expect(await statusText(page)).toBe('Check found a problem: see the fields marked below. Nothing was saved.');
    expect(await page.evaluateWith(errorUnder, 'Provider domain')).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${closedPort}/\\.well-known/openid-configuration could not be reached\\. Check Provider domain`),
    );
    // The person is taken to it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-domain');
  });

  it('names Provider domain for a provider that signs ID tokens with HS256 only', async () => {
    await fillFor(hs256);
    await check();
    expect(await page.evaluateWith(errorUnder, 'Provider domain')).toMatch(/^This provider does not sign ID tokens with RS256 \(it offers HS256\)/);
    expect(await invalidLabels(page)).toEqual(['Provider domain']);
  });

  it('names the Cognito Identity endpoint when it serves another region than the identity pool', async () => {
    // Loopback endpoints are not judged by region; an AWS host names its region.
    await fillFor(stack, [['Cognito Identity endpoint', 'https://cognito-identity.eu-west-1.amazonaws.com']]);
    await check();
    expect(await statusText(page)).toBe('Fix the highlighted fields, then check again.');
    expect(await page.evaluateWith(errorUnder, 'Cognito Identity endpoint')).toMatch(
      /^This endpoint serves another AWS region than the identity pool/,
    );
  });

  it('names Identity pool ID when the pool does not trust the provider, and clears it once the field changes', async () => {
    await fillFor(stack, [
      ['Provider domain', other.url],
      ['Client ID', other.config.clientId],
    ]);
    await check();
    const provider = other.url.replace('http://', '');
    expect(await page.evaluateWith(errorUnder, 'Identity pool ID')).toBe(
      `This identity pool does not trust the provider ${provider}. In IAM, add an OpenID Connect identity provider with the provider URL https://${provider} ` +
        `and the audience ${other.config.clientId}, then add it to the identity pool (User access → Identity providers). Or check Provider domain.`,
    );
    expect(await invalidLabels(page)).toEqual(['Identity pool ID']);
    await page.fill('Identity pool ID', other.config.identityPoolId);
    expect(await invalidLabels(page)).toEqual([]);
  });

  it('forgets what Check found once Reset has replaced the values it was about', async () => {
    await fillFor(hs256);
    await check();
    expect(await invalidLabels(page)).toEqual(['Provider domain']);
    await page.click('Reset');
    await page.click('Reset now');
    await expect.poll(() => statusText(page), { timeout: 15_000 }).toBe('Settings cleared.');
    expect(await invalidLabels(page)).toEqual([]);
    expect(await page.evaluateWith(errorUnder, 'Provider domain')).toBe('');
  });
});
