// Receives the pages' messages: checks the sender, dispatches to a handler, serialises errors.
import { AppError, serializeError } from '../shared/errors';
import { t } from '../shared/i18n';
import type { MessageReply } from '../shared/messages';

export interface Sender {
  id?: string;
  url?: string;
}

export interface OwnExtension {
  id: string;
  getURL(path: string): string;
}

/**
 * Only this extension's own pages may talk to the worker. A content script runs in a web page (its
 * `url` is the page's); another extension has another id. Both are refused: fail closed.
 */
export function isOwnPage(sender: Sender, self: OwnExtension): boolean {
  return sender.id === self.id && typeof sender.url === 'string' && sender.url.startsWith(self.getURL(''));
}

type Handler = (...args: never[]) => Promise<unknown>;

function isRequest(message: unknown): message is { type: string; args: unknown[] } {
  if (typeof message !== 'object' || message === null) return false;
  const { type, args } = message as { type?: unknown; args?: unknown };
  return typeof type === 'string' && Array.isArray(args);
}

export function createMessageListener<H extends Record<string, Handler>>(handlers: H, self: OwnExtension) {
  return (message: unknown, sender: Sender): Promise<MessageReply> => {
    const reply = async (): Promise<MessageReply> => {
      if (!isOwnPage(sender, self)) {
        throw new AppError('FORBIDDEN_SENDER', t('errorForbiddenSender'));
      }
      if (!isRequest(message) || !Object.hasOwn(handlers, message.type)) {
        throw new AppError('UNKNOWN_MESSAGE', t('errorUnknownMessage'));
      }
      const handler = handlers[message.type] as unknown as (...args: unknown[]) => Promise<unknown>;
      return { ok: true, value: await handler(...message.args) };
    };
    return reply().catch((error: unknown) => ({ ok: false, error: serializeError(error) }));
  };
}
