// What api-instructions.mjs and worker-instructions.mjs share: how the counted process runs under
// callgrind, and how two of its runs (N units of work and none) become instructions a unit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// --predictable: V8 compiles and collects on the main thread, not on helper threads whose timing
// varies; without it two runs of one version differed by a fifth.
const V8_FLAGS = ['--predictable'];

/**
 * One run of a process counted by callgrind: `run(startCounted)` starts what the run needs, the
 * counted process through `startCounted(name, nodeArgs, options)` (a Node script and its
 * arguments, as `Children.start` takes them), does the work, and resolves once the counted
 * process has exited (callgrind writes its file then). Resolves with the file and the directory
 * to remove; removes it itself if the run fails.
 */
export async function callgrindRun(children, run) {
  const outDir = mkdtempSync(join(tmpdir(), 'paygate-callgrind-'));
  const valgrind = ['--tool=callgrind', `--callgrind-out-file=${outDir}/callgrind.out`, process.execPath, ...V8_FLAGS];
  const startCounted = (name, nodeArgs, options = {}) => children.start(name, 'valgrind', [...valgrind, ...nodeArgs], { timeoutMs: 600_000, ...options });
  try {
    await run(startCounted);
    return { outDir, file: join(outDir, readdirSync(outDir)[0]) };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the counted process, giving callgrind the time it takes to write its file. */
export const stopCounted = (children, counted) => children.stop(counted, 300_000);

// Kinds of work, by the symbol callgrind names (the node binary's C++ and builtins, libc); code
// that V8 compiled at run time has no symbol and counts as JavaScript.
const KINDS = [
  ['V8 compiling', /compiler::|Maglev|LinearScan|RegisterAllocat|Scanner|Parser|AstValue|Preparse/],
  ['date formatting', /FormatDate|ToDateString|StringStream|vfprintf|vsnprintf|_IO_|_itoa/],
  ['JSON', /Json/],
  ['garbage collection', /Scavenger|Marking|Sweeper|Evacuat|Heap::/],
  ['JavaScript (JIT-compiled)', /^\?\?\?:0x/],
  ['V8 builtins and runtime', /Builtins_|v8::internal::/],
  ['HTTP parser', /llhttp/],
  ['SHA-256', /sha256/],
  ['libc', /libc\.so/],
];

/** Self instructions by function, and the program's total, from callgrind_annotate. */
export function selfByFunction(file) {
  const text = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const byFunction = new Map();
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const count = Number(m[1].replaceAll(',', ''));
    if (m[2] === 'PROGRAM TOTALS') total = count;
    else byFunction.set(m[2], (byFunction.get(m[2]) ?? 0) + count);
  }
  return { total, byFunction };
}

/**
 * Prints the difference of the two runs per unit of work: in all, without V8's compiling, by
 * kind, and the named functions that grew most.
 */
export function printInstructionCounts({ measured, baseline, units, unit, top }) {
  const perUnit = (n) => Math.round(n / units);
  const growth = new Map();
  for (const name of new Set([...measured.byFunction.keys(), ...baseline.byFunction.keys()])) {
    growth.set(name, (measured.byFunction.get(name) ?? 0) - (baseline.byFunction.get(name) ?? 0));
  }
  const byKind = new Map([...KINDS.map(([kind]) => [kind, 0]), ['other', 0]]);
  for (const [name, n] of growth) {
    const kind = KINDS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
    byKind.set(kind, byKind.get(kind) + n);
  }
  const all = measured.total - baseline.total;
  console.log(
    `instructions ${unit}: ${perUnit(all).toLocaleString('en')} (runs: ${measured.total.toLocaleString('en')} and ${baseline.total.toLocaleString('en')})`,
  );
  console.log(`  without V8's compiling (still tiering up after the warm-up): ${perUnit(all - byKind.get('V8 compiling')).toLocaleString('en')}`);
  console.log('\nby kind:');
  for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${String(perUnit(n).toLocaleString('en')).padStart(9)}  ${kind}`);
  console.log(`\nnamed functions that grew most (${unit}'s share):`);
  const named = [...growth].filter(([name]) => !name.startsWith('???:0x')).sort((a, b) => b[1] - a[1]);
  for (const [name, n] of named.slice(0, top)) console.log(`  ${String(perUnit(n).toLocaleString('en')).padStart(9)}  ${name.slice(0, 140)}`);
}
