// TransactWriteItems, which dynalite lacks. A transaction commits under the table's lock, so nothing interleaves:
// snapshot every item, evaluate every condition, and only if all hold apply the writes — restoring the
// snapshots should a write still fail. Semantics: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
// From its arrival until it has committed or been cancelled, a transaction holds its items, as DynamoDB's do
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html, "Transaction conflict
// handling"): another transaction on one of them is cancelled with TransactionConflict, a single-item write to one
// gets TransactionConflictException, and the same request token sent again meanwhile gets
// TransactionInProgressException. Reads are not held up.
import { createHash } from 'node:crypto';
import { validationError } from '../aws/request';
import type { DynamoEngine, EngineOperation, Prepared } from './engine';
import { AwsError, isObject } from '../http';
import type { JsonObject } from '../http';
import type { Mutex } from '../mutex';
import { partitionKeyOf } from './policy';
import type { Access } from './policy';
import { PARTITION_KEY, SORT_KEY } from './table';

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';
const MAX_ITEMS = 100;
/** "The aggregate size of the items in the transaction cannot exceed 4 MB" (the API reference above). */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
/** AWS remembers a ClientRequestToken for ten minutes. */
const TOKEN_TTL_MS = 10 * 60 * 1000;

const KINDS = {
  Put: { operation: 'PutItem', action: 'PutItem' },
  Update: { operation: 'UpdateItem', action: 'UpdateItem' },
  Delete: { operation: 'DeleteItem', action: 'DeleteItem' },
  // A ConditionCheck validates like a DeleteItem (table, key, condition) and writes nothing.
  ConditionCheck: { operation: 'DeleteItem', action: 'ConditionCheckItem' },
} as const satisfies Record<string, { operation: EngineOperation; action: string }>;

type Kind = keyof typeof KINDS;

interface Part {
  kind: Kind;
  table: string;
  key: JsonObject;
  request: Prepared;
  returnOldOnFailure: boolean;
  /** What the part carries, in bytes: a Put's item, otherwise its key and the values it writes. */
  size: number;
}

export interface Transaction {
  parts: Part[];
  token: string | undefined;
  /** The request minus its token: a reused token must come with the same request. */
  fingerprint: string;
}

interface CancellationReason {
  Code: 'None' | 'ConditionalCheckFailed' | 'ValidationError' | 'TransactionConflict';
  Message?: string;
  Item?: JsonObject;
}

export interface TransactionRunner {
  /** Runs a prepared transaction for an owner (the identity: tokens are not shared); it takes the table lock to commit. */
  run(owner: string, transaction: Transaction): Promise<JsonObject>;
  /** Refuses a single-item write (PutItem, UpdateItem, DeleteItem) to an item a transaction holds now, as DynamoDB does. */
  refuseIfHeld(table: string, key: unknown): void;
}

export interface TransactionRunnerOptions {
  /** Taken to commit: every single-item request runs under it too. */
  lock: Mutex;
  now: () => number;
  /**
   * Awaited by each transaction once it holds its items, before it commits (by default it commits at once).
   * DynamoDB's take some time; a test holds them here to make two overlap at will, and lets them go.
   */
  hold?: (() => Promise<void>) | undefined;
}

/** One item, as the transactions in flight name it. */
export function itemId(table: string, key: unknown): string {
  return JSON.stringify([table, isObject(key) ? key[PARTITION_KEY] : undefined, isObject(key) ? key[SORT_KEY] : undefined]);
}

const KIND_NAMES: readonly Kind[] = ['Put', 'Update', 'Delete', 'ConditionCheck'];

// Bounds from DynamoDB's service model:
// https://github.com/boto/botocore/blob/develop/botocore/data/dynamodb/2012-08-10/service-2.json
const RETURN_ON_FAILURE = ['ALL_OLD', 'NONE'];
/** ClientRequestToken's length in the service model. */
const MAX_TOKEN_LENGTH = 36;

function keyOfItem(item: unknown): JsonObject {
  const key: JsonObject = {};
  for (const name of [PARTITION_KEY, SORT_KEY]) {
    const value = isObject(item) ? item[name] : undefined;
    if (value === undefined) throw validationError(`One or more parameter values were invalid: Missing the key ${name} in the item`);
    key[name] = value;
  }
  return key;
}

function preparePart(engine: DynamoEngine, element: unknown, index: number): Part {
  const kinds = isObject(element) ? KIND_NAMES.filter((kind) => element[kind] !== undefined) : [];
  const [kind] = kinds;
  const body = kind !== undefined && isObject(element) ? element[kind] : undefined;
  if (kind === undefined || kinds.length > 1 || !isObject(body)) {
    throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  const member = `transactItems.${index + 1}.member.${kind.charAt(0).toLowerCase()}${kind.slice(1)}`;
  const required = kind === 'ConditionCheck' ? 'ConditionExpression' : kind === 'Update' ? 'UpdateExpression' : undefined;
  if (required && typeof body[required] !== 'string') {
    throw validationError(
      `1 validation error detected: Value null at '${member}.${required.charAt(0).toLowerCase()}${required.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  const returns = body['ReturnValuesOnConditionCheckFailure'];
  if (returns !== undefined && !RETURN_ON_FAILURE.includes(String(returns))) {
    throw validationError(
      `1 validation error detected: Value '${String(returns)}' at '${member}.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [${RETURN_ON_FAILURE.join(', ')}]`,
    );
  }
  const request = engine.prepare(KINDS[kind].operation, { ...body });
  const key = kind === 'Put' ? keyOfItem(request['Item']) : request['Key'];
  if (!isObject(key)) throw validationError('The provided key element does not match the schema');
  const item = request['Item'];
  const values = request['ExpressionAttributeValues'];
  const size = isObject(item) ? engine.sizeOf(item) : engine.sizeOf(key) + (kind === 'Update' && isObject(values) ? engine.sizeOf(values) : 0);
  return {
    size,
    kind,
    table: String(request['TableName']),
    key,
    request,
    returnOldOnFailure: body['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD',
  };
}

/** Validates a TransactWriteItems request as DynamoDB does, before anything is read or written. */
export function prepareTransaction(engine: DynamoEngine, input: JsonObject): Transaction {
  const token = input['ClientRequestToken'];
  if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > MAX_TOKEN_LENGTH)) {
    const bound = typeof token === 'string' && token.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_TOKEN_LENGTH}`;
    throw validationError(
      `1 validation error detected: Value '${String(token)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  const elements = input['TransactItems'];
  if (!Array.isArray(elements)) {
    throw validationError("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  }
  if (elements.length < 1 || elements.length > MAX_ITEMS) {
    const bound = elements.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ITEMS}`;
    throw validationError(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`);
  }
  const parts = elements.map((element, index) => preparePart(engine, element, index));
  if (parts.reduce((total, part) => total + part.size, 0) > MAX_TRANSACTION_BYTES) {
    throw validationError('Transaction item size has exceeded the 4 MB limit');
  }
  const seen = new Set<string>();
  for (const part of parts) {
    const id = itemId(part.table, part.key);
    if (seen.has(id)) throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  }
  const { ClientRequestToken: _token, ...rest } = input;
  return {
    parts,
    token: typeof token === 'string' ? token : undefined,
    fingerprint: createHash('sha256').update(JSON.stringify(rest)).digest('hex'),
  };
}

/** What IAM checks for a transaction: each part's own action (TransactWriteItems is not an IAM action). */
export function transactionAccesses(transaction: Transaction): Access[] {
  return transaction.parts.map((part) => ({
    action: KINDS[part.kind].action,
    table: part.table,
    leadingKeys: [partitionKeyOf(part.key)],
  }));
}

function canceled(reasons: CancellationReason[]): AwsError {
  return new AwsError(
    `${DYNAMODB}TransactionCanceledException`,
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    400,
    { CancellationReasons: reasons },
  );
}

export function createTransactionRunner(engine: DynamoEngine, { lock, now, hold }: TransactionRunnerOptions): TransactionRunner {
  const tokens = new Map<string, { fingerprint: string; at: number }>();
  /** The items the transactions in flight hold (itemId). */
  const heldItems = new Set<string>();
  /** The request tokens of the transactions in flight, each with its owner. */
  const tokensInFlight = new Set<string>();

  async function read(part: Part): Promise<JsonObject | undefined> {
    const { Item } = await engine.run('GetItem', engine.prepare('GetItem', { TableName: part.table, Key: part.key, ConsistentRead: true }));
    return isObject(Item) ? Item : undefined;
  }

  async function restore(part: Part, snapshot: JsonObject | undefined): Promise<void> {
    if (snapshot) await engine.run('PutItem', engine.prepare('PutItem', { TableName: part.table, Item: snapshot }));
    else await engine.run('DeleteItem', engine.prepare('DeleteItem', { TableName: part.table, Key: part.key }));
  }

  async function apply(parts: Part[], snapshots: Array<JsonObject | undefined>): Promise<void> {
    for (const [index, part] of parts.entries()) {
      if (part.kind === 'ConditionCheck') continue;
      try {
        await engine.run(KINDS[part.kind].operation, part.request);
      } catch (error) {
        for (const [done, written] of parts.slice(0, index).entries()) {
          if (written.kind !== 'ConditionCheck') await restore(written, snapshots[done]);
        }
        // A write DynamoDB rejects (an update on an attribute of the wrong type...) cancels the transaction.
        if (error instanceof AwsError && error.name === 'ValidationException') {
          throw canceled(parts.map((_, i) => (i === index ? { Code: 'ValidationError', Message: error.message } : { Code: 'None' })));
        }
        throw error;
      }
    }
  }

  async function commit(transaction: Transaction, token: string | undefined): Promise<JsonObject> {
    const previous = token === undefined ? undefined : tokens.get(token);
    if (previous) {
      if (previous.fingerprint !== transaction.fingerprint) {
        throw new AwsError(
          `${DYNAMODB}IdempotentParameterMismatchException`,
          'The request uses the same client token as a previous, but non-identical request.',
        );
      }
      return {};
    }

    const { parts } = transaction;
    const snapshots: Array<JsonObject | undefined> = [];
    for (const part of parts) snapshots.push(await read(part));
    const reasons = parts.map((part, index): CancellationReason => {
      const snapshot = snapshots[index];
      if (engine.conditionHolds(part.request, snapshot)) return { Code: 'None' };
      const failed: CancellationReason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
      return part.returnOldOnFailure && snapshot ? { ...failed, Item: snapshot } : failed;
    });
    if (reasons.some((reason) => reason.Code !== 'None')) throw canceled(reasons);

    await apply(parts, snapshots);
    if (token !== undefined) tokens.set(token, { fingerprint: transaction.fingerprint, at: now() });
    return {};
  }

  return {
    async run(owner, transaction) {
      for (const [key, { at }] of tokens) if (at + TOKEN_TTL_MS < now()) tokens.delete(key);
      const token = transaction.token === undefined ? undefined : `${owner}\n${transaction.token}`;
      if (token !== undefined && tokensInFlight.has(token)) {
        throw new AwsError(`${DYNAMODB}TransactionInProgressException`, 'Transaction from previous request is still in progress');
      }
      // A token already committed is answered as before (commit: done, or a mismatch), whatever holds its items now.
      if (token !== undefined && tokens.has(token)) return lock.run(() => commit(transaction, token));
      const ids = transaction.parts.map((part) => itemId(part.table, part.key));
      if (ids.some((id) => heldItems.has(id))) {
        throw canceled(
          ids.map((id) => (heldItems.has(id) ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' })),
        );
      }
      for (const id of ids) heldItems.add(id);
      if (token !== undefined) tokensInFlight.add(token);
      try {
        await hold?.();
        return await lock.run(() => commit(transaction, token));
      } finally {
        for (const id of ids) heldItems.delete(id);
        if (token !== undefined) tokensInFlight.delete(token);
      }
    },
    refuseIfHeld(table, key) {
      if (!heldItems.has(itemId(table, key))) return;
      throw new AwsError(`${DYNAMODB}TransactionConflictException`, 'Operation was rejected because there is an ongoing transaction for the item.');
    },
  };
}
