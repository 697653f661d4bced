// The pages' extension API: the browser's own promise-based `browser` namespace (Firefox, and Chrome
// since it added one), else Chrome's `chrome`, whose Manifest V3 calls return promises when given no
// callback. The worker keeps webextension-polyfill (its onMessage answers with a promise everywhere);
// the pages call nothing that needs it, and leaving it out keeps ~3 KiB gzip out of each page.
import type Browser from 'webextension-polyfill';

const scope = globalThis as { browser?: Browser.Browser; chrome?: Browser.Browser };

const api = scope.browser ?? scope.chrome;
if (!api) throw new Error('This page runs only as a page of the extension.');

export const browser: Browser.Browser = api;
