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

/** A function whose returns can be read, or a binding whose value is not written where it is bound. */
type Definition = ts.FunctionLikeDeclaration | 'opaque';

/**
 * Every binding of a name in the scanned sources. A bare call `name()` may mean any of `functions`
 * (declarations, variables, parameters, imports); a call `x.name()` any of `methods` (properties of object
 * literals and classes, assignments to `x.name`). Names only: a library's method of the same name is not seen,
 * which is why a name the built-in prototypes carry is never trusted; nor is a member whose key is computed
 * from a variable (`[key]: value`), which these sources use for settings fields and libraries' symbols.
 */
interface Definitions {
  functions: Map<string, Definition[]>;
  methods: Map<string, Definition[]>;
}

function definitionOf(value: ts.Node | undefined): Definition {
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : 'opaque';
}

/** The name of a member, also when written as a computed string (`['name']`). */
function memberName(name: ts.PropertyName | ts.Expression): string | undefined {
  if (ts.isComputedPropertyName(name)) return memberName(name.expression);
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

function collectDefinitions(sources: ts.SourceFile[]): Definitions {
  const found: Definitions = { functions: new Map(), methods: new Map() };
  const add = (map: Map<string, Definition[]>, name: string, definition: Definition): void => {
    map.set(name, [...(map.get(name) ?? []), definition]);
  };
  const member = (name: ts.PropertyName | ts.Expression, definition: Definition): void => {
    const text = memberName(name);
    if (text !== undefined) add(found.methods, text, definition);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name && node.body) add(found.functions, node.name.text, node);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) add(found.functions, node.name.text, definitionOf(node.initializer));
    else if ((ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) add(found.functions, node.name.text, 'opaque');
    else if (ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node)) {
      // `import { f } from './x'` binds the f declared in the sources; a renamed, default or package import is unknown.
      const declaration = ts.findAncestor(node, ts.isImportDeclaration);
      const local = ts.isImportSpecifier(node) && !node.propertyName && declaration && ts.isStringLiteral(declaration.moduleSpecifier);
      if (node.name && !(local && declaration.moduleSpecifier.text.startsWith('.'))) add(found.functions, node.name.text, 'opaque');
    } else if (ts.isExportSpecifier(node) && node.propertyName) add(found.functions, node.name.text, 'opaque');
    else if (ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) member(node.name, definitionOf(node.initializer));
    else if (ts.isMethodDeclaration(node)) member(node.name, node.body ? node : 'opaque');
    else if (ts.isShorthandPropertyAssignment(node) || ts.isGetAccessorDeclaration(node)) member(node.name, 'opaque');
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (ts.isIdentifier(node.left)) add(found.functions, node.left.text, definitionOf(node.right));
      if (ts.isPropertyAccessExpression(node.left)) member(node.left.name, definitionOf(node.right));
      if (ts.isElementAccessExpression(node.left)) member(node.left.argumentExpression, definitionOf(node.right));
    }
    ts.forEachChild(node, visit);
  };
  for (const source of sources) visit(source);
  return found;
}

/** Names every string, array, promise… answers to: `x.toString()` may be anyone's. */
const BUILT_IN_METHODS = new Set(
  [Object, String, Number, Array, Function, Promise, Map, Set, Error, Date, RegExp].flatMap((type) => Object.getOwnPropertyNames(type.prototype)),
);

/** The definitions a message may come from, and what is already known of each name ("functions:f", "methods:m"). */
interface Scope {
  definitions: Definitions;
  known: Map<string, boolean>;
}

function scopeOf(sources: ts.SourceFile[]): Scope {
  return { definitions: collectDefinitions(sources), known: new Map() };
}

/**
 * A message that certainly comes from a catalogue: t(...), a choice between such messages, or a call of a
 * function or method name whose every definition in the sources returns nothing else.
 */
function isTranslated(node: ts.Expression, scope: Scope): boolean {
  if (ts.isParenthesizedExpression(node)) return isTranslated(node.expression, scope);
  if (ts.isConditionalExpression(node)) return isTranslated(node.whenTrue, scope) && isTranslated(node.whenFalse, scope);
  if (isCallOf(node, 't')) return true;
  if (!ts.isCallExpression(node)) return false;
  if (ts.isIdentifier(node.expression)) return returnsTranslated('functions', node.expression.text, scope);
  if (ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.name)) {
    const name = node.expression.name.text;
    return !BUILT_IN_METHODS.has(name) && returnsTranslated('methods', name, scope);
  }
  return false;
}

function returnsTranslated(kind: 'functions' | 'methods', name: string, scope: Scope): boolean {
  const key = `${kind}:${name}`;
  const known = scope.known.get(key);
  if (known !== undefined) return known;
  scope.known.set(key, false); // while it is being read, a recursive call proves nothing
  const definitions = scope.definitions[kind].get(name) ?? [];
  const translated = definitions.length > 0 && definitions.every((definition) => definition !== 'opaque' && returnsOnlyTranslated(definition, scope));
  scope.known.set(key, translated);
  return translated;
}

/** Each `return` of the function itself (not of a function inside it) gives a translated message. */
function returnsOnlyTranslated(definition: ts.FunctionLikeDeclaration, scope: Scope): boolean {
  const body = definition.body;
  if (!body || definition.asteriskToken || ts.getCombinedModifierFlags(definition) & ts.ModifierFlags.Async) return false;
  if (!ts.isBlock(body)) return isTranslated(body, scope);
  const returns: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) returns.push(node);
    if (!ts.isFunctionLike(node) && !ts.isClassLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return returns.length > 0 && returns.every((statement) => statement.expression !== undefined && isTranslated(statement.expression, scope));
}

/**
 * Rebuilt from a SerializedError, whose message the sending side made with t() (checked there).
 * "file:function" of each place allowed to pass on a message it did not make.
 */
const REBUILDS_A_TRANSLATED_MESSAGE = new Set(['src/shared/errors.ts:deserializeError']);

/**
 * "file:line: code" for each AppError of `source` whose message may not come from t(). A helper that takes
 * the message as a parameter (`fatal(code, message)`) passes the check when every call of it in the file
 * passes a translated message there. `scope` holds the definitions of the helpers a message may come from.
 */
function untranslatedErrors(source: ts.SourceFile, scope = scopeOf([source])): string[] {
  const problems: string[] = [];
  const where = (node: ts.Node): string =>
    `${relative(ROOT, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const forwarded: Array<{ helper: string; position: number; at: ts.Node }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
      const message = node.arguments?.[1];
      const helper = enclosingFunction(node);
      if (!message) problems.push(`${where(node)}: no message`);
      else if (isTranslated(message, scope)) {
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
      if (!message || !isTranslated(message, scope)) problems.push(`${where(call)}: ${helper}(…, ${message?.getText(source) ?? 'nothing'})`);
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
    const sources = files.map(({ file, text }) => parse(file, text));
    const scope = scopeOf(sources); // a helper's definition may sit in another file than the error it names
    const withErrors = sources.filter((source) => source.text.includes('new AppError'));
    expect(withErrors.length).toBeGreaterThan(10);
    expect(withErrors.flatMap((source) => untranslatedErrors(source, scope))).toEqual([]);
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

  it('trusts a function or method whose every definition returns t(), and finds one that may return other text', () => {
    const code = `
      function describe(problem: Problem): string {
        switch (problem.code) {
          case 'TOO_LARGE': return t('datasetFileTooLarge', size);
          default: return problem.quiet ? t('datasetFileNotJson') : t('datasetFileWrongFormat');
        }
      }
      const explain = (reason: string) => (reason === '' ? t('errorInternal', 'none') : reason);
      function summary(items: string[]): string {
        items.map((item) => { return t('errorInternal', item); });
        return items.join(', ');
      }
      const dynamo = { denied: ({ name }: Failure) => t('errorSyncDenied', name), notFound() { return t('errorSyncTableMissing', table); } };
      const sync = { denied: (failure: Failure) => t('errorCognitoSyncDenied', failure.name), notFound: () => 'No such pool' };
      const texts = { toString: () => t('errorInternal', 'x') };
      const label = () => t('errorInternal', 'label');
      function rethrow(label: () => string) { throw new AppError('INTERNAL', label()); }
      const wrap = (code: ErrorCode, text: string) => new AppError(code, text);
      new AppError('DATASET_LIMIT', describe(problem));
      wrap('CREDENTIALS_DENIED', backend.denied(failure));
      new AppError('INTERNAL', explain(reason));
      new AppError('INTERNAL', summary(names));
      wrap('NOT_CONFIGURED', backend.notFound(failure));
      new AppError('INTERNAL', error.toString());
      new AppError('INTERNAL', undefinedHelper());`;
    const found = untranslatedErrors(parse(join(SRC, 'example.ts'), code)).map((line) => line.replace(/^[^ ]+ /, ''));
    expect(found).toEqual([
      'label()',
      'explain(reason)',
      'summary(names)',
      'error.toString()',
      'undefinedHelper()',
      'wrap(…, backend.notFound(failure))',
    ]);
  });
});
