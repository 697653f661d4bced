// The seeded accounts of the local identity provider.
import type { SeededUser } from '../types';

export interface Account extends SeededUser {
  /** Auth0-shaped subject: `<connection>|<id>`. */
  sub: string;
}

export const ACCOUNTS: readonly Account[] = [
  { sub: 'auth0|alice', username: 'alice', password: 'password', name: 'Alice Liddell', email: 'alice@example.com' },
  { sub: 'auth0|bob', username: 'bob', password: 'password', name: 'Bob Builder', email: 'bob@example.com' },
];

export function accountBySub(sub: string): Account | undefined {
  return ACCOUNTS.find((account) => account.sub === sub);
}

export function accountByUsername(username: string): Account | undefined {
  return ACCOUNTS.find((account) => account.username === username);
}

export function authenticate(username: string, password: string): Account | undefined {
  return ACCOUNTS.find((account) => account.username === username && account.password === password);
}

/** A served picture, so the extension shows an avatar without reaching the internet. */
export function avatarSvg(account: Account): string {
  const initial = account.name.charAt(0);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><rect width="96" height="96" rx="48" fill="#4d6bfe"/><text x="48" y="62" font-family="sans-serif" font-size="44" fill="#fff" text-anchor="middle">${initial}</text></svg>`;
}
