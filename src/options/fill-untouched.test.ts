import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, toForm } from '../shared/settings';
import { fillUntouched } from './fill-untouched';

const saved = { ...toForm(DEFAULT_SETTINGS), domain: 'tenant.eu.auth0.com', clientId: 'saved-client' };
// Storage could not be read: the first frame showed the defaults, and the person typed a client id.
const shown = { ...toForm(DEFAULT_SETTINGS), clientId: 'typed-client' };

describe('the worker’s settings arriving after the person started editing', () => {
  it('fill every field the person has not changed, and keep the ones they typed', () => {
    const form = fillUntouched(saved, shown, new Set(['clientId'] as const));
    expect(form.clientId).toBe('typed-client');
    expect(form.domain).toBe('tenant.eu.auth0.com');
  });

  it('fill the whole form when nothing was changed', () => {
    expect(fillUntouched(saved, shown, new Set())).toEqual(saved);
  });

  it('leave a form that was imported, reset or saved as it is', () => {
    expect(fillUntouched(saved, shown, 'all')).toEqual(shown);
  });
});
