// How a message handler is declared: the guards of its arguments, then the function they narrow to. A
// page's arguments arrive as JSON, so their types are checked, not trusted: the receiver
// (background/messages.ts) calls `fromWire`, which narrows every argument before the handler runs and
// refuses a wrong-typed, missing or extra one with INVALID_INPUT. The pages' `send()` is typed from the
// handler's own parameters (shared/messages.ts).
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';

export type Guard<T> = (value: unknown) => value is T;

export interface Handler<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** The receiver's entry: the arguments as they came. */
  fromWire(args: readonly unknown[]): Promise<R>;
}

function invalid(position: number): AppError {
  return new AppError('INVALID_INPUT', t('errorInvalidArgument', String(position)));
}

/** The arguments of one message, taken in order by the handler's guards. */
export class Arguments {
  private taken = 0;
  constructor(private readonly raw: readonly unknown[]) {}

  take<T>(guard: Guard<T>): T {
    this.taken += 1;
    const position = this.taken;
    const value = this.raw[position - 1];
    if (!guard(value)) throw invalid(position);
    return value;
  }

  /** Absent, or what `guard` accepts. JSON turns a left-out argument before another into null. */
  optional<T>(guard: Guard<T>): T | undefined {
    this.taken += 1;
    const position = this.taken;
    const value = this.raw[position - 1];
    if (value === undefined || value === null) return undefined;
    if (!guard(value)) throw invalid(position);
    return value;
  }

  /** Nothing may follow what the guards took. */
  end(): void {
    if (this.raw.length > this.taken) throw invalid(this.taken + 1);
  }
}

/**
 * A handler whose arguments `parse` narrows from the wire. `run`'s parameter list is the protocol: a
 * trailing optional parameter may be left out by the page.
 */
export function handler<A extends unknown[], R>(parse: (args: Arguments) => [...NoInfer<A>], run: (...args: A) => Promise<R>): Handler<A, R> {
  const typed = (...args: A): Promise<R> => run(...args);
  const fromWire = async (raw: readonly unknown[]): Promise<R> => {
    const args = new Arguments(raw);
    const narrowed = parse(args);
    args.end();
    return run(...narrowed);
  };
  return Object.assign(typed, { fromWire });
}

/** A handler that takes no argument. */
export function noArgs(): [] {
  return [];
}

// The same guards the stored records are read with.
export { isObject as isRecord, isString } from '../../shared/guards';
