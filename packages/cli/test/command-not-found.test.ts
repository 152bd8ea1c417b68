import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closestCommand } from '../src/api/closest-command.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'run.js');
const COMMANDS = ['orders create', 'orders get', 'orders list', 'payments list', 'webhooks list', 'webhooks replay', 'listen', 'trigger'];

describe('an unknown command', () => {
  it('suggests the closest command, or none when nothing is close', () => {
    expect(closestCommand('ordrs list', COMMANDS)).toBe('orders list');
    expect(closestCommand('webhook replya', COMMANDS)).toBe('webhooks replay');
    expect(closestCommand('lisen', COMMANDS)).toBe('listen');
    expect(closestCommand('deploy everything', COMMANDS)).toBeUndefined();
  });

  it('is one line on stderr naming the closest command, with exit code 2, from the built bin (a script, no terminal)', async () => {
    const failure = await promisify(execFile)(process.execPath, [BIN, 'ordrs', 'list']).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect(failure!.stderr).toBe('USAGE_ERROR: "ordrs list" is not a pg-cli command. Did you mean pg-cli orders list? Run pg-cli --help for every command.\n');
  });
});
