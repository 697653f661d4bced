// What cfn-lint would find in deploy/cloudformation.json, for machines without it: unknown keys, property
// names, kinds and required properties of the resource types the template uses (from CloudFormation's
// resource reference, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html),
// and every Ref, Fn::GetAtt, Fn::Sub variable and DependsOn pointing at something that exists.
// A resource type not listed here is itself a finding: add its schema, or install cfn-lint.

type Kind = 'string' | 'boolean' | 'number' | 'list' | 'object';

interface ResourceSchema {
  properties: Record<string, Kind>;
  required: string[];
  attributes: string[];
  enums?: Record<string, string[]>;
}

export const RESOURCE_SCHEMAS: Record<string, ResourceSchema> = {
  'AWS::IAM::OIDCProvider': {
    properties: { Url: 'string', ClientIdList: 'list', ThumbprintList: 'list', Tags: 'list' },
    required: [],
    attributes: ['Arn'],
  },
  'AWS::Cognito::IdentityPool': {
    properties: {
      AllowUnauthenticatedIdentities: 'boolean',
      AllowClassicFlow: 'boolean',
      CognitoEvents: 'object',
      CognitoIdentityProviders: 'list',
      CognitoStreams: 'object',
      DeveloperProviderName: 'string',
      IdentityPoolName: 'string',
      IdentityPoolTags: 'list',
      OpenIdConnectProviderARNs: 'list',
      PushSync: 'object',
      SamlProviderARNs: 'list',
      SupportedLoginProviders: 'object',
    },
    required: ['AllowUnauthenticatedIdentities'],
    attributes: ['Id', 'Name'],
  },
  'AWS::IAM::Role': {
    properties: {
      AssumeRolePolicyDocument: 'object',
      Description: 'string',
      ManagedPolicyArns: 'list',
      MaxSessionDuration: 'number',
      Path: 'string',
      PermissionsBoundary: 'string',
      Policies: 'list',
      RoleName: 'string',
      Tags: 'list',
    },
    required: ['AssumeRolePolicyDocument'],
    attributes: ['Arn', 'RoleId'],
  },
  'AWS::Cognito::IdentityPoolRoleAttachment': {
    properties: { IdentityPoolId: 'string', RoleMappings: 'object', Roles: 'object' },
    required: ['IdentityPoolId'],
    attributes: ['Id'],
  },
  'AWS::DynamoDB::Table': {
    properties: {
      AttributeDefinitions: 'list',
      BillingMode: 'string',
      ContributorInsightsSpecification: 'object',
      DeletionProtectionEnabled: 'boolean',
      GlobalSecondaryIndexes: 'list',
      ImportSourceSpecification: 'object',
      KeySchema: 'list',
      KinesisStreamSpecification: 'object',
      LocalSecondaryIndexes: 'list',
      OnDemandThroughput: 'object',
      PointInTimeRecoverySpecification: 'object',
      ProvisionedThroughput: 'object',
      ResourcePolicy: 'object',
      SSESpecification: 'object',
      StreamSpecification: 'object',
      TableClass: 'string',
      TableName: 'string',
      Tags: 'list',
      TimeToLiveSpecification: 'object',
      WarmThroughput: 'object',
    },
    required: ['KeySchema'],
    attributes: ['Arn', 'StreamArn'],
    enums: { BillingMode: ['PROVISIONED', 'PAY_PER_REQUEST'], TableClass: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] },
  },
};

const TOP_LEVEL = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Rules',
];
const RESOURCE_KEYS = [
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
];
const POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
const PARAMETER_TYPES = ['String', 'Number', 'List<Number>', 'CommaDelimitedList'];
const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value computed by CloudFormation ({"Ref": …}, {"Fn::…": …}): its kind is known only once deployed. */
function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
}

function kindOf(value: unknown): Kind | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'list';
  if (isObject(value)) return 'object';
  return undefined;
}

/** The findings, one sentence each; an empty list means the template passed. */
export function checkTemplateStructure(template: unknown): string[] {
  const findings: string[] = [];
  if (!isObject(template)) return ['the template is not a JSON object'];
  for (const key of Object.keys(template)) if (!TOP_LEVEL.includes(key)) findings.push(`unknown top-level section ${key}`);
  const parameters = isObject(template['Parameters']) ? template['Parameters'] : {};
  const resources = isObject(template['Resources']) ? template['Resources'] : {};
  const outputs = isObject(template['Outputs']) ? template['Outputs'] : {};
  if (Object.keys(resources).length === 0) findings.push('the template has no resources');

  for (const [name, declaration] of Object.entries(parameters)) {
    const type = isObject(declaration) ? declaration['Type'] : undefined;
    if (typeof type !== 'string' || !(PARAMETER_TYPES.includes(type) || type.startsWith('AWS::')))
      findings.push(`parameter ${name} has no valid Type`);
  }

  const schemaOf = (id: string): ResourceSchema | undefined => {
    const type = (resources[id] as Record<string, unknown> | undefined)?.['Type'];
    return typeof type === 'string' ? RESOURCE_SCHEMAS[type] : undefined;
  };

  const checkReferences = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) checkReferences(item, `${where}[${index}]`);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref') {
        if (typeof inner !== 'string' || !(inner in parameters || inner in resources || PSEUDO_PARAMETERS.includes(inner))) {
          findings.push(`${where}: Ref to ${JSON.stringify(inner)}, which is no parameter, resource or pseudo parameter`);
        }
      } else if (key === 'Fn::GetAtt') {
        const [id, attribute] = typeof inner === 'string' ? inner.split('.') : Array.isArray(inner) ? inner : [];
        const schema = typeof id === 'string' ? schemaOf(id) : undefined;
        if (typeof id !== 'string' || !(id in resources)) findings.push(`${where}: Fn::GetAtt on ${JSON.stringify(id)}, which is no resource`);
        else if (schema && (typeof attribute !== 'string' || !schema.attributes.includes(attribute))) {
          findings.push(`${where}: ${id} has no attribute ${JSON.stringify(attribute)}`);
        }
      } else if (key === 'Fn::Sub') {
        const [text, variables] = typeof inner === 'string' ? [inner, {}] : Array.isArray(inner) ? inner : [undefined, {}];
        if (typeof text !== 'string') findings.push(`${where}: Fn::Sub without a string`);
        else {
          for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const [id = '', attribute] = (match[1] ?? '').split('.');
            const local = isObject(variables) && id in variables;
            if (local) continue;
            if (attribute === undefined && !(id in parameters || id in resources || PSEUDO_PARAMETERS.includes(id))) {
              findings.push(`${where}: Fn::Sub names \${${id}}, which is no parameter, resource or pseudo parameter`);
            } else if (attribute !== undefined && !(id in resources && (schemaOf(id)?.attributes.includes(attribute) ?? true))) {
              findings.push(`${where}: Fn::Sub names \${${id}.${attribute}}, which is no resource attribute`);
            }
          }
        }
      }
      checkReferences(inner, `${where}.${key}`);
    }
  };

  for (const [id, declaration] of Object.entries(resources)) {
    if (!isObject(declaration)) {
      findings.push(`resource ${id} is not an object`);
      continue;
    }
    for (const key of Object.keys(declaration)) if (!RESOURCE_KEYS.includes(key)) findings.push(`resource ${id}: unknown key ${key}`);
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      const value = declaration[policy];
      if (value !== undefined && (typeof value !== 'string' || !POLICIES.includes(value)))
        findings.push(`resource ${id}: ${policy} ${JSON.stringify(value)} is not one of ${POLICIES.join(', ')}`);
    }
    const dependsOn = declaration['DependsOn'];
    for (const target of typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : []) {
      if (typeof target !== 'string' || !(target in resources))
        findings.push(`resource ${id}: DependsOn ${JSON.stringify(target)}, which is no resource`);
    }
    const type = declaration['Type'];
    const schema = typeof type === 'string' ? RESOURCE_SCHEMAS[type] : undefined;
    if (!schema) {
      findings.push(`resource ${id}: type ${JSON.stringify(type)} is not one this check knows (add it to test/support/cfn-structure.ts)`);
      continue;
    }
    const properties = declaration['Properties'] ?? {};
    if (!isObject(properties)) {
      findings.push(`resource ${id}: Properties is not an object`);
      continue;
    }
    for (const required of schema.required) if (!(required in properties)) findings.push(`resource ${id}: required property ${required} is missing`);
    for (const [name, value] of Object.entries(properties)) {
      const expected = schema.properties[name];
      if (!expected) findings.push(`resource ${id}: ${String(type)} has no property ${name}`);
      else if (!isIntrinsic(value) && kindOf(value) !== expected)
        findings.push(`resource ${id}: ${name} should be a ${expected}, not ${JSON.stringify(value)}`);
      const allowed = schema.enums?.[name];
      if (allowed && typeof value === 'string' && !allowed.includes(value))
        findings.push(`resource ${id}: ${name} ${value} is not one of ${allowed.join(', ')}`);
    }
    checkReferences(properties, `${id}.Properties`);
  }

  for (const [name, output] of Object.entries(outputs)) {
    if (!isObject(output) || output['Value'] === undefined) findings.push(`output ${name} has no Value`);
    else checkReferences(output, `Outputs.${name}`);
  }
  return findings;
}
