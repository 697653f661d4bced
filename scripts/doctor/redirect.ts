// The redirect URLs to register at the provider: fixed for the development build, not for a store build.
import { checkRedirectRegistered, type Metadata } from '../../src/shared/checks/provider';
import type { CheckResult, DoctorContext } from '../../src/shared/checks/types';
import { DEV_REDIRECT_URLS, GECKO_ID } from '../extension-ids.mjs';

export function redirectUrls(): CheckResult {
  return {
    id: 'redirect',
    status: 'info',
    title: 'Redirect URLs',
    detail: 'register each as an Allowed Callback URL and an Allowed Logout URL of the application (exactly, trailing slash included):',
    lines: [
      `Chrome, development build (pinned key): ${DEV_REDIRECT_URLS.chrome}`,
      `Firefox, any build (add-on id ${GECKO_ID}): ${DEV_REDIRECT_URLS.firefox}`,
      'A Chrome Web Store build gets another extension id, hence another URL: copy it from that build’s options page (Redirect URL).',
    ],
  };
}

/**
 * Asks the provider about both development redirect URLs, as the options page's Check asks about its own.
 * A refusal only warns here: a person who uses only a store build registers that build's URL instead.
 */
export async function probeRedirectUrls(ctx: DoctorContext, metadata: Metadata, clientId: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const url of [DEV_REDIRECT_URLS.chrome, DEV_REDIRECT_URLS.firefox]) {
    const check = await checkRedirectRegistered(ctx, metadata, clientId, url);
    results.push(
      check.status === 'fail'
        ? { ...check, status: 'warn', fix: `${check.fix ?? ''} Needed only if you use the development build in that browser.`.trim() }
        : check,
    );
  }
  return results;
}
