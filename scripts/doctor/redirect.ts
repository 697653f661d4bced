// The redirect URLs to register at the provider: fixed for the development build, not for a store build.
import { DEV_REDIRECT_URLS, GECKO_ID } from '../extension-ids.mjs';
import type { CheckResult } from './types';

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
