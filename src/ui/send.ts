// The pages' end of the message protocol.
import { browser } from './browser';
import { createSender } from '../shared/messages';

export const send = createSender(browser.runtime);
