import type { Credentials } from './api.js';

/**
 * The signed-in credentials live in sessionStorage only: gone when the tab closes, never in a
 * cookie (nothing is sent without the page asking) nor in localStorage (other tabs, for good).
 */
const KEY = 'paygate.dashboard.credentials';

export function loadCredentials(): Credentials | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Credentials>;
    return typeof parsed.apiKey === 'string' && typeof parsed.apiSecret === 'string' ? { apiKey: parsed.apiKey, apiSecret: parsed.apiSecret } : undefined;
  } catch {
    return undefined;
  }
}

export function saveCredentials(credentials: Credentials): void {
  sessionStorage.setItem(KEY, JSON.stringify(credentials));
}

export function clearCredentials(): void {
  sessionStorage.removeItem(KEY);
}

/** Signing out must stick for this tab, even in development mode where the seed merchant signs in by itself. */
const SIGNED_OUT = 'paygate.dashboard.signed-out';

export function markSignedOut(value: boolean): void {
  if (value) sessionStorage.setItem(SIGNED_OUT, '1');
  else sessionStorage.removeItem(SIGNED_OUT);
}

export function isMarkedSignedOut(): boolean {
  return sessionStorage.getItem(SIGNED_OUT) === '1';
}
