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

/**
 * A keydown handler for a view that Escape leaves as its visible Cancel or Close does: `leave` runs, and the key
 * goes no further, since the browser closes an extension's popup on an Escape the page lets through
 * (https://github.com/foray1010/Popup-my-Bookmarks/issues/160). Not while an input method is composing (its Escape
 * ends the composition), nor for an Escape a view inside this one has taken already.
 */
export const onEscape =
  (leave: (event: KeyboardEvent) => void) =>
  (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing || event.defaultPrevented) return;
    event.preventDefault();
    leave(event);
  };

/**
 * Escape in a view whose leaving button drops what was typed (Cancel, Discard changes): on that button, or with
 * nothing typed, it does what the button does; with text typed, pressed elsewhere, it takes the focus to that button,
 * whose name says what a press does, and drops nothing. A second Escape, there, is that press.
 */
export const leaveOnEscape = (typed: boolean, button: () => HTMLElement | null | undefined, leave: () => void) =>
  onEscape((event) => {
    const target = button();
    if (typed && target && event.target !== target) target.focus();
    else leave();
  });
