import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`): a test tool's own browser download fails here. */
export const CHROMIUM = '/usr/bin/chromium';

/** CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip. */
export const haveBrowser = existsSync(CHROMIUM) || process.env['CI'] === 'true';

/**
 * Headless, as root, on a closed network: without the background-networking flags Chromium keeps
 * trying Google's hosts and has its connections refused, many at a time.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless; Playwright gives every launch a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
