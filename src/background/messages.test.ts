import { describe, expect, it } from 'vitest';
import { createMessageListener } from './messages';
import { handler, isString, noArgs } from './platform/protocol';

const self = { id: 'our-id', getURL: (path: string) => `chrome-extension://our-id/${path}` };
let calls = 0;
const handlers = {
  echo: handler(
    (args) => [args.take(isString)],
    async (text: string) => {
      calls += 1;
      return `echo: ${text}`;
    },
  ),
};
const listen = createMessageListener(handlers, self);
const ownPage = { id: 'our-id', url: 'chrome-extension://our-id/popup/index.html' };

describe('the worker’s message listener', () => {
  it('answers our own pages', async () => {
    await expect(listen({ type: 'echo', args: ['hi'] }, ownPage)).resolves.toEqual({ ok: true, value: 'echo: hi' });
  });

  it('refuses a content script running in a web page', async () => {
    const reply = await listen({ type: 'echo', args: ['hi'] }, { id: 'our-id', url: 'https://evil.example/' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses another extension, even from a page of the same path', async () => {
    const reply = await listen({ type: 'echo', args: ['hi'] }, { id: 'other', url: 'chrome-extension://other/popup/index.html' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses a sender without a URL', async () => {
    const reply = await listen({ type: 'echo', args: ['hi'] }, { id: 'our-id' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses an unknown or malformed message without calling anything', async () => {
    await expect(listen({ type: 'toString', args: [] }, ownPage)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_MESSAGE' } });
    await expect(listen('echo', ownPage)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_MESSAGE' } });
  });

  it('serialises a handler’s failure with its code', async () => {
    const failing = createMessageListener(
      {
        fail: handler(noArgs, async () => {
          throw new Error('boom');
        }),
      },
      self,
    );
    await expect(failing({ type: 'fail', args: [] }, ownPage)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('refuses a wrong-typed, missing or extra argument with INVALID_INPUT, without calling the handler', async () => {
    const before = calls;
    await expect(listen({ type: 'echo', args: [42] }, ownPage)).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(listen({ type: 'echo', args: [] }, ownPage)).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(listen({ type: 'echo', args: ['hi', 'more'] }, ownPage)).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toBe(before);
  });
});
