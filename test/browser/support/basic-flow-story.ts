// The basic (classic) flow through the interface, written once for both browsers: a person enters a Role ARN
// on the options page, signs in, adds a record and syncs it; the credentials came from STS. A second profile
// of the same person, on the enhanced flow, sees the record: both flows reach the same identity's data.
import { expect } from 'vitest';
import type { Stack } from '../../../stack/index';
import { configure, type Profile } from './profiles';
import { shownError, signInFromPopup, syncNow } from './popup-actions';

export async function runBasicFlowStory(stack: Stack, open: (name: string) => Promise<Profile>): Promise<void> {
  const basic = await open('basic');
  const enhanced = await open('enhanced');
  try {
    await configure(basic, stack, {
      extra: [
        ['Role ARN (basic flow)', stack.config.roleArn],
        ['AWS account ID', '000000000000'],
        ['STS endpoint', stack.config.endpoints.sts],
      ],
    });
    stack.resetCounters();
    const alice = await signInFromPopup(basic, 'alice');
    await alice.waitForText('Alice Liddell');
    await expect.poll(() => stack.counters()['sts.AssumeRoleWithWebIdentity']?.requests ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const counters = stack.counters();
    expect(counters['cognito-identity.GetOpenIdToken']?.requests).toBe(1);
    expect(counters['sts.AssumeRoleWithWebIdentity']?.requests).toBe(1);
    expect(counters['cognito-identity.GetCredentialsForIdentity']).toBeUndefined();

    await alice.fill('New key', 'flow');
    await alice.fill('New value', 'basic');
    await alice.click('Add');
    await syncNow(alice);
    await expect.poll(() => alice.rowText('flow'), { timeout: 15_000 }).toMatch(/^flow basic Synced/);
    expect(await shownError(alice)).toBeNull();

    await configure(enhanced, stack);
    const again = await signInFromPopup(enhanced, 'alice');
    await syncNow(again);
    await expect.poll(() => again.rowText('flow'), { timeout: 15_000 }).toMatch(/^flow basic Synced/);
  } finally {
    await Promise.all([basic.close(), enhanced.close()]);
  }
}
