// web-ext's configuration (https://extensionworkshop.com/documentation/develop/web-ext-command-reference/#setting-option-defaults-in-a-configuration-file):
// `npx web-ext run|lint|build` from the repository root work on the built Firefox extension.
// Build it first: `npm run build` (or `npm run build -- --watch` beside `web-ext run`, which reloads on change).
import { existsSync } from 'node:fs';

// Debian ships Firefox ESR as firefox-esr; elsewhere web-ext finds `firefox` by itself.
const firefox = process.env.FIREFOX_PATH ?? (existsSync('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : undefined);

export default {
  sourceDir: 'dist/firefox',
  artifactsDir: 'web-ext-artifacts',
  // Source maps are for development; the stores' reviewers read the bundle as shipped.
  ignoreFiles: ['**/*.map'],
  run: {
    ...(firefox ? { firefox } : {}),
    startUrl: ['about:addons'],
  },
  lint: {
    // Not listed on addons.mozilla.org: no warnings about what only listed add-ons need.
    selfHosted: true,
  },
  build: {
    filename: 'cognito-sync-firefox-{version}.zip',
    overwriteDest: true,
  },
};
