// What the pages and stored datasets read of the settings without their validator (settings.ts, which
// re-exports all of this): a page that imports only this file does not carry the validator.

export const CONFLICT_STRATEGIES = ['lastWriterWins', 'deviceWins', 'serverWins'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

// Cognito Sync dataset names (the extension's DynamoDB datasets follow the same rule).
export const DATASET_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/** What a page needs of the settings to open the dataset. */
export interface DefaultDataset {
  datasetName: string;
}

/** Reads the open dataset's name from stored settings, for a page's first frame. */
export function parseDefaultDataset(value: unknown): DefaultDataset | undefined {
  const name = typeof value === 'object' && value !== null ? (value as Partial<Record<'datasetName', unknown>>).datasetName : undefined;
  return typeof name === 'string' && DATASET_NAME.test(name) ? { datasetName: name } : undefined;
}

/**
 * An endpoint in one form, so that two ways of writing one server compare equal: `new URL(x).href`
 * lowercases the host, drops a default port and gives an empty path its `/`. Text that is not a URL
 * (only from storage of an older version) is kept as it is.
 */
export function normalizeEndpoint(endpoint: string): string {
  try {
    return new URL(endpoint.trim()).href;
  } catch {
    return endpoint;
  }
}
