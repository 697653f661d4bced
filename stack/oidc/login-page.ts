// The login interaction (/interaction/:uid): a plain form POST, seeded accounts, no consent step.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { escapeHtml, htmlPage } from '../html';
import { readBody, send } from '../http';
import { ACCOUNTS, authenticate } from './users';

const PATH = /^\/interaction\/([\w-]+)(\/login)?$/;

function loginForm(uid: string, username: string, failed: boolean): string {
  const alert = failed ? '<p role="alert">Wrong username or password.</p>' : '';
  const hint = ACCOUNTS.map((account) => `<code>${escapeHtml(account.username)}</code>`).join(', ');
  return htmlPage(
    'Sign in',
    `<h1>Sign in</h1>${alert}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="${escapeHtml(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
<p><small>Local stack accounts: ${hint}, password <code>password</code>.</small></p>`,
  );
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
}

export function createLoginPage(provider: Provider): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://stack').pathname);
    const isSubmit = req.method === 'POST' && match?.[2] !== undefined;
    if (!match || (req.method !== 'GET' && !isSubmit)) {
      sendHtml(res, 404, htmlPage('Not found', '<h1>Not found</h1>'));
      return;
    }
    // Undefined without the interaction cookie or once the interaction expired.
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details) {
      sendHtml(res, 400, htmlPage('Sign-in expired', '<h1>This sign-in has expired</h1><p>Start again from the extension.</p>'));
      return;
    }
    if (details.uid !== match[1] || details.prompt.name !== 'login') {
      sendHtml(res, 400, htmlPage('Unexpected sign-in step', `<h1>Unexpected sign-in step</h1><p>${escapeHtml(details.prompt.name)}</p>`));
      return;
    }
    if (!isSubmit) {
      const hint = details.params['login_hint'];
      sendHtml(res, 200, loginForm(details.uid, typeof hint === 'string' ? hint : '', false));
      return;
    }
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const username = form.get('username') ?? '';
    const account = authenticate(username, form.get('password') ?? '');
    if (!account) {
      sendHtml(res, 200, loginForm(details.uid, username, true));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  };
}
