// dynalite ships no types. The stack uses its storage engine in-process — the store, the request
// validations and the actions — not its HTTP server (which would need a second port and checks no signature).

declare module 'dynalite/db/index.js' {
  /** dynalite reports failures as Errors carrying the AWS answer. */
  export interface DynaliteError extends Error {
    statusCode?: number;
    body?: { __type?: string; message?: string; Message?: string };
  }

  export interface DynaliteStore {
    db: { close(callback: (error?: Error | null) => void): void };
  }

  /** What each dynalite/validations/<action>.js exports. */
  export interface ValidationRules {
    types: Record<string, unknown>;
    custom?: (data: Record<string, unknown>, store: DynaliteStore) => string | undefined;
  }

  export interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }

  const db: {
    create(options: DynaliteOptions): DynaliteStore;
    /** Evaluates a validated request's ConditionExpression (or Expected) against an item: an Error when it fails. */
    checkConditional(data: Record<string, unknown>, existingItem: Record<string, unknown> | undefined): DynaliteError | null | undefined;
    /**
     * An item's size against DynamoDB's limits: attribute names plus values, strings counted in UTF-16 code units
     * (engine.ts replaces it with one counting UTF-8 bytes, as DynamoDB does). Its put and update checks call it here.
     */
    /** `compress`, `addMetaSize`, `rangeKey`: the size its Query counts towards a page's 1 MB. */
    itemSize(item: Record<string, unknown>, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number;
  };
  export default db;
}

declare module 'dynalite/validations/index.js' {
  import type { DynaliteStore, ValidationRules } from 'dynalite/db/index.js';

  const validations: {
    /** Type-checks a request as DynamoDB's deserialiser does; returns the request without unknown members. */
    checkTypes(data: Record<string, unknown>, types: ValidationRules['types']): Record<string, unknown>;
    /** Throws DynamoDB's ValidationException; parses expressions into the request (_condition, KeyConditions...). */
    checkValidations(data: Record<string, unknown>, types: ValidationRules['types'], custom: ValidationRules['custom'], store: DynaliteStore): void;
  };
  export default validations;
}

declare module 'dynalite/validations/*' {
  import type { ValidationRules } from 'dynalite/db/index.js';

  const rules: ValidationRules;
  export default rules;
}

declare module 'dynalite/actions/*' {
  import type { DynaliteError, DynaliteStore } from 'dynalite/db/index.js';

  const action: (
    store: DynaliteStore,
    data: Record<string, unknown>,
    callback: (error: DynaliteError | null | undefined, result?: Record<string, unknown>) => void,
  ) => void;
  export default action;
}
