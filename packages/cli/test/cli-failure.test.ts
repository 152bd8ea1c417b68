import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayUnreachableError, PaygateApiError } from '@paygate/client';
import { CLI_EXIT_CODES, UsageError, failureOf, formatFailure } from '../src/api/cli-failure.js';
import { DEFAULT_API_URL, MissingCredentialError, profilePath, readProfile, resolveCredentials, writeProfile } from '../src/api/credentials.js';

const context = { bin: 'pg-cli', commandId: 'orders get', apiUrl: 'http://127.0.0.1:8000' };
const lineOf = (error: unknown) => formatFailure(failureOf(error, context)!);

describe('the one error line and its exit code', () => {
  it('renders gateway refusals as CODE: description (field). hint, with the table exit code', () => {
    const invalid = new PaygateApiError(400, { code: 'BAD_REQUEST_ERROR', description: 'amount must be a positive integer.', field: 'amount' });
    expect(lineOf(invalid)).toBe('BAD_REQUEST_ERROR: amount must be a positive integer (amount). Run pg-cli orders get --help for the flags and examples.');
    expect(failureOf(invalid, context)!.exitCode).toBe(2);
    expect(failureOf(new PaygateApiError(401, { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' }), context)!.exitCode).toBe(3);
    expect(failureOf(new PaygateApiError(404, { code: 'NOT_FOUND_ERROR', description: 'No order x' }), context)!.exitCode).toBe(4);
    expect(failureOf(new PaygateApiError(500, { code: 'SOMETHING_NEW', description: 'x' }), context)!.exitCode).toBe(1);
  });

  it('gives an unreachable gateway, a bad command line and half a credential pair their own codes', () => {
    const unreachable = failureOf(new GatewayUnreachableError('http://127.0.0.1:9/api/v1/orders', 'ECONNREFUSED'), context)!;
    expect(unreachable.exitCode).toBe(CLI_EXIT_CODES.GATEWAY_UNREACHABLE);
    expect(formatFailure(unreachable)).toMatch(
      /^GATEWAY_UNREACHABLE: The gateway at http:\/\/127\.0\.0\.1:9 did not answer \(ECONNREFUSED\)\. Start one with pg-cli dev/,
    );
    expect(failureOf(new UsageError('--expiry must be MM/YY', 'expiry'), context)).toMatchObject({ code: 'USAGE_ERROR', exitCode: 2 });
    expect(failureOf(new MissingCredentialError('--api-secret'), context)).toMatchObject({ field: '--api-secret', exitCode: 2 });
    // oclif's parse errors span lines; the line does not.
    const parse = Object.assign(new Error('The following error occurred:\n  \u001b[2mMissing required flag amount\u001b[22m\nSee more help with --help'), {
      parse: {},
    });
    expect(lineOf(parse)).toBe('USAGE_ERROR: Missing required flag amount. Run pg-cli orders get --help for the flags and examples.');
    expect(failureOf(new TypeError('a bug'), context)).toBeUndefined();
    expect(new Set([2, CLI_EXIT_CODES.AUTHENTICATION_ERROR, CLI_EXIT_CODES.NOT_FOUND_ERROR, CLI_EXIT_CODES.GATEWAY_UNREACHABLE]).size).toBe(4);
  });
});

describe('credentials: flag or env, then the saved profile, then the seed merchant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-cli-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves in that order, and uses a profile only with its own gateway', () => {
    const profile = { api_url: 'http://127.0.0.1:9000', api_key: 'key_saved', api_secret: 'secret_saved' };
    expect(resolveCredentials({}, undefined)).toEqual({ apiUrl: DEFAULT_API_URL, apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789', source: 'seed' });
    expect(resolveCredentials({}, profile)).toMatchObject({ apiUrl: 'http://127.0.0.1:9000', apiKey: 'key_saved', source: 'profile' });
    expect(resolveCredentials({ apiKey: 'k', apiSecret: 's' }, profile)).toMatchObject({ apiKey: 'k', apiSecret: 's', source: 'flags' });
    expect(resolveCredentials({ apiUrl: 'http://127.0.0.1:8000' }, profile)).toMatchObject({ apiKey: 'key_test_abc123', source: 'seed' });
    expect(() => resolveCredentials({ apiKey: 'k' }, profile)).toThrow(MissingCredentialError);
  });

  it('writes the profile 0600 and reads it back', async () => {
    const path = profilePath(join(dir, 'paygate'));
    await writeProfile(path, { api_url: 'http://x', api_key: 'k', api_secret: 's' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await readProfile(path)).toEqual({ api_url: 'http://x', api_key: 'k', api_secret: 's' });
    expect(await readProfile(join(dir, 'none.json'))).toBeUndefined();
  });
});
