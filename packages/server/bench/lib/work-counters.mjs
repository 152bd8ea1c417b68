// Work per unit from two readings of a deployment's counters (PostgreSQL transactions, WAL
// bytes, Redis commands in all and by command, Redis's reads of client sockets): figures that
// machine load cannot move.

const per = (before, after, units) => Number(((after - (before ?? 0)) / units).toFixed(2));

export function workPerUnit(before, after, units) {
  const byCommand = Object.entries(after.redis_by_command ?? {})
    .map(([cmd, calls]) => [cmd, per(before.redis_by_command?.[cmd], calls, units)])
    .filter(([cmd, n]) => n > 0 && cmd !== 'info')
    .sort((a, b) => b[1] - a[1]);
  return {
    pg_xacts: per(before.pg_xacts, after.pg_xacts, units),
    // The whole server's WAL, not this database's alone: the bench is alone on the server, and
    // a checkpoint during the run adds its full-page images (a few percent; see performance.md).
    wal_bytes: Math.round((after.wal_bytes - before.wal_bytes) / units),
    redis_commands: per(before.redis_commands, after.redis_commands, units),
    // Not in runs before the thirty-fourth sitting.
    ...(after.redis_reads === undefined ? {} : { redis_reads: per(before.redis_reads, after.redis_reads, units) }),
    redis_by_command: Object.fromEntries(byCommand),
  };
}
