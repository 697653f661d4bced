// Typed storage over a three-method area, so that the worker, the pages and Node tests share one shape.

export interface StorageChange {
  oldValue?: unknown;
  newValue?: unknown;
}

export type ChangeListener = (changes: Record<string, StorageChange>) => void;

/** The part of `browser.storage.local` / `.session` the extension uses; Node tests pass a memory fake. */
export interface StorageAreaLike {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  onChanged: {
    addListener(listener: ChangeListener): void;
    removeListener(listener: ChangeListener): void;
  };
}

/** Narrows what was read back; a value of the wrong shape reads as absent rather than crashing a page. */
export type Parse<T> = (value: unknown) => T | undefined;

export class StorageItem<T> {
  constructor(
    readonly area: StorageAreaLike,
    readonly key: string,
    private readonly parse: Parse<T>,
  ) {}

  async get(): Promise<T | undefined> {
    const stored = await this.area.get(this.key);
    return this.parse(stored[this.key]);
  }

  async set(value: T): Promise<void> {
    await this.area.set({ [this.key]: value });
  }

  async remove(): Promise<void> {
    await this.area.remove(this.key);
  }

  /**
   * Calls back with the new value (undefined once removed) and the value it replaced (undefined if
   * there was none), each read as `get` reads it, until the signal aborts.
   */
  onChanged(callback: (newValue: T | undefined, oldValue: T | undefined) => void, signal?: AbortSignal): void {
    const listener: ChangeListener = (changes) => {
      const change = changes[this.key];
      if (change) callback(this.parse(change.newValue), this.parse(change.oldValue));
    };
    this.area.onChanged.addListener(listener);
    signal?.addEventListener('abort', () => this.area.onChanged.removeListener(listener), { once: true });
  }
}

/** A StorageAreaLike in memory, for tests and for the stack's Node-side clients. */
export function createMemoryArea(): StorageAreaLike {
  const data = new Map<string, unknown>();
  const listeners = new Set<ChangeListener>();
  const emit = (changes: Record<string, StorageChange>): void => {
    if (Object.keys(changes).length > 0) for (const listener of listeners) listener(changes);
  };
  const copy = (value: unknown): unknown => (value === undefined ? undefined : structuredClone(value));
  return {
    async get(keys) {
      const wanted = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      const result: Record<string, unknown> = {};
      for (const key of wanted) if (data.has(key)) result[key] = copy(data.get(key));
      return result;
    },
    async set(items) {
      const changes: Record<string, StorageChange> = {};
      for (const [key, value] of Object.entries(items)) {
        changes[key] = { oldValue: data.get(key), newValue: copy(value) };
        data.set(key, copy(value));
      }
      emit(changes);
    },
    async remove(keys) {
      const changes: Record<string, StorageChange> = {};
      for (const key of Array.isArray(keys) ? keys : [keys]) {
        if (!data.has(key)) continue;
        changes[key] = { oldValue: data.get(key) };
        data.delete(key);
      }
      emit(changes);
    },
    onChanged: {
      addListener: (listener) => void listeners.add(listener),
      removeListener: (listener) => void listeners.delete(listener),
    },
  };
}
