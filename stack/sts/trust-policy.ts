// The trust policy of a role, evaluated as IAM evaluates it for sts:AssumeRoleWithWebIdentity with a token
// of cognito-identity.amazonaws.com: an explicit Deny wins, else one Allow statement whose principal, action
// and every condition match. Condition keys are the token's `aud`, `sub` and `amr` under
// `cognito-identity.amazonaws.com:`. Operators the stack does not know make a statement fail closed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
import { isObject } from '../http';

export const COGNITO_PRINCIPAL = 'cognito-identity.amazonaws.com';
const ACTION = 'sts:AssumeRoleWithWebIdentity';

/** The request context: condition key → its values (one for aud and sub, several for amr). */
export type TrustContext = Record<string, string[]>;

function listOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return undefined;
}

/** IAM's `*` and `?` wildcards, case-sensitive, whole string. */
function like(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

const MATCHERS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (expected, actual) => expected === actual,
  StringLike: like,
  StringEqualsIgnoreCase: (expected, actual) => expected.toLowerCase() === actual.toLowerCase(),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
};

/** One `"Operator": { key: values }` entry; every key must hold (AND), any value may match (OR). */
function conditionHolds(operator: string, block: unknown, context: TrustContext): boolean {
  if (!isObject(block)) return false;
  const [qualifier, name] = operator.includes(':') ? operator.split(':', 2) : [undefined, operator];
  if (name === undefined || (qualifier !== undefined && qualifier !== 'ForAnyValue' && qualifier !== 'ForAllValues')) return false;
  const positive = NEGATED[name] ?? name;
  const match = MATCHERS[positive];
  if (!match) return false;
  const negated = positive !== name;
  return Object.entries(block).every(([key, raw]) => {
    const expected = listOf(raw);
    if (!expected) return false;
    const actual = context[key] ?? [];
    const matchesOne = (value: string) => expected.some((pattern) => match(pattern, value));
    if (qualifier === 'ForAllValues') return actual.every((value) => (negated ? !matchesOne(value) : matchesOne(value)));
    if (qualifier === 'ForAnyValue') return actual.some((value) => (negated ? !matchesOne(value) : matchesOne(value)));
    // A single-valued operator: a missing key fails (or passes, negated); a key with several values never matches.
    if (actual.length === 0) return negated;
    if (actual.length > 1) return false;
    const [value] = actual;
    return value !== undefined && (negated ? !matchesOne(value) : matchesOne(value));
  });
}

function principalMatches(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return (listOf(principal['Federated']) ?? []).includes(COGNITO_PRINCIPAL);
}

function actionMatches(action: unknown): boolean {
  return (listOf(action) ?? []).some((pattern) => like(pattern.toLowerCase(), ACTION.toLowerCase()));
}

function statementApplies(statement: Record<string, unknown>, context: TrustContext): boolean {
  if (!principalMatches(statement['Principal']) || !actionMatches(statement['Action'])) return false;
  const conditions = statement['Condition'];
  if (conditions === undefined) return true;
  if (!isObject(conditions)) return false;
  return Object.entries(conditions).every(([operator, block]) => conditionHolds(operator, block, context));
}

/** Whether the trust policy lets a token with this context assume the role. */
export function trustAllows(policy: unknown, context: TrustContext): boolean {
  const statements = isObject(policy) && Array.isArray(policy['Statement']) ? policy['Statement'] : [];
  const applying = statements.filter(
    (statement): statement is Record<string, unknown> => isObject(statement) && statementApplies(statement, context),
  );
  if (applying.some((statement) => statement['Effect'] === 'Deny')) return false;
  return applying.some((statement) => statement['Effect'] === 'Allow');
}

/**
 * IAM refuses to create or change a role whose trust policy lets cognito-identity.amazonaws.com assume it for
 * every identity pool: each Allow statement that trusts it must condition on `cognito-identity.amazonaws.com:aud`
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html, "Setting up trust policies").
 * The stack refuses such a role at start, as IAM would have at its creation. `undefined` when it is acceptable.
 */
export function unscopedTrustProblem(policy: unknown): string | undefined {
  const statements = isObject(policy) && Array.isArray(policy['Statement']) ? policy['Statement'] : [];
  const audKey = `${COGNITO_PRINCIPAL}:aud`;
  for (const statement of statements) {
    if (!isObject(statement) || statement['Effect'] !== 'Allow') continue;
    // `*` trusts Cognito too (principalMatches above).
    if (!principalMatches(statement['Principal'])) continue;
    const conditions = statement['Condition'];
    // A positive comparison of aud: not a negated one, nor `Null` (which only asks whether the key is there).
    const scoped =
      isObject(conditions) &&
      Object.entries(conditions).some(
        ([operator, block]) => !operator.includes('Not') && !operator.endsWith('Null') && isObject(block) && Object.hasOwn(block, audKey),
      );
    if (!scoped) return `a statement trusts ${COGNITO_PRINCIPAL} without a condition on ${audKey}: IAM refuses such a trust policy`;
  }
  return undefined;
}
