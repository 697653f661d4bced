import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { createSender } from './messages';

describe('send()', () => {
  it('sends {type, args} and returns the value', async () => {
    const sent: unknown[] = [];
    const send = createSender({
      sendMessage: async (message) => {
        sent.push(message);
        return { ok: true, value: { version: '1.2.3' } };
      },
    });
    await expect(send('ping')).resolves.toEqual({ version: '1.2.3' });
    expect(sent).toEqual([{ type: 'ping', args: [] }]);
  });

  it('rethrows a serialised error as an AppError with its code', async () => {
    const send = createSender({ sendMessage: async () => ({ ok: false, error: { code: 'NOT_CONFIGURED', message: 'Set it up.' } }) });
    const error = await send('ping').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'NOT_CONFIGURED', message: 'Set it up.' });
  });

  it('carries the field a refusal is about across the boundary, and no field where it names none', async () => {
    const refused = { code: 'DATASET_LIMIT', message: 'Store a shorter value.', field: 'value' } as const;
    const send = createSender({ sendMessage: async () => JSON.parse(JSON.stringify({ ok: false, error: refused })) as unknown });
    const error = await send('ping').catch((e: unknown) => e);
    expect(error).toMatchObject(refused);
    expect((error as AppError).toJSON()).toEqual(refused);
    expect(new AppError('DATASET_LIMIT', 'Full.').toJSON()).toStrictEqual({ code: 'DATASET_LIMIT', message: 'Full.' });
  });

  it('turns a malformed reply into an INTERNAL error', async () => {
    const send = createSender({ sendMessage: async () => undefined });
    await expect(send('ping')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('accepts the reply of a handler that returns nothing, which JSON carries without a value', async () => {
    const send = createSender({ sendMessage: async () => JSON.parse(JSON.stringify({ ok: true, value: undefined })) as unknown });
    await expect(send('signOut')).resolves.toBeUndefined();
  });
});
