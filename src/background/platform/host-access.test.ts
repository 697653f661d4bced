import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { createMemoryArea } from '../../shared/storage-item';
import { storageItems } from '../../shared/storage';
import { withHostAccess } from './host-access';

const settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.example.com',
  clientId: 'abc',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};

async function context(granted: (origin: string) => boolean) {
  const items = storageItems({ local: createMemoryArea(), session: createMemoryArea() });
  await items.settings.set(settings);
  const asked: string[] = [];
  const permissions = {
    remove: async () => true,
    contains: async ({ origins }: { origins: string[] }) => {
      asked.push(...origins);
      return origins.every(granted);
    },
  };
  return { ctx: { items, permissions }, asked };
}

const refused = () => new AppError('NETWORK', 'offline', { cause: new TypeError('Failed to fetch') });

describe('a failure told as the network', () => {
  it('is the site access turned off when a host the settings use is not granted, naming it', async () => {
    const { ctx } = await context((origin) => !origin.includes('tenant.example.com'));
    expect(await withHostAccess(ctx, refused())).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('reach tenant.example.com,'),
    });
  });

  it('stays the network when every host is granted, or when a server answered', async () => {
    const granted = await context(() => true);
    const error = refused();
    expect(await withHostAccess(granted.ctx, error)).toBe(error);
    // A DynamoDB 503 or a clock refusal is told as NETWORK too, but the host answered: nothing is asked.
    const none = await context(() => false);
    const answered = new AppError('NETWORK', 'busy', { cause: Object.assign(new Error('busy'), { $metadata: { httpStatusCode: 503 } }) });
    expect(await withHostAccess(none.ctx, answered)).toBe(answered);
    expect(none.asked).toEqual([]);
  });

  it('leaves other failures alone, and asks nothing without settings', async () => {
    const { ctx, asked } = await context(() => false);
    const other = new AppError('THROTTLED', 'slow down');
    expect(await withHostAccess(ctx, other)).toBe(other);
    await ctx.items.settings.remove();
    const error = refused();
    expect(await withHostAccess(ctx, error)).toBe(error);
    expect(asked).toEqual([]);
  });
});
