#!/usr/bin/env node
// Summarises V8 CPU profiles (from `npm run bench -- --profile DIR`): self time by function and
// by package/file, so "where does the CPU go per payment" has an answer without DevTools.
//   node packages/server/bench/profile-summary.mjs DIR_OR_FILE... [--top 25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help || positionals.length === 0) {
  console.log(
    'Usage: node packages/server/bench/profile-summary.mjs DIR_OR_FILE... [--top N]\nExample: node packages/server/bench/profile-summary.mjs /tmp/prof',
  );
  process.exit(values.help ? 0 : 2);
}
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(p, f))
    : [p],
);

/** Where a script lives, coarsely: a package under node_modules, our source file, or node itself. */
function placeOf(url) {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const ours = /packages\/([^/]+)\/dist\/(.*)$/.exec(url);
  if (ours) return `@paygate/${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map();
  const place = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame: cf } = byId.get(id);
    const name = cf.functionName || '(anonymous)';
    if (['(idle)', '(program)', '(garbage collector)'].includes(name)) {
      fn.set(name, (fn.get(name) ?? 0) + us);
      place.set(name, (place.get(name) ?? 0) + us);
      continue;
    }
    const where = placeOf(cf.url);
    const key = `${name}  ${where}:${cf.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    place.set(where, (place.get(where) ?? 0) + us);
  }
  const busy = total - (fn.get('(idle)') ?? 0);
  const top = (m) =>
    [...m]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(values.top))
      .map(([k, us]) => `  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`)
      .join('\n');
  console.log(
    `\n${file}: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms\nby place (self time, % of busy):\n${top(place)}\nby function:\n${top(fn)}`,
  );
}
