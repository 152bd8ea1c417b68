// PostgreSQL's CPU per call of a statement kept planned (a PL/pgSQL function, as plan-cached.ts
// makes them), the call sent unnamed (parsed, analysed and planned each time) against a named
// prepared statement (parsed once per connection). One connection to a scratch database of the
// local PostgreSQL; the backend's CPU is read from /proc, so run it on the database's host:
//   node packages/server/bench/micro/named-call.mjs 20000
// Prints three alternated rounds of each: the backend's µs of CPU per call, and the wall time per
// call as the client sees it. PAYGATE_TEST_POSTGRES_URL picks another server, as for the whole bench
// (default: 127.0.0.1, postgres).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { ADMIN_URL as url } from '../lib/database.mjs';

const calls = Number(process.argv[2] ?? 20_000);
const scratch = `paygate_micro_named_call_${process.pid}`;

const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch}`);
const client = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: `/${scratch}` }).href });
try {
  await client.connect();
  // The shape of the payment path's functions: a JSON batch, a count and a time in; rows out.
  await client.query(`CREATE FUNCTION micro_rows(batch jsonb, n int, at timestamptz) RETURNS TABLE (id text, moved boolean)
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
    AS $f$ BEGIN RETURN QUERY SELECT x->>'id', true FROM jsonb_array_elements(batch) x; END $f$`);
  const { pid } = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0];
  // utime + stime of the backend, in clock ticks of 10 ms: many calls a round make that fine enough.
  const backendCpuMs = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const text = 'SELECT * FROM micro_rows($1::jsonb, $2::int, $3::timestamptz)';
  const values = [JSON.stringify([{ id: 'pay_1' }]), 1, new Date()];
  const round = async (named) => {
    const cpu = backendCpuMs();
    const wall = performance.now();
    for (let i = 0; i < calls; i += 1) await client.query(named ? { name: 'micro_rows', text, values } : { text, values });
    const us = (ms) => ((ms * 1000) / calls).toFixed(1);
    console.log(`${named ? 'named  ' : 'unnamed'}  backend CPU ${us(backendCpuMs() - cpu)} µs a call, wall ${us(performance.now() - wall)} µs a call`);
  };
  for (let r = 0; r < 3; r += 1) {
    await round(false);
    await round(true);
  }
} finally {
  await client.end();
  await admin.query(`DROP DATABASE ${scratch}`);
  await admin.end();
}
