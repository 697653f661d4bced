// What the settings file and the dataset file share: JSON text, under a size limit, in an object that names its
// format and version (settings-file.ts, dataset-file.ts). Each file reads its own contents after this.

export type VersionedFileProblem =
  | { code: 'TOO_LARGE'; bytes: number }
  | { code: 'NOT_JSON' }
  | { code: 'WRONG_FORMAT' }
  | { code: 'UNSUPPORTED_VERSION'; version: number };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A file of `maxBytes` at most, as the file picker reports its size before the file is read. */
export function checkFileSize(bytes: number, maxBytes: number): VersionedFileProblem | undefined {
  return bytes > maxBytes ? { code: 'TOO_LARGE', bytes } : undefined;
}

/** The file's object once its size, JSON, format and version are as expected. */
export function readVersionedFile(
  text: string,
  expected: { format: string; version: number; maxBytes: number },
): { ok: true; json: Record<string, unknown> } | { ok: false; problem: VersionedFileProblem } {
  const tooLarge = checkFileSize(new TextEncoder().encode(text).byteLength, expected.maxBytes);
  if (tooLarge) return { ok: false, problem: tooLarge };
  let json: unknown;
  try {
    // Editors on Windows may save a byte order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, problem: { code: 'NOT_JSON' } };
  }
  if (!isPlainObject(json) || json['format'] !== expected.format) return { ok: false, problem: { code: 'WRONG_FORMAT' } };
  const version = json['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: false, problem: { code: 'WRONG_FORMAT' } };
  if (version !== expected.version) return { ok: false, problem: { code: 'UNSUPPORTED_VERSION', version } };
  return { ok: true, json };
}
