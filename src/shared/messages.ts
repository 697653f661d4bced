// The message protocol, derived from the worker's handlers: no hand-kept schema.
import type { Handlers } from '../background/worker';
import { deserializeError, isSerializedError, type SerializedError } from './errors';
import { AppError } from './errors';
import { t } from './i18n';

export type MessageType = keyof Handlers;
export type MessageArgs<K extends MessageType> = Parameters<Handlers[K]>;
export type MessageResult<K extends MessageType> = Awaited<ReturnType<Handlers[K]>>;

/** Wire format of a request. */
export interface MessageRequest<K extends MessageType = MessageType> {
  type: K;
  args: MessageArgs<K>;
}

/** Wire format of a reply. */
export type MessageReply<T = unknown> = { ok: true; value: T } | { ok: false; error: SerializedError };

export function isMessageReply(value: unknown): value is MessageReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: unknown };
  // A handler that returns nothing arrives without `value`: messages are JSON, which drops undefined.
  return reply.ok === true || (reply.ok === false && isSerializedError(reply.error));
}

export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
}

export type Send = <K extends MessageType>(type: K, ...args: MessageArgs<K>) => Promise<MessageResult<K>>;

/** `send('name', ...args)` for the pages: typed end to end, errors rethrown as AppError. */
export function createSender(runtime: RuntimeLike): Send {
  return async <K extends MessageType>(type: K, ...args: MessageArgs<K>): Promise<MessageResult<K>> => {
    const request: MessageRequest<K> = { type, args };
    let reply: unknown;
    try {
      reply = await runtime.sendMessage(request);
    } catch (cause) {
      throw new AppError('INTERNAL', t('errorWorkerSilent'), { cause });
    }
    if (!isMessageReply(reply)) {
      throw new AppError('INTERNAL', t('errorWorkerGarbled'), { cause: reply });
    }
    if (!reply.ok) throw deserializeError(reply.error);
    return reply.value as MessageResult<K>;
  };
}
