import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The gateway a fresh `pg-cli dev` serves. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8000';
/** The seed test merchant every development and test-mode gateway has (DESIGN.md "Test mode"). */
export const SEED_CREDENTIALS = { apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789' } as const;

/** What `pg-cli login` saves: the gateway and the merchant credentials to use with it. */
export type Profile = { api_url: string; api_key: string; api_secret: string };

export type ResolvedCredentials = {
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Where the key and secret came from, for messages ("…from the profile saved by pg-cli login"). */
  source: 'flags' | 'profile' | 'seed';
};

/** The profile file under the user's config dir (oclif's: `$XDG_CONFIG_HOME/paygate` or `~/.config/paygate`). */
export const profilePath = (configDir: string) => join(configDir, 'profile.json');

export async function readProfile(path: string): Promise<Profile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<Profile>;
  if (typeof parsed.api_url !== 'string' || typeof parsed.api_key !== 'string' || typeof parsed.api_secret !== 'string') {
    throw new Error(`${path} is not a profile saved by pg-cli login; run pg-cli login again`);
  }
  return { api_url: parsed.api_url, api_key: parsed.api_key, api_secret: parsed.api_secret };
}

/** Saves the profile readable by its owner only (0600): it holds an API secret. */
export async function writeProfile(path: string, profile: Profile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // mode is masked by the umask on creation only
  await rename(temporary, path);
}

const sameGateway = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * DESIGN.md's order: `--api-key`/`--api-secret` (oclif has already folded in PAYGATE_API_KEY and
 * PAYGATE_API_SECRET), then the profile saved by `pg-cli login`, then the seed test merchant, so a
 * fresh `pg-cli dev` needs no set-up. The URL: `--api-url`/PAYGATE_API_URL, then the profile's, then
 * the default. A profile's credentials are used only with the gateway it was saved for.
 */
export function resolveCredentials(
  given: { apiUrl?: string | undefined; apiKey?: string | undefined; apiSecret?: string | undefined },
  profile: Profile | undefined,
): ResolvedCredentials {
  const apiUrl = given.apiUrl ?? profile?.api_url ?? DEFAULT_API_URL;
  if (given.apiKey !== undefined || given.apiSecret !== undefined) {
    // Half a pair is a mistake to report, not to complete from elsewhere.
    if (given.apiKey === undefined || given.apiSecret === undefined) {
      const missing = given.apiKey === undefined ? '--api-key' : '--api-secret';
      throw new MissingCredentialError(missing);
    }
    return { apiUrl, apiKey: given.apiKey, apiSecret: given.apiSecret, source: 'flags' };
  }
  if (profile && sameGateway(profile.api_url, apiUrl)) return { apiUrl, apiKey: profile.api_key, apiSecret: profile.api_secret, source: 'profile' };
  return { apiUrl, ...SEED_CREDENTIALS, source: 'seed' };
}

/** One of the key and secret was given without the other. */
export class MissingCredentialError extends Error {
  override readonly name = 'MissingCredentialError';
  constructor(readonly flag: '--api-key' | '--api-secret') {
    super(`${flag} is missing: give --api-key and --api-secret together (or PAYGATE_API_KEY and PAYGATE_API_SECRET)`);
  }
}
