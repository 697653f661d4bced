// The development build's identity: a pinned Chrome key and the Firefox add-on id.
// They fix the redirect URLs that must be registered at the OpenID Connect provider.
import { createHash } from 'node:crypto';

/** Public key (base64 DER) pinned into the development manifest so the Chrome id never changes. */
export const DEV_CHROME_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqbmWW4NLyBO5QrUG9xyzQhsp5X64vWAqwYTZmksyXuAwnc4UE46j8znEzFfWP8/Wft1ZhUsWUchK1sDvyYDutRf5eYldvtlDRuu94eqIrHfOJt1nR2SPscgA0LVhhD4ukOk2UFc/c+GHL6NBH6F9jkT7cNbiYHOukFfj7l3XWqcvgyNdvGR+USFKkn89prAhmD3Fvo40xzMdUIcAgPSGoW/8CiPviZV+Rp0ApRK468Qk9lJy6rkzKPN3AU9QUNs572F/fywPjdq9MZ8qU7ptCfouVKThcwQcf4IJeREHz+nfoqJEx6CEokenHW0e2gjoecg8bAVQpDiG0juouIgO9QIDAQAB';

/** The Firefox add-on id (browser_specific_settings.gecko.id) of every build. */
export const GECKO_ID = 'cognito-sync@extension.local';

/** Chrome derives an extension id from the first 128 bits of sha256(key), written with the letters a-p. */
export function chromeIdFromKey(base64Key) {
  const hex = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

export const DEV_CHROME_ID = chromeIdFromKey(DEV_CHROME_KEY);

/** What identity.getRedirectURL() answers in each browser (the trailing slash is part of it). */
export const DEV_REDIRECT_URLS = Object.freeze({
  chrome: `https://${DEV_CHROME_ID}.chromiumapp.org/`,
  firefox: `https://${createHash('sha1').update(GECKO_ID).digest('hex')}.extensions.allizom.org/`,
});
