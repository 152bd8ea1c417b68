// Instruction count of id generation, which machine load cannot move. Run it under callgrind
// with N calls and with 0, and divide the difference by N (needs `npm run build`):
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.n node packages/server/bench/micro/new-id.mjs 200000
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.0 node packages/server/bench/micro/new-id.mjs 0
// ("I refs" in each run's summary; expect a few minutes each on a busy machine.)
import { newId } from '@paygate/core';

const n = Number(process.argv[2] ?? 200_000);
let length = 0;
for (let i = 0; i < n; i += 1) length += newId('payment').length;
console.log(`${n} ids, ${length} characters`);
