import { describe, expect, it } from 'vitest';
import { fields, ifValid, isNumber, isString, optional } from './guards';

const parseMark = (value: unknown) => fields(value, { sub: isString, at: isNumber, email: optional(isString) });

describe('fields', () => {
  it('rebuilds a stored object from the fields it names, leaving the others behind', () => {
    expect(parseMark({ sub: 'a', at: 1, email: 'a@example.com', token: 'secret' })).toEqual({ sub: 'a', at: 1, email: 'a@example.com' });
  });

  it('reads an object with a missing or mistyped field as absent', () => {
    expect(parseMark({ sub: 'a' })).toBeUndefined();
    expect(parseMark({ sub: 'a', at: '1' })).toBeUndefined();
    expect(parseMark({ sub: 'a', at: 1, email: 7 })).toBeUndefined();
    expect(parseMark(['a', 1])).toBeUndefined();
    expect(parseMark(null)).toBeUndefined();
  });

  it('leaves an absent optional field absent', () => {
    expect(parseMark({ sub: 'a', at: 1 })).toStrictEqual({ sub: 'a', at: 1 });
  });

  it('keeps what a parser of a field rebuilt, and refuses what it refuses', () => {
    const parse = (value: unknown) =>
      fields(value, { inner: (inner: unknown) => parseMark(inner), flag: optional((flag: unknown) => flag === false) });
    expect(parse({ inner: { sub: 'a', at: 1, extra: true }, flag: false })).toStrictEqual({ inner: { sub: 'a', at: 1 }, flag: false });
    expect(parse({ inner: { sub: 'a' } })).toBeUndefined();
    expect(parse({ inner: { sub: 'a', at: 1 }, flag: true })).toBeUndefined();
  });

  it('drops a malformed part marked ifValid instead of refusing the whole object', () => {
    const parse = (value: unknown) => fields(value, { sub: isString, at: ifValid(isNumber) });
    expect(parse({ sub: 'a', at: 'soon' })).toStrictEqual({ sub: 'a' });
    expect(parse({ sub: 'a', at: 2 })).toStrictEqual({ sub: 'a', at: 2 });
    expect(parse({ at: 2 })).toBeUndefined();
  });
});
