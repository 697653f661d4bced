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
export function isOptional<T>(value: unknown, guard: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || guard(value);
}
