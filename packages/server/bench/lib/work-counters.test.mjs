import { describe, expect, it } from 'vitest';
import { workPerUnit } from './work-counters.mjs';

describe('workPerUnit', () => {
  const before = { pg_xacts: 100, wal_bytes: 1_000, redis_commands: 50, redis_reads: 40, redis_by_command: { lpush: 10, info: 3 } };

  it('divides each counter by the units, commands by name without the bench’s own INFO', () => {
    const after = { pg_xacts: 300, wal_bytes: 7_300, redis_commands: 350, redis_reads: 260, redis_by_command: { lpush: 110, lrem: 100, info: 9 } };
    expect(workPerUnit(before, after, 100)).toEqual({
      pg_xacts: 2,
      wal_bytes: 63,
      redis_commands: 3,
      redis_reads: 2.2,
      redis_by_command: { lpush: 1, lrem: 1 },
    });
  });

  it('leaves Redis’s reads out where a deployment does not count them (embedded mode, older runs)', () => {
    const work = workPerUnit({ pg_xacts: 0, wal_bytes: 0 }, { pg_xacts: 10, wal_bytes: 100 }, 10);
    expect(work).not.toHaveProperty('redis_reads');
    expect(work.pg_xacts).toBe(1);
  });
});
