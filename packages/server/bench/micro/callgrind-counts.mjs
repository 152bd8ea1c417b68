// What api-instructions.mjs and worker-instructions.mjs share: how the counted process runs under
// callgrind, and how two of its runs (N units of work and none) become instructions a unit.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// --predictable: V8 compiles and collects on the main thread, not on helper threads whose timing
// varies; without it two runs of one version differed by a fifth.
const V8_FLAGS = ['--predictable'];

/**
 * One run of a process counted by callgrind (`options.perfMap`: see below): `run(startCounted)` starts what the run needs, the
 * counted process through `startCounted(name, nodeArgs, options)` (a Node script and its
 * arguments, as `Children.start` takes them), does the work, and resolves once the counted
 * process has exited (callgrind writes its file then). Resolves with the file and the directory
 * to remove; removes it itself if the run fails.
 *
 * With `perfMap`, V8 writes where it put each function it compiled (`--perf-basic-prof`), kept as
 * `perfMap` in the directory: callgrind names compiled JavaScript only by its address, and the
 * map names it (see {@link callersOf}).
 */
export async function callgrindRun(children, { perfMap = false }, run) {
  const outDir = mkdtempSync(join(tmpdir(), 'paygate-callgrind-'));
  const file = join(outDir, 'callgrind.out');
  // The map's flag also has V8 open its log (isolate-*.log in the working directory): kept here instead.
  const mapFlags = perfMap ? ['--perf-basic-prof', `--logfile=${join(outDir, 'v8.log')}`, '--no-logfile-per-isolate'] : [];
  const valgrind = ['--tool=callgrind', `--callgrind-out-file=${file}`, process.execPath, ...V8_FLAGS, ...mapFlags];
  let pid;
  const startCounted = async (name, nodeArgs, options = {}) => {
    const child = await children.start(name, 'valgrind', [...valgrind, ...nodeArgs], { timeoutMs: 600_000, ...options });
    pid = child.pid; // valgrind runs the program in its own process: the map is named by this pid
    return child;
  };
  try {
    await run(startCounted);
    const map = `/tmp/perf-${pid}.map`;
    const mapped = perfMap && existsSync(map);
    if (mapped) renameSync(map, join(outDir, 'perf.map'));
    return { outDir, file, ...(mapped ? { perfMap: join(outDir, 'perf.map') } : {}) };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}

/** After the runs: with `keep`, prints where their callgrind files are (for callgrind_annotate); else removes them. */
export function keepOrRemove(runs, keep) {
  if (keep) console.log(`\ncallgrind files (measured, then baseline): ${runs.map((r) => r.file).join(' ')}`);
  else for (const run of runs) rmSync(run.outDir, { recursive: true, force: true });
}

/** Stops the counted process, giving callgrind the time it takes to write its file. */
export const stopCounted = (children, counted) => children.stop(counted, 300_000);

// Kinds of work, by the symbol callgrind names (the node binary's C++ and builtins, libc); code
// that V8 compiled at run time has no symbol and counts as JavaScript. The first kind that matches
// wins. Compiling and garbage collection take in V8's runtime functions that serve them (the
// bytecode and baseline compilers, deoptimization, the write barrier, pretenuring, the visitors
// that scavenge promoted objects). Named by their C++ class alone, those had counted as builtins
// and runtime: two runs of one version of the API then differed by 6 % without compiling and 9 %
// without compiling and collection, and with them placed here by 2.7 % without both (thirty-seventh
// sitting, `api-instructions.mjs --route payments --orders 4000 --warm-up 4000`).
const KINDS = [
  [
    'V8 compiling',
    /compiler::|Maglev|LinearScan|RegisterAllocat|Scanner|Parser|AstValue|Preparse|interpreter::Bytecode|baseline::|Compiler::|CompilationJob|Deoptimiz|TranslatedState|Zone::|ZoneList|SourcePosition|Runtime_Compile|Runtime_InstallBaselineCode|Assembler|RelocInfo/,
  ],
  ['date formatting', /FormatDate|ToDateString|StringStream|vfprintf|vsnprintf|_IO_|_itoa/],
  ['JSON', /Json/],
  [
    'garbage collection',
    /Scaveng|Marking|Sweep|Evacuat|Heap::|RecordWrite|Pretenur|MarkCompact|RememberedSet|SlotSet|TypedSlot|BodyDescriptor|MemoryChunk|PagedSpace|NewSpace|SemiSpace|LargeObjectSpace|GlobalHandles|cppgc|MemoryAllocator|GCTracer|FreeList|LocalAllocationBuffer|WeakObjects/,
  ],
  ['JavaScript (JIT-compiled)', /^\?\?\?:0x/],
  ['V8 builtins and runtime', /Builtins_|v8::internal::/],
  ['HTTP parser', /llhttp/],
  ['SHA-256', /sha256/],
  ['libc', /libc\.so/],
];

/** The kind of work a function callgrind names does (see KINDS), or 'other'. */
export const kindOf = (name) => KINDS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';

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
    const kind = kindOf(name);
    byKind.set(kind, byKind.get(kind) + n);
  }
  const all = measured.total - baseline.total;
  console.log(
    `instructions ${unit}: ${perUnit(all).toLocaleString('en')} (runs: ${measured.total.toLocaleString('en')} and ${baseline.total.toLocaleString('en')})`,
  );
  console.log(`  without V8's compiling (still tiering up after the warm-up): ${perUnit(all - byKind.get('V8 compiling')).toLocaleString('en')}`);
  // Where a major collection falls (in the measured run or the one without work) moved a run's
  // figure by up to 60,000 instructions a payment: compare versions by this one.
  const steady = all - byKind.get('V8 compiling') - byKind.get('garbage collection');
  console.log(`  without V8's compiling and garbage collection (compare versions by this): ${perUnit(steady).toLocaleString('en')}`);
  console.log('\nby kind:');
  for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${String(perUnit(n).toLocaleString('en')).padStart(9)}  ${kind}`);
  console.log(`\nnamed functions that grew most (${unit}'s share):`);
  const named = [...growth].filter(([name]) => !name.startsWith('???:0x')).sort((a, b) => b[1] - a[1]);
  for (const [name, n] of named.slice(0, top)) console.log(`  ${String(perUnit(n).toLocaleString('en')).padStart(9)}  ${name.slice(0, 140)}`);
}

/**
 * A `perf-<pid>.map` (start and size in hex, then the name) as ranges sorted by start, each with
 * its line's place in the file (V8 appends a line whenever it puts code somewhere), for {@link callersOf}.
 */
export function readPerfMap(file) {
  const ranges = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    // The tier marks (~ interpreted, ^ baseline, + Maglev, * optimised) go: one function, whatever its tier.
    if (m)
      ranges.push({
        start: parseInt(m[1], 16),
        end: parseInt(m[1], 16) + parseInt(m[2], 16),
        name: m[3].replace(/^(\w+:)[~^+*]/, '$1'),
        written: ranges.length,
      });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** Code V8 compiles is far smaller than this: a range that holds an address starts at most this far below it. */
const MAX_CODE_BYTES = 1 << 22;

/**
 * The name of the compiled function at `address` in `ranges`: of the ranges that hold it, the one
 * V8 wrote last. V8 reuses the space of code it freed, and the map keeps every line it ever
 * wrote: taken by start alone, an address could be named after a function that lived there
 * during start-up (the twenty-ninth sitting's `path.resolve` a payment, which a hook on the live
 * process never saw called).
 */
export function nameAt(ranges, address) {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  let found;
  for (let i = hi; i >= 0 && ranges[i].start > address - MAX_CODE_BYTES; i -= 1) {
    if (address < ranges[i].end && (!found || ranges[i].written > found.written)) found = ranges[i];
  }
  return found?.name ?? `0x${address.toString(16)} (not in the map)`;
}

/**
 * Who called the functions whose name matches `callee`, and for how many instructions (each
 * call's inclusive cost), by caller: compiled JavaScript, caller or callee, named through the
 * run's perf map (`--callers 'JS:resolve node:path'` finds who resolves paths).
 */
export function callersOf({ file, perfMap }, callee) {
  const ranges = perfMap ? readPerfMap(perfMap) : [];
  const named = (name) => {
    const address = /^\?\?\?:0x([0-9a-f]+)/.exec(name);
    return address ? nameAt(ranges, parseInt(address[1], 16)) : name;
  };
  const text = execFileSync('callgrind_annotate', ['--tree=caller', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 512 << 20 });
  const byCaller = new Map();
  let block = [];
  for (const line of text.split('\n')) {
    const caller = /^\s*([\d,]+) \([^)]*\)\s+<\s+(\S+)/.exec(line);
    if (caller) {
      block.push(caller);
      continue;
    }
    const self = /^\s*[\d,]+ \([^)]*\)\s+\*\s+(.*)$/.exec(line);
    if (self && callee.test(named(self[1]))) {
      for (const [, count, name] of block) {
        const who = named(name);
        byCaller.set(who, (byCaller.get(who) ?? 0) + Number(count.replaceAll(',', '')));
      }
    }
    block = [];
  }
  return byCaller;
}

/** Prints the callers of `callee` that grew most from the baseline run to the measured one, per unit. */
export function printCallers({ measured, baseline, callee, units, unit, top }) {
  const [m, b] = [callersOf(measured, callee), callersOf(baseline, callee)];
  const growth = [...new Set([...m.keys(), ...b.keys()])].map((name) => [name, (m.get(name) ?? 0) - (b.get(name) ?? 0)]);
  console.log(`\ncallers of ${callee} that grew most (${unit}'s share, the calls' inclusive instructions):`);
  for (const [name, n] of growth.sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`  ${String(Math.round(n / units).toLocaleString('en')).padStart(9)}  ${name.slice(0, 140)}`);
  }
}
