// A JSON document on disk (with --data) or nowhere (memory mode): the stack's own state beside dynalite's.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface JsonFile<T> {
  load(): Promise<T | undefined>;
  save(value: T): Promise<void>;
}

export function jsonFile<T>(dir: string | undefined, name: string, isValid: (value: unknown) => value is T): JsonFile<T> {
  if (dir === undefined) return { load: async () => undefined, save: async () => {} };
  const path = join(dir, name);
  // Saves are chained so two writers never interleave, and land by rename so a crash never leaves half a file.
  let queue = Promise.resolve();
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
        throw error;
      }
      const value: unknown = JSON.parse(text);
      if (!isValid(value)) throw new Error(`${path} does not hold what the stack wrote there; delete it to start afresh`);
      return value;
    },
    save(value) {
      const text = JSON.stringify(value, null, 2);
      queue = queue.then(async () => {
        await mkdir(dir, { recursive: true });
        // Private keys and credential secrets: readable by their owner only.
        await writeFile(`${path}.tmp`, text, { mode: 0o600 });
        await rename(`${path}.tmp`, path);
      });
      return queue;
    },
  };
}
