import { describe, expect, it } from 'vitest';
import { AttemptSuperseded, attemptWrites } from './attempt';

describe('the writes of a sign-in attempt', () => {
  it('run while the attempt is current, and are refused, unrun, once a newer one replaced it', async () => {
    let current = true;
    const write = attemptWrites(() => current);
    const ran: string[] = [];
    await expect(write(async () => ran.push('state'))).resolves.toBe(1);
    current = false;
    await expect(write(async () => ran.push('tokens'))).rejects.toBeInstanceOf(AttemptSuperseded);
    expect(ran).toEqual(['state']);
  });
});
