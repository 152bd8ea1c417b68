// A labelled counter's increment: prom-client's `inc({ label })`, which hashes and validates the
// labels object each time, against TalliedCounter's (src/tallied-counter.ts), a map update handed
// to prom-client at scrape time. Both counters end with the same values, printed as a scrape
// shows them. Needs `npm run build`:
//   node packages/server/bench/micro/counter-inc.mjs [2000000]
// Twenty-ninth sitting, a slow host: 222–228 ns an increment against 21.6–21.8 (three rounds).
// A loop keeps prom-client's call sites monomorphic; on the payment path they are not, and
// callgrind put its increments at 5,900 instructions a payment in a worker (two a payment).
import { Counter, Registry } from 'prom-client';
import { TalliedCounter } from '../../dist/tallied-counter.js';

const n = Number(process.argv[2] ?? 2_000_000);
const registry = new Registry();
const plain = new Counter({ name: 'plain_total', help: 'prom-client', labelNames: ['status'], registers: [registry] });
const tallied = new TalliedCounter({ name: 'tallied_total', help: 'tallied', labelName: 'status', registers: [registry] });
const statuses = ['success', 'failed'];
for (let round = 1; round <= 3; round += 1) {
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) plain.inc({ status: statuses[i & 1] });
  const plainNs = Number(process.hrtime.bigint() - start) / n;
  start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) tallied.inc(statuses[i & 1]);
  const talliedNs = Number(process.hrtime.bigint() - start) / n;
  console.log(`round ${round}: prom-client ${plainNs.toFixed(1)} ns an increment, tallied ${talliedNs.toFixed(1)} ns`);
}
console.log(
  (await registry.metrics())
    .split('\n')
    .filter((line) => /^(plain|tallied)_total\{/.test(line))
    .join('\n'),
);
