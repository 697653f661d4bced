// The storage engine: dynalite's store, request validations and actions, called in-process.
// The gateway in front of it does what dynalite does not: signatures, IAM, transactions.
import dynalite from 'dynalite/db/index.js';
import type { DynaliteError } from 'dynalite/db/index.js';
import validations from 'dynalite/validations/index.js';
import batchGetItem from 'dynalite/actions/batchGetItem.js';
import batchWriteItem from 'dynalite/actions/batchWriteItem.js';
import createTable from 'dynalite/actions/createTable.js';
import deleteItem from 'dynalite/actions/deleteItem.js';
import describeTable from 'dynalite/actions/describeTable.js';
import getItem from 'dynalite/actions/getItem.js';
import putItem from 'dynalite/actions/putItem.js';
import query from 'dynalite/actions/query.js';
import updateItem from 'dynalite/actions/updateItem.js';
import batchGetItemRules from 'dynalite/validations/batchGetItem.js';
import batchWriteItemRules from 'dynalite/validations/batchWriteItem.js';
import createTableRules from 'dynalite/validations/createTable.js';
import deleteItemRules from 'dynalite/validations/deleteItem.js';
import describeTableRules from 'dynalite/validations/describeTable.js';
import getItemRules from 'dynalite/validations/getItem.js';
import putItemRules from 'dynalite/validations/putItem.js';
import queryRules from 'dynalite/validations/query.js';
import updateItemRules from 'dynalite/validations/updateItem.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { validationError } from '../aws/request';
import { AwsError, isObject } from '../http';
import type { JsonObject } from '../http';
import { CREATE_TABLE, PARTITION_KEY, SORT_KEY } from './table';

/**
 * What an item's UTF-8 bytes add to dynalite's count, which takes a string's length in UTF-16 code units. DynamoDB
 * counts strings (attribute names included) in UTF-8 bytes, so a value of 200,000 '界' is 600,000 bytes, over the
 * 400 KB item limit, not 200,000. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
function utf8Excess(item: unknown): number {
  const excess = (text: string): number => Buffer.byteLength(text, 'utf8') - text.length;
  const ofValue = (value: unknown): number => {
    if (!isObject(value)) return 0;
    const [type, content] = Object.entries(value)[0] ?? [];
    if (type === 'S' && typeof content === 'string') return excess(content);
    if (type === 'SS' && Array.isArray(content)) return content.reduce((sum: number, text) => sum + (typeof text === 'string' ? excess(text) : 0), 0);
    if (type === 'M') return utf8Excess(content);
    if (type === 'L' && Array.isArray(content)) return content.reduce((sum: number, element) => sum + ofValue(element), 0);
    return 0;
  };
  if (!isObject(item)) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + excess(name) + ofValue(value), 0);
}

const countUtf16 = dynalite.itemSize;
// dynalite's put and update checks call the module's itemSize: made to count bytes as DynamoDB does.
dynalite.itemSize = (item) => countUtf16(item) + utf8Excess(item);

/** A Query page ends once the items read reach 1 MB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html). */
const PAGE_BYTES = 1024 * 1024;

/**
 * A Query's page, ended where DynamoDB ends it. dynalite ends a page after the item that brings its count to
 * 1 MB, but counts with its own internal itemSize, in UTF-16 code units, which the patch above does not
 * reach: a page of 3-byte characters would hold three times what DynamoDB sends. The same count, in UTF-8
 * bytes, cuts the page again, with the key of its last item as LastEvaluatedKey. (The extension's Query has
 * neither a filter nor a projection, so the items answered are the items read; with either, the page is left
 * as dynalite answered it.)
 */
function pageAsDynamoDB(request: Prepared, result: JsonObject): JsonObject {
  const items = result['Items'];
  if (!Array.isArray(items) || request['FilterExpression'] !== undefined || request['ProjectionExpression'] !== undefined) return result;
  let size = 0;
  let kept = 0;
  for (const item of items) {
    if (size >= PAGE_BYTES || !isObject(item)) break;
    size += countUtf16(item, true, true, SORT_KEY) + utf8Excess(item);
    kept++;
  }
  const last = items[kept - 1];
  if (kept === items.length || !isObject(last)) return result;
  const index = INDEX_KEYS.find(({ index }) => index === request['IndexName']);
  const keyNames = [PARTITION_KEY, SORT_KEY, ...(index ? [index.attribute] : [])];
  return {
    ...result,
    Items: items.slice(0, kept),
    Count: kept,
    ScannedCount: kept,
    LastEvaluatedKey: Object.fromEntries(keyNames.map((name) => [name, last[name]])),
  };
}

/** Each secondary index's sort key and its type, from the table's definition (the stack serves one table). */
const INDEX_KEYS = CREATE_TABLE.LocalSecondaryIndexes.map(({ IndexName, KeySchema }) => {
  const attribute = KeySchema[1]?.AttributeName ?? '';
  const type = CREATE_TABLE.AttributeDefinitions.find((definition) => definition.AttributeName === attribute)?.AttributeType ?? '';
  return { index: IndexName, attribute, type };
});

/** The literal value an update writes to a top-level attribute (`SET a = :v`, or AttributeUpdates' PUT). */
function valueWritten(request: JsonObject, attribute: string): unknown {
  const updates = request['_updates'];
  const sections = isObject(updates) && Array.isArray(updates['sections']) ? updates['sections'] : [];
  for (const section of sections) {
    if (isObject(section) && section['type'] === 'set' && Array.isArray(section['path']) && section['path'].join() === attribute) {
      return section['val'];
    }
  }
  const legacy = isObject(request['AttributeUpdates']) ? request['AttributeUpdates'][attribute] : undefined;
  return isObject(legacy) && (legacy['Action'] ?? 'PUT') === 'PUT' ? legacy['Value'] : undefined;
}

/** A BatchWriteItem's writes (the stack serves one table): each put's item and each delete's key. */
function batchWrites(operation: EngineOperation, request: JsonObject): Array<{ put: unknown; remove: unknown }> {
  const tables = operation === 'BatchWriteItem' && isObject(request['RequestItems']) ? Object.values(request['RequestItems']) : [];
  return tables.flat().map((write) => ({
    put: isObject(write) && isObject(write['PutRequest']) ? write['PutRequest']['Item'] : undefined,
    remove: isObject(write) && isObject(write['DeleteRequest']) ? write['DeleteRequest']['Key'] : undefined,
  }));
}

/**
 * DynamoDB refuses an empty string or binary as the value of a secondary index's key (bySync's `sc`), in a put and
 * in an update that sets it, before anything is written (in a transaction too: a ValidationException, not a
 * cancellation); dynalite checks only its type. The messages are DynamoDB's: a put's names the index and its key,
 * an update's does not.
 */
function emptyIndexKey(operation: EngineOperation, request: JsonObject): AwsError | undefined {
  if (operation !== 'BatchWriteItem' && request['TableName'] !== CREATE_TABLE.TableName) return undefined;
  const items = operation === 'PutItem' ? [request['Item']] : batchWrites(operation, request).map(({ put }) => put);
  for (const { index, attribute, type } of INDEX_KEYS) {
    const kind = type === 'S' ? 'string' : 'binary';
    const empty = (value: unknown): boolean => isObject(value) && (type === 'S' || type === 'B') && value[type] === '';
    if (items.some((item) => isObject(item) && empty(item[attribute]))) {
      return validationError(
        `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index}, IndexKey: ${attribute}`,
      );
    }
    if (operation === 'UpdateItem' && empty(valueWritten(request, attribute))) {
      return validationError(
        `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value.`,
      );
    }
  }
  return undefined;
}

/**
 * DynamoDB bounds a key in UTF-8 bytes: 2,048 for the partition key, 1,024 for a sort key, the index's included;
 * dynalite counts a string key in UTF-16 code units, so 400 '界' (1,200 bytes) passed it. Its messages are kept.
 */
const KEY_BYTES = [
  { attribute: PARTITION_KEY, most: 2048, message: 'Size of hashkey has exceeded the maximum size limit of2048 bytes' },
  ...[SORT_KEY, ...INDEX_KEYS.map(({ attribute }) => attribute)].map((attribute) => ({
    attribute,
    most: 1024,
    message: 'Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
  })),
];

function oversizedKey(operation: EngineOperation, request: JsonObject): AwsError | undefined {
  const keyed = [request['Key'], request['Item'], ...batchWrites(operation, request).flatMap(({ put, remove }) => [put, remove])];
  for (const item of keyed) {
    if (!isObject(item)) continue;
    for (const { attribute, most, message } of KEY_BYTES) {
      const value = item[attribute];
      const text = isObject(value) ? value['S'] : undefined;
      if (typeof text === 'string' && Buffer.byteLength(text, 'utf8') > most)
        return validationError(`One or more parameter values were invalid: ${message}`);
    }
  }
  return undefined;
}

const OPERATIONS = {
  BatchGetItem: { action: batchGetItem, rules: batchGetItemRules },
  BatchWriteItem: { action: batchWriteItem, rules: batchWriteItemRules },
  CreateTable: { action: createTable, rules: createTableRules },
  DeleteItem: { action: deleteItem, rules: deleteItemRules },
  DescribeTable: { action: describeTable, rules: describeTableRules },
  GetItem: { action: getItem, rules: getItemRules },
  PutItem: { action: putItem, rules: putItemRules },
  Query: { action: query, rules: queryRules },
  UpdateItem: { action: updateItem, rules: updateItemRules },
};

export type EngineOperation = keyof typeof OPERATIONS;

export function isEngineOperation(name: string): name is EngineOperation {
  return Object.hasOwn(OPERATIONS, name);
}

declare const preparedBrand: unique symbol;
/** A request that passed DynamoDB's validation, with its expressions parsed (ready for run and conditionHolds). */
export type Prepared = JsonObject & { readonly [preparedBrand]: true };

export interface DynamoEngine {
  /** Validates a request as DynamoDB does; throws its ValidationException / SerializationException. */
  prepare(operation: EngineOperation, input: JsonObject): Prepared;
  run(operation: EngineOperation, request: Prepared): Promise<JsonObject>;
  /** Whether a prepared write's condition holds for an item (undefined: no such item). */
  conditionHolds(request: Prepared, item: JsonObject | undefined): boolean;
  /** An item's (or a key's, or a map of values') size in bytes, as DynamoDB counts it. */
  sizeOf(attributes: JsonObject): number;
  close(): Promise<void>;
}

/** dynalite's errors carry DynamoDB's answer; anything else is a bug and surfaces as a 500. */
function toAwsError(error: DynaliteError): AwsError | DynaliteError {
  const type = error.body?.__type;
  if (error.statusCode === undefined || type === undefined) return error;
  return new AwsError(type, error.body?.message ?? error.body?.Message ?? '', error.statusCode);
}

export async function openEngine(path: string | undefined): Promise<DynamoEngine> {
  const store = dynalite.create({ ...(path === undefined ? {} : { path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

  const engine: DynamoEngine = {
    prepare(operation, input) {
      const { rules } = OPERATIONS[operation];
      try {
        const data = validations.checkTypes(input, rules.types);
        validations.checkValidations(data, rules.types, rules.custom, store);
        const refused = emptyIndexKey(operation, data) ?? oversizedKey(operation, data);
        if (refused) throw refused;
        return data as Prepared;
      } catch (error) {
        throw error instanceof Error ? toAwsError(error) : error;
      }
    },
    run(operation, request) {
      return new Promise((resolve, reject) => {
        OPERATIONS[operation].action(store, request, (error, result) => {
          if (error) reject(toAwsError(error));
          else resolve(operation === 'Query' ? pageAsDynamoDB(request, result ?? {}) : (result ?? {}));
        });
      });
    },
    conditionHolds(request, item) {
      return !dynalite.checkConditional(request, item);
    },
    sizeOf(attributes) {
      return dynalite.itemSize(attributes);
    },
    close() {
      return new Promise((resolve, reject) => store.db.close((error) => (error ? reject(error) : resolve())));
    },
  };

  await ensureTable(engine);
  return engine;
}

async function ensureTable(engine: DynamoEngine): Promise<void> {
  try {
    await engine.run('CreateTable', engine.prepare('CreateTable', structuredClone(CREATE_TABLE)));
  } catch (error) {
    if (!(error instanceof AwsError && error.name === 'ResourceInUseException')) throw error;
  }
  // dynalite flips a new table to ACTIVE on a timer (createTableMs: 0 makes that the next tick).
  const describe = { TableName: CREATE_TABLE.TableName };
  for (;;) {
    const { Table } = await engine.run('DescribeTable', engine.prepare('DescribeTable', { ...describe }));
    if (isObject(Table) && Table['TableStatus'] === 'ACTIVE') return;
    await sleep(5);
  }
}
