// The keyboard's place in the popup. A disabled button loses the focus to the page, and enabling it again does not
// bring it back: a button that is only busy says so instead, and a view that appears takes the focus only when the
// person's focus is nowhere (their place was the button that went).

/** Whether the focus is nowhere: on the page itself. */
export const focusLost = (): boolean => document.activeElement === document.body;

/**
 * A button's props while its action runs: unavailable to assistive technology (aria-disabled, dimmed as :disabled is
 * in theme.css) and to presses, yet it keeps the focus.
 */
export const busyButton = (busy: boolean, onClick: () => void) => ({ 'aria-disabled': busy, onClick: busy ? undefined : onClick });
