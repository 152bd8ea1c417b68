import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesLoadedBy } from '../../server/test/helpers/loaded-files.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'run.js');

describe('what a client command loads', () => {
  it('loads neither zod nor tRPC: commands that talk to a gateway over REST start without them', async () => {
    // A gateway that is not there: the command loads all it needs, then fails to connect (exit 6).
    const { files, exitCode } = await filesLoadedBy([BIN, 'orders', 'list', '--json', '--api-url', 'http://127.0.0.1:9']);

    expect(exitCode).toBe(6);
    expect(files.some((file) => file.includes('/packages/client/') || file.includes('/node_modules/@paygate/client/'))).toBe(true); // the record works
    expect(files.filter((file) => /\/node_modules\/(zod|@trpc\/[^/]+)\//.test(file))).toEqual([]);
  });
});
