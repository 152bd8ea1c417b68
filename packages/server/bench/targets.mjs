#!/usr/bin/env node
// Judges bench runs against the performance issue's targets: one column per run, and whether each
// target was met in all of them. Exit 0 when every target was, 1 otherwise.
//   node packages/server/bench/targets.mjs RUN.json... [--json]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatTable } from './lib/report.mjs';
import { judgeTargets } from './lib/targets.mjs';

const { values, positionals } = parseArgs({
  options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help || positionals.length === 0) {
  console.log(`Judges bench runs against the performance targets (the issue asks for three consecutive runs).

  node packages/server/bench/targets.mjs RUN.json... [--json]

Each RUN.json is what \`npm run bench -- --out RUN.json\` wrote (a full run: a run made with --only
lacks the sections it skipped, and a target it did not measure is not met). Prints each target's
figure in every run and "yes" where it was met in all of them; exits 0 when every target was.

Example:
  for i in 1 2 3; do npm run bench -- --payments 5000 --out /tmp/run-$i.json; done
  node packages/server/bench/targets.mjs /tmp/run-1.json /tmp/run-2.json /tmp/run-3.json`);
  process.exit(values.help ? 0 : 2);
}

let runs;
try {
  runs = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')));
} catch (error) {
  console.error(`Could not read a run: ${error.message}. Pass the JSON files the bench wrote with --out.`);
  process.exit(2);
}
const judged = judgeTargets(runs);
if (values.json) console.log(JSON.stringify(judged, null, 2));
else {
  const head = ['target', 'wanted', ...positionals.map((_, i) => `run ${i + 1}`), 'met in all'];
  console.log(
    formatTable(
      judged.map((t) => [t.target, t.wanted, ...t.runs, t.met ? 'yes' : 'no']),
      head,
    ),
  );
}
process.exitCode = judged.every((t) => t.met) ? 0 : 1;
