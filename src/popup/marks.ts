// Names the popup gives its performance entries, which the bench reads (bench/browser.ts). A file of its own, so
// the bench can import them in Node without the page's modules, which need the extension's browser API.

/** The name of the Element Timing entry for the last row of the first screen. */
export const FIRST_SCREEN_TIMING = 'popup-first-screen';
