import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nameAt, readPerfMap } from './callgrind-counts.mjs';

const dir = mkdtempSync(join(tmpdir(), 'paygate-perf-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("naming compiled JavaScript by a perf map's addresses", () => {
  // V8 writes a line each time it puts code somewhere: `resolve` lived at 0x1080 during start-up,
  // its space was freed and reused, and `toPaymentDto` was put at 0x1000, over it, later on.
  const file = join(dir, 'perf.map');
  writeFileSync(file, ['1080 40 JS:~resolve node:path:1', '2000 100 JS:~join node:path:2', '1000 200 JS:*toPaymentDto wire.js:3', ''].join('\n'));
  const ranges = readPerfMap(file);

  it('names an address after the code V8 put there last, not the range that starts nearest below it', () => {
    expect(nameAt(ranges, 0x1090)).toBe('JS:toPaymentDto wire.js:3');
  });

  it('names code that nothing replaced, and says when nothing holds the address', () => {
    expect(nameAt(ranges, 0x1010)).toBe('JS:toPaymentDto wire.js:3');
    expect(nameAt(ranges, 0x2050)).toBe('JS:join node:path:2');
    expect(nameAt(ranges, 0x3000)).toBe('0x3000 (not in the map)');
  });
});
