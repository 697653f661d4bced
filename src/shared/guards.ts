// Small guards for data read back from storage or received in a message: narrow `unknown` one field at a
// time, so that a parser can rebuild the value from what it checked (no cast past the check).

/** A plain object (not null, not an array), its fields still unknown. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** A finite number (storage keeps no NaN or Infinity on purpose). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** Absent, or of the type `guard` checks. */
export const isTrue = (value: unknown): value is true => value === true;

export function isOptional<T>(value: unknown, guard: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || guard(value);
}

/** How a field is checked: a guard keeps the value as stored; a parser answers it rebuilt, or undefined to refuse it. */
export type Check<T> = ((value: unknown) => value is T) | ((value: unknown) => T | undefined);

/** A field that may be absent; when present, `optional` decides. `orDrop`: a refused value reads as absent. */
export interface Optional<T> {
  optional: Check<T>;
  orDrop?: true;
}

export function optional<T>(check: Check<T>): Optional<T> {
  return { optional: check };
}

/** An optional field whose refused value is dropped rather than refusing the whole object. */
export function ifValid<T>(check: Check<T>): Optional<T> {
  return { optional: check, orDrop: true };
}

type Field = Check<unknown> | Optional<unknown>;
type Checked<C> = C extends (value: unknown) => value is infer T ? T : C extends (value: unknown) => infer T ? Exclude<T, undefined> : never;
export type Fields<S> = { [K in keyof S as S[K] extends Optional<unknown> ? never : K]: Checked<S[K]> } & {
  [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never;
};

/**
 * A stored object rebuilt from the fields `schema` names, each checked (fields it does not name are not
 * carried along); undefined when `value` is no object or a field is refused. An absent optional field
 * stays absent.
 */
export function fields<S extends Record<string, Field>>(value: unknown, schema: S): Fields<S> | undefined {
  if (!isObject(value)) return undefined;
  const checked: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    const raw = value[name];
    if (typeof field !== 'function' && raw === undefined) continue;
    const result: unknown = (typeof field === 'function' ? field : field.optional)(raw);
    if (result !== false && result !== undefined) checked[name] = result === true ? raw : result;
    else if (typeof field === 'function' || !field.orDrop) return undefined;
  }
  return checked as Fields<S>;
}

/** The entries of a stored list that read as `parse` reads them; a malformed one is dropped, not the list. */
export const entries =
  <T>(parse: (entry: unknown) => T | undefined) =>
  (value: unknown): T[] | undefined =>
    Array.isArray(value) ? value.flatMap((entry: unknown) => parse(entry) ?? []) : undefined;

/** A list of names, non-names dropped; an empty list reads as absent. */
export const names = (value: unknown): string[] | undefined => {
  const list = Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
  return list.length > 0 ? list : undefined;
};
