// How a key or value is shown on one line: where spaces would be invisible (at either end, or the whole
// text) they are marked, line breaks and tabs get a sign, and a long text is cut before it reaches the
// page (a 100 KB value would cost its whole length in layout, to show the few words that fit).

/** A run of text, shown as it is ('text') or marked ('space': spaces at an end; 'sign': a break or a tab, drawn as a symbol). */
export interface Segment {
  kind: 'text' | 'space' | 'sign';
  text: string;
}

/** What a preview shows at most: a row is one line, so more would never be seen. */
export const PREVIEW_CHARS = 200;

const SIGNS: Readonly<Record<string, string>> = { '\n': '↵', '\r': '↵', '\t': '⇥' };

/** The middle of a text: breaks and tabs become signs, other characters stay as they are. */
function middle(text: string, into: Segment[]): void {
  for (const part of text.split(/([\r\n\t])/)) {
    if (part === '') continue;
    const sign = SIGNS[part];
    into.push(sign ? { kind: 'sign', text: sign } : { kind: 'text', text: part });
  }
}

/**
 * The segments of `text` as one line, cut at `max` characters (`cut` says whether it was). Spaces at the start
 * and end are kept as they are but marked (the page draws them), so " padded key " and "padded key" differ.
 */
export function visibleSegments(text: string, max = PREVIEW_CHARS): { segments: Segment[]; cut: boolean } {
  const cut = text.length > max;
  const shown = cut ? text.slice(0, max) : text;
  const leading = /^ +/.exec(shown)?.[0] ?? '';
  const rest = shown.slice(leading.length);
  // A cut text's end is not its end: spaces there are not trailing.
  const trailing = cut ? '' : (/ +$/.exec(rest)?.[0] ?? '');
  const segments: Segment[] = [];
  if (leading) segments.push({ kind: 'space', text: leading });
  middle(rest.slice(0, rest.length - trailing.length), segments);
  if (trailing) segments.push({ kind: 'space', text: trailing });
  return { segments, cut };
}

/** Whether a key is written in another Unicode form than NFC ("café" as e + a combining accent): it may look like another key. */
export function isDecomposed(text: string): boolean {
  return text.normalize('NFC') !== text;
}

/** What a search matches on: case and Unicode form set aside, so "CAFÉ" finds both forms of "café". */
export function searchForm(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase();
}
