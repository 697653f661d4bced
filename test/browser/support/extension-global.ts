import type Browser from 'webextension-polyfill';

/** The extension APIs as seen from code evaluated inside an extension page (typing only). */
export type ExtensionGlobal = typeof globalThis & { chrome: Browser.Browser; browser: Browser.Browser };
