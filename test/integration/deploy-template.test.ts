// deploy/cloudformation.json: its shape, and that the access it grants is what the extension uses and
// what the local stack enforces. The template is resolved here for sample parameters (Ref, Fn::GetAtt,
// Fn::Sub) and its role policy evaluated by a small IAM evaluator against the DynamoDB requests the
// extension's own sync backend sends to the local stack.
import { execFile, execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { DEPLOYED_ACTIONS, authorize } from '../../stack/dynamodb/policy';
import { CREATE_TABLE, TABLE_NAME } from '../../stack/dynamodb/table';
import { createDynamoClient, createDynamoDirectory, createDynamoRemote } from '../../src/background/sync/dynamodb-remote';
import { DEFAULT_SETTINGS, issuerFromDomain, loginsKey, regionOf, validateSettings } from '../../src/shared/settings';
import { checkTemplateStructure } from '../support/cfn-structure';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

const TEMPLATE_PATH = 'deploy/cloudformation.json';
/** IAM's policy variable for the caller's Cognito identity id, written as IAM reads it, not a JS template. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: IAM's own ${…} syntax
const SUB_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

// ---------------------------------------------------------------------------------------------
// Reading the template without `any`

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  return value;
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string: ${JSON.stringify(value)}`);
  return value;
}

/** IAM lets Action, Resource and condition values be one string or a list. */
function strings(value: unknown, what: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map((item, index) => str(item, `${what}[${index}]`));
  throw new Error(`${what} is neither a string nor a list: ${JSON.stringify(value)}`);
}

const template = obj(JSON.parse(await readFile(TEMPLATE_PATH, 'utf8')), 'the template');
const parameters = obj(template['Parameters'], 'Parameters');
const conditions = obj(template['Conditions'] ?? {}, 'Conditions');
const resources = obj(template['Resources'], 'Resources');
const outputs = obj(template['Outputs'], 'Outputs');

function resource(id: string): JsonObject {
  return obj(resources[id], `resource ${id}`);
}

function propertiesOf(id: string): JsonObject {
  return obj(resource(id)['Properties'], `${id}.Properties`);
}

// ---------------------------------------------------------------------------------------------
// Resolving intrinsic functions for one imagined deployment

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const SAMPLE = {
  Auth0Domain: 'your-tenant.eu.auth0.com',
  ClientId: 'aBcD1234eFgH5678iJkL9012mNoP3456',
  Thumbprint: '9E99A48A9960B14926BB7F3B02E22DA2B0AB7280',
};
const POOL_ID = `${REGION}:0e0e0e0e-1111-4222-8333-444444444444`;

function parameterValues(given: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(parameters)) {
    const fallback = obj(declaration, `parameter ${name}`)['Default'];
    const value = given[name] ?? (typeof fallback === 'string' ? fallback : undefined);
    if (value === undefined) throw new Error(`parameter ${name} has no value and no default`);
    values[name] = value;
  }
  return values;
}

const values = parameterValues(SAMPLE);
const tableName = values['TableName'] ?? '';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/stack-AuthenticatedRole-ABC123`;
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${SAMPLE.Auth0Domain}`;

/** What Ref and Fn::GetAtt answer for each resource type, as CloudFormation documents them. */
const physical: Record<string, { ref: string; attributes: Record<string, string> }> = {
  OidcProvider: { ref: PROVIDER_ARN, attributes: { Arn: PROVIDER_ARN } },
  IdentityPool: { ref: POOL_ID, attributes: { Name: 'IdentityPool_abc', Id: POOL_ID } },
  AuthenticatedRole: { ref: 'stack-AuthenticatedRole-ABC123', attributes: { Arn: ROLE_ARN } },
  RoleAttachment: { ref: 'attachment-id', attributes: {} },
  DatasetTable: { ref: tableName, attributes: { Arn: TABLE_ARN } },
};
const pseudo: Record<string, string> = { 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws', 'AWS::StackName': 'stack' };

function ref(name: string, given: Record<string, string> = values): string {
  const value = given[name] ?? pseudo[name] ?? physical[name]?.ref;
  if (value === undefined) throw new Error(`Ref to ${name}, which is neither a parameter, a pseudo parameter nor a resource`);
  return value;
}

function getAtt(id: string, attribute: string): string {
  const value = physical[id]?.attributes[attribute];
  if (value === undefined) throw new Error(`Fn::GetAtt ${id}.${attribute} is not known`);
  return value;
}

/** A template condition (only Fn::Equals of resolved values is used) for these parameter values. */
function conditionTrue(name: string, given: Record<string, string>): boolean {
  const declaration = obj(conditions[name], `condition ${name}`);
  const equals = declaration['Fn::Equals'];
  if (!Array.isArray(equals) || equals.length !== 2) throw new Error(`condition ${name} is not an Fn::Equals of two values: extend conditionTrue()`);
  const [left, right] = equals.map((operand) => JSON.stringify(resolve(operand, given)));
  return left === right;
}

/**
 * Resolves Ref, Fn::GetAtt, Fn::Sub (string form) and Fn::If; a plain string is left alone, `${aws:...}`
 * policy variables included. `given`: the parameter values, the sample deployment's by default.
 */
function resolve(value: Json, given: Record<string, string> = values): Json {
  if (Array.isArray(value)) return value.map((item) => resolve(item, given));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys;
    const argument = value[fn ?? ''];
    if (fn === 'Ref') return ref(str(argument, 'Ref'), given);
    if (fn === 'Fn::If') {
      if (!Array.isArray(argument) || argument.length !== 3) throw new Error('Fn::If takes [condition, then, else]');
      const [condition, then, otherwise] = argument;
      return resolve((conditionTrue(str(condition, 'Fn::If condition'), given) ? then : otherwise) ?? null, given);
    }
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = strings(argument, 'Fn::GetAtt');
      return getAtt(id ?? '', attribute ?? '');
    }
    if (fn === 'Fn::Sub') {
      return str(argument, 'Fn::Sub (only the string form is used)').replace(/\$\{(!?)([^}]+)\}/g, (_all, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        const [id, attribute] = name.split('.');
        return attribute === undefined ? ref(name, given) : getAtt(id ?? '', attribute);
      });
    }
    if (fn?.startsWith('Fn::')) throw new Error(`${fn} is not resolved by this test: extend resolve()`);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, given)]));
}

const resolvedProperties = (id: string): JsonObject => obj(resolve(propertiesOf(id)), `${id}.Properties (resolved)`);

// ---------------------------------------------------------------------------------------------
// A small IAM evaluator: Allow statements, exact or glob Action/Resource, the condition operators used

interface IamRequest {
  action: string;
  resource: string;
  /** The dynamodb:LeadingKeys values of the request. */
  leadingKeys: string[];
}

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

function policyVariables(text: string, sub: string): string {
  return text.replaceAll(SUB_VARIABLE, sub);
}

function conditionHolds(condition: JsonObject | undefined, request: IamRequest, sub: string): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, tests]) =>
    Object.entries(obj(tests, operator)).every(([key, expected]) => {
      const allowed = strings(expected, `${operator} ${key}`).map((text) => policyVariables(text, sub));
      if (key !== 'dynamodb:LeadingKeys') throw new Error(`condition key ${key} is not evaluated by this test`);
      if (operator === 'ForAllValues:StringEquals') return request.leadingKeys.every((value) => allowed.includes(value));
      throw new Error(`condition operator ${operator} is not evaluated by this test`);
    }),
  );
}

function statementsOf(document: Json): JsonObject[] {
  const statement = obj(document, 'policy document')['Statement'];
  return (Array.isArray(statement) ? statement : [statement]).map((item, index) => obj(item, `Statement[${index}]`));
}

function allows(document: Json, request: IamRequest, sub: string): boolean {
  return statementsOf(document).some((statement) => {
    if (statement['Effect'] !== 'Allow') throw new Error('Deny statements are not evaluated by this test');
    const actions = strings(statement['Action'], 'Action');
    const resourcesOf = strings(statement['Resource'], 'Resource');
    return (
      actions.some((action) => glob(action, request.action, true)) &&
      resourcesOf.some((pattern) => glob(pattern, request.resource, false)) &&
      conditionHolds(isObject(statement['Condition']) ? statement['Condition'] : undefined, request, sub)
    );
  });
}

const role = resolvedProperties('AuthenticatedRole');
const rolePolicies = (Array.isArray(role['Policies']) ? role['Policies'] : []).map((policy, index) => obj(policy, `Policies[${index}]`));
/** The role's permissions as one document: every statement of every inline policy. */
const permissions: Json = { Version: '2012-10-17', Statement: rolePolicies.flatMap((policy) => statementsOf(policy['PolicyDocument'] ?? null)) };
const allowedActions = new Set(statementsOf(permissions).flatMap((statement) => strings(statement['Action'], 'Action')));

// ---------------------------------------------------------------------------------------------
// DynamoDB requests as IAM sees them

interface SentCommand {
  name: string;
  input: JsonObject;
}

function attributeString(value: Json | undefined): string {
  // IAM compares LeadingKeys as strings; a non-string key never equals an identity id.
  return isObject(value) && typeof value['S'] === 'string' ? value['S'] : JSON.stringify(value);
}

function tableResource(input: JsonObject): string {
  const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${str(input['TableName'], 'TableName')}`;
  return typeof input['IndexName'] === 'string' ? `${table}/index/${input['IndexName']}` : table;
}

/** The partition key of a Query's `pk = :v` (names may go through ExpressionAttributeNames). */
function queryLeadingKeys(input: JsonObject): string[] {
  const expression = str(input['KeyConditionExpression'], 'KeyConditionExpression');
  const names = isObject(input['ExpressionAttributeNames']) ? input['ExpressionAttributeNames'] : {};
  const valuesOf = obj(input['ExpressionAttributeValues'], 'ExpressionAttributeValues');
  const keys: string[] = [];
  for (const [, name, placeholder] of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const attribute = name?.startsWith('#') ? names[name] : name;
    if (attribute === 'pk' && placeholder) keys.push(attributeString(valuesOf[placeholder]));
  }
  return keys;
}

/** IAM checks TransactWriteItems part by part, as the action each part would be alone. */
const TRANSACTION_PARTS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

function iamRequestsOf(command: SentCommand): IamRequest[] {
  const { name, input } = command;
  const key = (of: Json | undefined): string => attributeString(obj(of, `${name} key`)['pk']);
  switch (name) {
    case 'GetItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [{ action: `dynamodb:${name.replace(/Command$/, '')}`, resource: tableResource(input), leadingKeys: [key(input['Key'])] }];
    case 'PutItemCommand':
      return [{ action: 'dynamodb:PutItem', resource: tableResource(input), leadingKeys: [key(input['Item'])] }];
    case 'QueryCommand':
      return [{ action: 'dynamodb:Query', resource: tableResource(input), leadingKeys: queryLeadingKeys(input) }];
    case 'TransactWriteItemsCommand': {
      const items = Array.isArray(input['TransactItems']) ? input['TransactItems'] : [];
      return items.map((item, index) => {
        const [[part, body] = ['', null]] = Object.entries(obj(item, `TransactItems[${index}]`));
        const action = TRANSACTION_PARTS[part];
        if (!action) throw new Error(`transaction part ${part} is not known`);
        const request = obj(body, part);
        return { action: `dynamodb:${action}`, resource: tableResource(request), leadingKeys: [key(request['Item'] ?? request['Key'])] };
      });
    }
    default:
      throw new Error(`${name}: add its IAM mapping to this test`);
  }
}

/** The same request in the local stack's terms (stack/dynamodb/policy.ts's Access). */
function stackAccess(request: IamRequest): { action: string; table: string | undefined; index: string | undefined; leadingKeys: unknown[] } {
  const table = /:table\/([^/]+)/.exec(request.resource)?.[1];
  const index = /\/index\/([^/]+)$/.exec(request.resource)?.[1];
  return { action: request.action.replace(/^dynamodb:/, ''), table, index, leadingKeys: request.leadingKeys.map((S) => ({ S })) };
}

function stackAllows(identityId: string, request: IamRequest): boolean {
  try {
    authorize(identityId, [stackAccess(request)]);
    return true;
  } catch {
    return false;
  }
}

// =============================================================================================

describe('deploy/cloudformation.json', () => {
  it('creates exactly the provider, the identity pool, its authenticated role and attachment, and the table', () => {
    const types = Object.fromEntries(Object.entries(resources).map(([id, declaration]) => [id, obj(declaration, id)['Type']]));
    expect(types).toEqual({
      OidcProvider: 'AWS::IAM::OIDCProvider',
      IdentityPool: 'AWS::Cognito::IdentityPool',
      AuthenticatedRole: 'AWS::IAM::Role',
      RoleAttachment: 'AWS::Cognito::IdentityPoolRoleAttachment',
      DatasetTable: 'AWS::DynamoDB::Table',
    });
  });

  it('takes the Auth0 domain, client id and thumbprint, and a table name defaulting to the extension default', () => {
    expect(Object.keys(parameters).sort()).toEqual(['AllowClassicFlow', 'Auth0Domain', 'ClientId', 'TableName', 'Thumbprint']);
    expect(obj(parameters['TableName'], 'TableName')['Default']).toBe(TABLE_NAME);
    expect(DEFAULT_SETTINGS.tableName).toBe(TABLE_NAME);
    for (const name of ['Auth0Domain', 'ClientId', 'Thumbprint']) expect(obj(parameters[name], name)['Default'], name).toBeUndefined();
    expect(str(obj(parameters['Thumbprint'], 'Thumbprint')['Description'], 'Description')).toContain('npm run thumbprint -- <Auth0Domain>');
  });

  describe('parameter patterns (CloudFormation anchors AllowedPattern to the whole value, as ^…$ here)', () => {
    const accepts = (name: string, value: string): boolean =>
      new RegExp(str(obj(parameters[name], name)['AllowedPattern'], `${name}.AllowedPattern`)).test(value);

    it('Auth0Domain takes a host name, never a URL or a trailing slash', () => {
      for (const good of ['your-tenant.us.auth0.com', 'login.example.com', 'a.b']) expect(accepts('Auth0Domain', good), good).toBe(true);
      for (const bad of ['https://your-tenant.us.auth0.com', 'your-tenant.us.auth0.com/', 'tenant', '-x.auth0.com', 'x.auth0.com:443', '']) {
        expect(accepts('Auth0Domain', bad), bad).toBe(false);
      }
    });

    it('Auth0Domain accepts only what the options page takes as a bare domain', () => {
      for (const domain of ['your-tenant.us.auth0.com', 'login.example.com', 'https://x.auth0.com', 'x.auth0.com/', 'tenant']) {
        if (accepts('Auth0Domain', domain)) expect(issuerFromDomain(domain)?.href, domain).toBe(`https://${domain}/`);
      }
    });

    it('Thumbprint takes 40 hex digits without colons', () => {
      expect(accepts('Thumbprint', SAMPLE.Thumbprint)).toBe(true);
      expect(accepts('Thumbprint', SAMPLE.Thumbprint.toLowerCase())).toBe(true);
      expect(accepts('Thumbprint', SAMPLE.Thumbprint.match(/../g)?.join(':') ?? '')).toBe(false);
      expect(accepts('Thumbprint', SAMPLE.Thumbprint.slice(1))).toBe(false);
    });

    it('TableName accepts the same names as the options page', () => {
      for (const name of ['ExtensionDatasets', 'my_table.v2-test', 'ab', 'x'.repeat(255), 'x'.repeat(256), 'bad name', 'ü-table']) {
        const optionsPage = validateSettings({ ...DEFAULT_SETTINGS, domain: 'x.auth0.com', clientId: 'c', identityPoolId: POOL_ID, tableName: name });
        const refused = optionsPage.ok ? false : optionsPage.problems.tableName !== undefined;
        expect(accepts('TableName', name), name).toBe(!refused);
      }
    });

    it('ClientId refuses spaces and an empty value', () => {
      expect(accepts('ClientId', SAMPLE.ClientId)).toBe(true);
      expect(accepts('ClientId', 'has space')).toBe(false);
      expect(accepts('ClientId', '')).toBe(false);
    });
  });

  it('registers https://<domain> for the client with the thumbprint; Cognito then names it as the extension sends Logins', () => {
    const provider = resolvedProperties('OidcProvider');
    expect(provider).toEqual({ Url: `https://${SAMPLE.Auth0Domain}`, ClientIdList: [SAMPLE.ClientId], ThumbprintList: [SAMPLE.Thumbprint] });
    // Cognito's provider name is the provider URL without its scheme; the extension's Logins key is
    // the issuer (trailing slash and all, as Auth0 announces it) without scheme and slash.
    const issuer = issuerFromDomain(SAMPLE.Auth0Domain)?.href ?? '';
    expect(issuer).toBe(`https://${SAMPLE.Auth0Domain}/`);
    expect(str(provider['Url'], 'Url').replace(/^https:\/\//, '')).toBe(loginsKey(issuer));
  });

  it('makes an identity pool for that provider only, enhanced flow only, no guests', () => {
    expect(resolvedProperties('IdentityPool')).toEqual({
      AllowUnauthenticatedIdentities: false,
      AllowClassicFlow: false,
      OpenIdConnectProviderARNs: [PROVIDER_ARN],
    });
  });

  it('allows the basic (classic) flow only when AllowClassicFlow is "true", and not by default', () => {
    const declaration = obj(parameters['AllowClassicFlow'], 'AllowClassicFlow');
    expect(declaration['Default']).toBe('false');
    expect(strings(declaration['AllowedValues'], 'AllowedValues').sort()).toEqual(['false', 'true']);
    const pool = (given: Record<string, string>) => obj(resolve(propertiesOf('IdentityPool'), given), 'IdentityPool')['AllowClassicFlow'];
    expect(pool({ ...values, AllowClassicFlow: 'true' })).toBe(true);
    expect(pool({ ...values, AllowClassicFlow: 'false' })).toBe(false);
  });

  it('leaves the role and its trust policy the same with the basic flow on: the trust conditions guard both flows', () => {
    const withClassic = obj(resolve(propertiesOf('AuthenticatedRole'), { ...values, AllowClassicFlow: 'true' }), 'AuthenticatedRole');
    expect(withClassic).toEqual(role);
  });

  it('deploys the pool as the local stack starts it: basic flow off unless asked', async () => {
    const local = await startStack({ port: 0 });
    try {
      expect(local.config.allowClassicFlow).toBe(obj(parameters['AllowClassicFlow'], 'AllowClassicFlow')['Default'] === 'true');
    } finally {
      await local.close();
    }
  });

  it('attaches the role for authenticated identities only, with no role mappings', () => {
    expect(resolvedProperties('RoleAttachment')).toEqual({ IdentityPoolId: POOL_ID, Roles: { authenticated: ROLE_ARN } });
  });

  it('lets only this pool assume the role, and only for authenticated identities', () => {
    const statements = statementsOf(role['AssumeRolePolicyDocument'] ?? null);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL_ID },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ]);
  });

  it('gives the role nothing beyond its inline policy', () => {
    expect(Object.keys(role).sort()).toEqual(['AssumeRolePolicyDocument', 'Description', 'Policies']);
    const iamTypes = Object.values(resources).map((declaration) => obj(declaration, 'resource')['Type']);
    expect(iamTypes.filter((type) => type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy')).toEqual([]);
  });

  it('names no wildcard action and no resource but the table and its indexes', () => {
    const indexes = (CREATE_TABLE.LocalSecondaryIndexes ?? []).map((index) => `${TABLE_ARN}/index/${index.IndexName}`);
    for (const statement of statementsOf(permissions)) {
      expect(statement['Effect']).toBe('Allow');
      for (const action of strings(statement['Action'], 'Action')) expect(action).toMatch(/^dynamodb:[A-Za-z]+$/);
      expect(statement['NotAction']).toBeUndefined();
      expect(statement['NotResource']).toBeUndefined();
      for (const named of strings(statement['Resource'], 'Resource')) expect([TABLE_ARN, ...indexes]).toContain(named);
    }
    expect(new Set(statementsOf(permissions).flatMap((statement) => strings(statement['Resource'], 'Resource')))).toEqual(
      new Set([TABLE_ARN, ...indexes]),
    );
  });

  it('allows Query on the bySync index only, and the item actions on the table only', () => {
    const byAction = new Map<string, Set<string>>();
    for (const statement of statementsOf(permissions)) {
      for (const action of strings(statement['Action'], 'Action')) {
        for (const named of strings(statement['Resource'], 'Resource')) byAction.set(action, (byAction.get(action) ?? new Set()).add(named));
      }
    }
    expect(Object.fromEntries([...byAction].map(([action, named]) => [action, [...named]]))).toEqual({
      'dynamodb:Query': [`${TABLE_ARN}/index/bySync`],
      'dynamodb:GetItem': [TABLE_ARN],
      'dynamodb:PutItem': [TABLE_ARN],
      'dynamodb:UpdateItem': [TABLE_ARN],
    });
    const me = 'eu-west-1:11111111-1111-4111-8111-111111111111';
    for (const request of [
      { action: 'dynamodb:Query', resource: TABLE_ARN, leadingKeys: [me] },
      { action: 'dynamodb:GetItem', resource: `${TABLE_ARN}/index/bySync`, leadingKeys: [me] },
    ]) {
      expect(allows(permissions, request, me), `${request.action} ${request.resource}`).toBe(false);
      expect(stackAllows(me, request), `${request.action} ${request.resource} at the stack`).toBe(false);
    }
  });

  it("caps the table's on-demand throughput, as the local stack's table says", () => {
    const cap = obj(resolvedProperties('DatasetTable')['OnDemandThroughput'], 'OnDemandThroughput');
    expect(Object.keys(cap).sort()).toEqual(['MaxReadRequestUnits', 'MaxWriteRequestUnits']);
    for (const units of Object.values(cap)) expect(Number.isInteger(units) && typeof units === 'number' && units > 0).toBe(true);
  });

  it('confines every statement to the caller’s partition with ForAllValues:StringEquals on dynamodb:LeadingKeys', () => {
    for (const statement of statementsOf(permissions)) {
      expect(statement['Condition']).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [SUB_VARIABLE] },
      });
    }
  });

  it('is the policy the local stack enforces, action for action', () => {
    const template = [...allowedActions].map((action) => action.replace(/^dynamodb:/, '')).sort();
    expect([...DEPLOYED_ACTIONS].sort()).toEqual(template);
  });

  it('makes the table the local stack makes: pk/sk, LSI bySync on pk+sc, on-demand', () => {
    expect(resolvedProperties('DatasetTable')).toEqual(CREATE_TABLE);
  });

  it('keeps the table, and the data in it, when the stack is deleted or the table replaced', () => {
    expect(resource('DatasetTable')['DeletionPolicy']).toBe('Retain');
    expect(resource('DatasetTable')['UpdateReplacePolicy']).toBe('Retain');
  });

  it('outputs what the options page asks for, and those settings validate', () => {
    const resolved = obj(resolve(outputs), 'Outputs (resolved)');
    const out = (name: string): string => str(obj(resolved[name], name)['Value'], `${name}.Value`);
    expect(Object.keys(resolved).sort()).toEqual(['IdentityPoolId', 'Region', 'TableName']);
    expect({ pool: out('IdentityPoolId'), region: out('Region'), table: out('TableName') }).toEqual({
      pool: POOL_ID,
      region: REGION,
      table: tableName,
    });
    const settings = validateSettings({
      ...DEFAULT_SETTINGS,
      domain: SAMPLE.Auth0Domain,
      clientId: SAMPLE.ClientId,
      identityPoolId: out('IdentityPoolId'),
      tableName: out('TableName'),
    });
    expect(settings.ok).toBe(true);
    expect(regionOf(out('IdentityPoolId'))).toBe(out('Region'));
  });

  it('is deployed by docs/setup.md with every parameter that has no default, and read for every output', async () => {
    const setup = await readFile('docs/setup.md', 'utf8');
    expect(setup).toContain(`--template-file ${TEMPLATE_PATH}`);
    expect(setup).toContain('--capabilities CAPABILITY_IAM');
    const overrides = /--parameter-overrides ([^\n\\]+)/.exec(setup)?.[1] ?? '';
    const named = overrides
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('=')[0]);
    const required = Object.entries(parameters)
      .filter(([, declaration]) => obj(declaration, 'parameter')['Default'] === undefined)
      .map(([name]) => name);
    expect(named.sort()).toEqual(required.sort());
    for (const output of Object.keys(outputs)) expect(setup, output).toContain(`\`${output}\``);
  });

  // cfn-lint checks every property against CloudFormation's resource schemas (names, types, enums,
  // required properties, reference targets), which the tests above do not. It is a Python program that
  // Debian does not package: CI installs it (.ci/run) and must run it, so there a missing cfn-lint fails.
  // Elsewhere the structural check in test/support/cfn-structure.ts stands in for it.
  it('passes cfn-lint (without it, outside CI: the structural check of the resource types it uses)', async () => {
    if (!hasCfnLint()) {
      if (process.env['CI'] === 'true') throw new Error('cfn-lint is not installed, and CI must run it: pipx install cfn-lint (.ci/run does)');
      expect(checkTemplateStructure(template)).toEqual([]);
      return;
    }
    const { stdout } = await promisify(execFile)('cfn-lint', ['--format', 'json', TEMPLATE_PATH]);
    expect(JSON.parse(stdout)).toEqual([]);
  }, 120_000); // cfn-lint loads every resource schema first: tens of seconds on a busy machine.

  it('fails the structural check when a property, a reference or a required property is wrong', () => {
    const broken = structuredClone(template) as { Resources: Record<string, { Properties: Record<string, Json> }> };
    const table = broken.Resources['DatasetTable'];
    const pool = broken.Resources['IdentityPool'];
    if (!table || !pool) throw new Error('the template lost its table or its identity pool');
    table.Properties['BillingMode'] = 'ON_DEMAND';
    table.Properties['TableNme'] = 'typo';
    delete pool.Properties['AllowUnauthenticatedIdentities'];
    pool.Properties['OpenIdConnectProviderARNs'] = [{ Ref: 'OidcProviderr' }];
    expect(checkTemplateStructure(broken)).toEqual([
      'resource IdentityPool: required property AllowUnauthenticatedIdentities is missing',
      'IdentityPool.Properties.OpenIdConnectProviderARNs[0]: Ref to "OidcProviderr", which is no parameter, resource or pseudo parameter',
      'resource DatasetTable: BillingMode ON_DEMAND is not one of PROVISIONED, PAY_PER_REQUEST',
      'resource DatasetTable: AWS::DynamoDB::Table has no property TableNme',
    ]);
  });
});

function hasCfnLint(): boolean {
  try {
    execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe("the template's role policy and the extension's DynamoDB traffic", () => {
  let stack: Stack;
  let alice: StackIdentity;
  let bob: StackIdentity;
  const sent: SentCommand[] = [];

  beforeAll(async () => {
    stack = await startStack({ port: 0, memory: true });
    [alice, bob] = await Promise.all([signInAtStack(stack, 'alice'), signInAtStack(stack, 'bob')]);
    const client = createDynamoClient({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb, credentials: alice.credentials });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ name: context.commandName ?? '?', input: obj(JSON.parse(JSON.stringify(args.input)), 'input') });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const remote = createDynamoRemote({
      client,
      tableName: stack.config.tableName,
      identityId: alice.identityId,
      datasetName: 'Deploy.Template',
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined, random: () => 0 },
      now: () => Date.UTC(2026, 0, 1),
    });
    // Everything the sync backend does: a first commit, a later one with a removal, a full and a delta pull.
    const first = await remote.push({ baseSyncCount: 0, deviceId: 'device-a', patches: [{ key: 'a', value: '1', deviceModified: 1, syncCount: 0 }] });
    expect(first).toEqual({ status: 'committed', syncCount: 1 });
    const second = await remote.push({
      baseSyncCount: 1,
      deviceId: 'device-a',
      patches: [
        { key: 'a', value: null, deviceModified: 2, syncCount: 1 },
        { key: 'b', value: '', deviceModified: 3, syncCount: 0 },
      ],
    });
    expect(second).toEqual({ status: 'committed', syncCount: 2 });
    expect(
      await remote.push({ baseSyncCount: 1, deviceId: 'device-b', patches: [{ key: 'c', value: 'x', deviceModified: 4, syncCount: 0 }] }),
    ).toEqual({
      status: 'conflict',
    });
    expect((await remote.pull(0)).records.map((record) => record.key).sort()).toEqual(['a', 'b']);
    expect((await remote.pull(1)).syncCount).toBe(2);
    expect((await remote.pull(2)).records).toEqual([]);
    // The list of datasets and a deletion (docs/dataset-model.md, "Several datasets").
    const directory = createDynamoDirectory({
      client,
      tableName: stack.config.tableName,
      identityId: alice.identityId,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined, random: () => 0 },
      now: () => Date.UTC(2026, 0, 1),
    });
    expect((await directory.list()).map((dataset) => dataset.name)).toEqual(['Deploy.Template']);
    await directory.delete('Deploy.Template');
    expect(await directory.list()).toEqual([]);
    client.destroy();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const requests = (): IamRequest[] => sent.flatMap(iamRequestsOf);

  it('the traffic exercised GetItem, Query on the index and TransactWriteItems', () => {
    expect(new Set(sent.map((command) => command.name))).toEqual(new Set(['GetItemCommand', 'QueryCommand', 'TransactWriteItemsCommand']));
    expect(requests().some((request) => request.resource.endsWith('/index/bySync'))).toBe(true);
  });

  it('allows every request the extension sent (which the local stack accepted) for its own identity', () => {
    const refused = requests()
      .map((request) => ({ ...request, resource: request.resource.replace(`table/${stack.config.tableName}`, `table/${tableName}`) }))
      .filter((request) => !allows(permissions, request, alice.identityId));
    expect(refused).toEqual([]);
    expect(requests().every((request) => stackAllows(alice.identityId, request))).toBe(true);
  });

  it('allows exactly the actions the extension uses', () => {
    expect(new Set(requests().map((request) => request.action))).toEqual(allowedActions);
  });

  it('refuses each of those requests to another identity, as the local stack does', () => {
    for (const request of requests()) {
      expect(allows(permissions, request, bob.identityId), `${request.action} as bob`).toBe(false);
      expect(stackAllows(bob.identityId, request), `${request.action} as bob at the stack`).toBe(false);
    }
  });

  it('refuses what the extension never does: Scan, DeleteItem, batch calls, another table, a mixed partition', () => {
    const me = alice.identityId;
    const refusedByTemplate: IamRequest[] = [
      { action: 'dynamodb:Scan', resource: TABLE_ARN, leadingKeys: [] },
      { action: 'dynamodb:DeleteItem', resource: TABLE_ARN, leadingKeys: [me] },
      { action: 'dynamodb:BatchGetItem', resource: TABLE_ARN, leadingKeys: [me] },
      { action: 'dynamodb:BatchWriteItem', resource: TABLE_ARN, leadingKeys: [me] },
      { action: 'dynamodb:DescribeTable', resource: TABLE_ARN, leadingKeys: [] },
      { action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Other`, leadingKeys: [me] },
      { action: 'dynamodb:Query', resource: `${TABLE_ARN}/index/other`, leadingKeys: [me] },
      { action: 'dynamodb:PutItem', resource: TABLE_ARN, leadingKeys: [me, bob.identityId] },
      { action: 'dynamodb:PutItem', resource: TABLE_ARN, leadingKeys: ['{"N":"1"}'] },
    ];
    for (const request of refusedByTemplate) expect(allows(permissions, request, me), `${request.action} ${request.resource}`).toBe(false);
  });

  it('covers every DynamoDB command the extension source sends', async () => {
    // A new command in src/ (DeleteItem, BatchWriteItem...) needs the template's policy, and this test's traffic, to follow.
    const files = (await readdir('src', { recursive: true })).filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file));
    const used = new Set<string>();
    for (const file of files) {
      const source = await readFile(join('src', file), 'utf8');
      for (const [, imports] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-dynamodb'/g)) {
        for (const name of (imports ?? '').split(',').map((part) => part.trim())) if (/^\w+Command$/.test(name)) used.add(name);
      }
    }
    expect(used.size, `no DynamoDB command found under ${relative('.', 'src')}`).toBeGreaterThan(0);
    expect(used).toEqual(new Set(sent.map((command) => command.name)));
  });
});
