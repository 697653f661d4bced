// The pages are laid out right to left in Arabic (src/ui/page-locale.ts): their CSS says start and end, never
// left and right, so margins, borders and alignment follow the page's direction.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');

/** Properties and values that name a physical side: margin-left, border-right-color, text-align: left, float: right… */
const PHYSICAL = /(?:^|[\s;{-])(?:left|right)\s*:|-(?:left|right)\b|:\s*(?:left|right)\b/;

it('no stylesheet of the pages names a physical left or right', () => {
  const css = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.css'));
  expect(css.length).toBeGreaterThanOrEqual(3);
  const physical = css.flatMap((file) =>
    readFileSync(join(SRC, file), 'utf8')
      .split('\n')
      .map((line, index) => ({ at: `${relative(join(SRC, '..'), join(SRC, file))}:${index + 1}`, line: line.replace(/\/\*.*?\*\//g, '') }))
      .filter(({ line }) => PHYSICAL.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`),
  );
  expect(physical).toEqual([]);
});

it('the check finds what it looks for', () => {
  for (const line of [
    '.a { margin-left: 1px; }',
    'td { text-align: right; }',
    '.x { left: 0 }',
    '.b { border-right-color: red }',
    'img { float: left; }',
  ]) {
    expect(PHYSICAL.test(line), line).toBe(true);
  }
  for (const line of ['.a { margin-inline-start: 1px; }', 'td { text-align: end; }', '.copyright { color: red }'])
    expect(PHYSICAL.test(line), line).toBe(false);
});
