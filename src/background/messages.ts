// Receives the pages' messages: checks the sender, dispatches to a handler, serialises errors.
import { AppError, serializeError } from '../shared/errors';
import { t } from '../shared/i18n';
import type { MessageReply } from '../shared/messages';
import { isRecord } from './platform/protocol';

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

/** A handler as the receiver sees it: arguments unchecked, narrowed by the handler's guards (platform/protocol.ts). */
interface WireHandler {
  fromWire(args: readonly unknown[]): Promise<unknown>;
}

function isRequest(message: unknown): message is { type: string; args: unknown[] } {
  return isRecord(message) && typeof message['type'] === 'string' && Array.isArray(message['args']);
}

export function createMessageListener(handlers: Readonly<Record<string, WireHandler>>, self: OwnExtension) {
  return (message: unknown, sender: Sender): Promise<MessageReply> => {
    const reply = async (): Promise<MessageReply> => {
      if (!isOwnPage(sender, self)) {
        throw new AppError('FORBIDDEN_SENDER', t('errorForbiddenSender'));
      }
      const handler = isRequest(message) && Object.hasOwn(handlers, message.type) ? handlers[message.type] : undefined;
      if (!isRequest(message) || !handler) throw new AppError('UNKNOWN_MESSAGE', t('errorUnknownMessage'));
      return { ok: true, value: await handler.fromWire(message.args) };
    };
    return reply().catch((error: unknown) => ({ ok: false, error: serializeError(error) }));
  };
}
