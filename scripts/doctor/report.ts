// The report: one line per check, the fix under each failure or warning; and the exit code.
import type { CheckResult, CheckStatus } from '../../src/shared/checks/types';

const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-', info: '•' };

export function formatReport(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const check of results) {
    lines.push(`${MARKS[check.status]} ${check.title}: ${check.detail}`);
    for (const line of check.lines ?? []) lines.push(`    ${line}`);
    if (check.fix !== undefined) lines.push(`    Fix: ${check.fix}`);
  }
  const count = (status: CheckStatus) => results.filter((check) => check.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  lines.push('');
  lines.push(
    failed === 0
      ? `No check failed${warned > 0 ? `; ${warned} warning${warned === 1 ? '' : 's'}` : ''}.`
      : `${failed} check${failed === 1 ? '' : 's'} failed${warned > 0 ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** 0 when no check failed (warnings allowed), 1 otherwise. */
export function exitCode(results: CheckResult[]): 0 | 1 {
  return results.some((check) => check.status === 'fail') ? 1 : 0;
}
