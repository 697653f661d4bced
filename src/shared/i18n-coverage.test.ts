// Every string a person reads goes through static/_locales: the pages' JSX has no text of its own, and the
// error messages the worker and the pages build come from t(). Read with the TypeScript compiler's parser,
// so a string is found wherever it sits in the markup, whatever its formatting.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(extension: '.ts' | '.tsx'): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension) && !/\.test\.tsx?$/.test(file))
    .map((file) => join(SRC, file));
}

function parse(file: string, text = readFileSync(file, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

/** Text a person would read: it has a letter in some script (punctuation such as ' · ' or '…' is no sentence). */
const READABLE = /\p{L}/u;

/** Attributes of HTML elements that browsers show or speak. */
const SHOWN_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);
/** Props of the extension's own components that carry text to show. */
const SHOWN_PROP = /label|title|hint|text|message|caption|placeholder|alt|heading/i;

/**
 * A key of the English catalogue is no sentence: a component that takes one (`<Field label="fieldDomain">`,
 * typed `MessageKey`) shows it through t().
 */
const KEYS = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'static/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>));

function isSentence(text: string): boolean {
  return READABLE.test(text) && !KEYS.has(text);
}

function isCallOf(node: ts.Node, name: string): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name;
}

/** The literal text an expression can evaluate to, where it is written in the expression itself. */
function literalTexts(node: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return isSentence(node.text) ? [node] : [];
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head, ...node.templateSpans.map((span) => span.literal)];
    return parts.some((part) => READABLE.test(part.text)) ? [node] : node.templateSpans.flatMap((span) => literalTexts(span.expression));
  }
  if (ts.isParenthesizedExpression(node)) return literalTexts(node.expression);
  if (ts.isConditionalExpression(node)) return [...literalTexts(node.whenTrue), ...literalTexts(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    if (kind === ts.SyntaxKind.PlusToken) return [...literalTexts(node.left), ...literalTexts(node.right)];
    if (kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      return literalTexts(node.right);
    }
  }
  return []; // t(...), a variable, a call: its value is not written here
}

/** "file:line: text" for each string in the JSX of `source` that a person reads and that no catalogue holds. */
function untranslatedJsx(source: ts.SourceFile): string[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && READABLE.test(node.text)) found.push(node);
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      found.push(...literalTexts(node.expression));
    }
    if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(source);
      const element = node.parent.parent;
      const tag = element.tagName.getText(source);
      const shown = /^[a-z]/.test(tag) ? SHOWN_ATTRIBUTES.has(name) : SHOWN_PROP.test(name);
      const value = node.initializer;
      if (shown && value && ts.isStringLiteral(value) && isSentence(value.text)) found.push(value);
      if (shown && value && ts.isJsxExpression(value) && value.expression) found.push(...literalTexts(value.expression));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map((node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    return `${relative(ROOT, source.fileName)}:${line + 1}: ${node.getText(source).trim()}`;
  });
}

/** The function (declaration, or arrow/function expression bound to a name) that directly encloses `node`. */
function enclosingFunction(node: ts.Node): { name: string; parameters: ts.NodeArray<ts.ParameterDeclaration> } | undefined {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isFunctionDeclaration(at) && at.name) return { name: at.name.text, parameters: at.parameters };
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && ts.isVariableDeclaration(at.parent) && ts.isIdentifier(at.parent.name)) {
      return { name: at.parent.name.text, parameters: at.parameters };
    }
    if (ts.isFunctionLike(at)) return undefined;
  }
  return undefined;
}

/** A message that certainly comes from a catalogue: t(...), or a choice between such messages. */
function isTranslated(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isTranslated(node.expression);
  if (ts.isConditionalExpression(node)) return isTranslated(node.whenTrue) && isTranslated(node.whenFalse);
  return isCallOf(node, 't');
}

/**
 * Rebuilt from a SerializedError, whose message the sending side made with t() (checked there).
 * "file:function" of each place allowed to pass on a message it did not make.
 */
const REBUILDS_A_TRANSLATED_MESSAGE = new Set(['src/shared/errors.ts:deserializeError']);

/**
 * "file:line: code" for each AppError of `source` whose message may not come from t(). A helper that takes
 * the message as a parameter (`fatal(code, message)`) passes the check when every call of it in the file
 * passes t() there.
 */
function untranslatedErrors(source: ts.SourceFile): string[] {
  const problems: string[] = [];
  const where = (node: ts.Node): string =>
    `${relative(ROOT, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const forwarded: Array<{ helper: string; position: number; at: ts.Node }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
      const message = node.arguments?.[1];
      const helper = enclosingFunction(node);
      if (!message) problems.push(`${where(node)}: no message`);
      else if (isTranslated(message)) {
        // from a catalogue
      } else if (helper && REBUILDS_A_TRANSLATED_MESSAGE.has(`${relative(ROOT, source.fileName)}:${helper.name}`)) {
        // passed on as received
      } else if (helper && ts.isIdentifier(message) && helper.parameters.some((p) => p.name.getText(source) === message.text)) {
        const position = helper.parameters.findIndex((p) => p.name.getText(source) === message.text);
        forwarded.push({ helper: helper.name, position, at: node });
      } else problems.push(`${where(node)}: ${message.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const { helper, position, at } of forwarded) {
    const calls: ts.CallExpression[] = [];
    const findCalls = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isCallOf(node, helper)) calls.push(node);
      ts.forEachChild(node, findCalls);
    };
    findCalls(source);
    if (calls.length === 0) problems.push(`${where(at)}: ${helper}() is never called here, so where its message comes from is unknown`);
    for (const call of calls) {
      const message = call.arguments[position];
      if (!message || !isTranslated(message)) problems.push(`${where(call)}: ${helper}(…, ${message?.getText(source) ?? 'nothing'})`);
    }
  }
  return problems;
}

describe('every string a person reads comes from static/_locales', () => {
  it('the JSX of the popup and the options page writes no text of its own', () => {
    const files = sourceFiles('.tsx');
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap((file) => untranslatedJsx(parse(file)))).toEqual([]);
  });

  it('every error the worker and the pages build carries a message from t()', () => {
    const files = [...sourceFiles('.ts'), ...sourceFiles('.tsx')].map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const withErrors = files.filter(({ text }) => text.includes('new AppError'));
    expect(withErrors.length).toBeGreaterThan(10);
    expect(withErrors.flatMap(({ file, text }) => untranslatedErrors(parse(file, text)))).toEqual([]);
  });

  // The checks themselves, on code written to break the rule: each must find what a person would read.
  it('finds text, shown attributes and literal strings in JSX, and leaves t(), punctuation and values alone', () => {
    const code = `
      const a = <p>Hello {name}</p>;
      const b = <button aria-label="Close" class="x" data-id="y">{t('buttonCancel')}</button>;
      const c = <span title={busy ? 'Busy' : t('syncing')}>{count + ' pending'}</span>;
      const d = <Field label="Domain" name="domain" hint="hintDomain" />;
      const e = <p>{t('syncSummary', [a, b])} · {\`\${n} left\`}</p>;
      const f = <img alt={t('avatarAlt', name)} src={url} />;`;
    const found = untranslatedJsx(parse(join(SRC, 'example.tsx'), code)).map((line) => line.replace(/^[^ ]+ /, ''));
    expect(found).toEqual(['Hello', '"Close"', "'Busy'", "' pending'", '"Domain"', expect.stringMatching(/^`\$\{n\} left`$/)]);
  });

  it('finds an error message not made by t(), directly or through a helper', () => {
    const code = `
      const ok = new AppError('NETWORK', t('errorNetwork', host));
      const bad = new AppError('NETWORK', 'Could not connect');
      const built = new AppError('INTERNAL', \`failed: \${reason}\`);
      const wrap = (code: ErrorCode, text: string) => new AppError(code, text);
      wrap('NETWORK', t('errorNetwork', host));
      wrap('INTERNAL', error.message);`;
    const found = untranslatedErrors(parse(join(SRC, 'example.ts'), code)).map((line) => line.replace(/^[^ ]+ /, ''));
    expect(found).toEqual(["'Could not connect'", expect.stringMatching(/^`failed: \$\{reason\}`$/), 'wrap(…, error.message)']);
  });
});
