// wrk (Debian's `wrk`, a C HTTP/1.1 load generator) for the closed loops held against pgbench:
// pgbench is a C client costing PostgreSQL's cores little, and our own Node load generator cost
// 34–43 µs of the same two cores a request against wrk's 18–21 (forty-first sitting), time the API's
// one thread spent waiting for a core. The bench's Node client stays for everything that must read
// the answers (payments, webhooks) and as `--load-generator node`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `wrk` runs here (`wrk --version` exits 1 after printing its version, so ask for its name). */
export function wrkAvailable() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return !probe.error && /^wrk /.test(probe.stdout ?? '');
}

const RESULT_MARK = 'PAYGATE_WRK_RESULT ';

/** A Lua string literal for any text (Lua's long brackets would break on `]]`). */
const luaString = (text) => `"${[...Buffer.from(text, 'utf8')].map((b) => `\\${b}`).join('')}"`;

/**
 * The script wrk runs: one request, the same every time, or with `freshIdempotencyKey` a new
 * `Idempotency-Key` each (a run's random prefix and a counter: unique across runs, and cheap),
 * and at the end one line of JSON. `os.clock()` is wrk's own CPU time, all threads: the load
 * generator's share of CPU per request, as process.cpuUsage() gives it for the Node client.
 */
export function wrkScript({ method, headers, body, freshIdempotencyKey }) {
  const lines = [`wrk.method = ${luaString(method)}`];
  if (body !== undefined) lines.push(`wrk.body = ${luaString(body)}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  if (freshIdempotencyKey) {
    // wrk.format takes the headers as given, without wrk.headers: copy them, then add the key.
    lines.push(
      `local prefix = ${luaString(`wrk-${randomBytes(6).toString('hex')}-`)}`,
      'local sent = 0',
      'local keyed = {}',
      'for name, value in pairs(wrk.headers) do keyed[name] = value end',
      'request = function()',
      '  sent = sent + 1',
      '  keyed["Idempotency-Key"] = prefix .. sent',
      '  return wrk.format(nil, nil, keyed)',
      'end',
    );
  }
  lines.push(
    'done = function(summary, latency)',
    '  local e = summary.errors',
    `  io.write(string.format('${RESULT_MARK}{"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"not_2xx_3xx":%d,"p50_us":%d,"p99_us":%d,"cpu_s":%.4f}\\n',`,
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,',
    '    latency:percentile(50), latency:percentile(99), os.clock()))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * wrk's output → what the Node client's closedLoop returns (done, errors, the first error, seconds)
 * plus its latency and its CPU (`loadGeneratorCpuMs`, which measureCpu counts as the bench's). wrk
 * counts a request answered 4xx/5xx among its requests; here it is an error, as for the Node
 * client, and not done.
 */
export function parseWrkOutput(output) {
  const line = output.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (!line) throw new Error(`wrk printed no result:\n${output}`);
  const r = JSON.parse(line.slice(RESULT_MARK.length));
  const failed = {
    'not 2xx/3xx': r.not_2xx_3xx,
    'connect errors': r.connect_errors,
    'read errors': r.read_errors,
    'write errors': r.write_errors,
    timeouts: r.timeouts,
  };
  const errors = Object.values(failed).reduce((a, b) => a + b, 0);
  const firstError = errors
    ? Object.entries(failed)
        .filter(([, n]) => n)
        .map(([what, n]) => `${n} ${what}`)
        .join(', ')
    : undefined;
  return {
    done: r.requests - r.not_2xx_3xx,
    errors,
    firstError,
    seconds: r.duration_us / 1e6,
    p50Ms: r.p50_us / 1000,
    p99Ms: r.p99_us / 1000,
    loadGeneratorCpuMs: r.cpu_s * 1000,
  };
}

/**
 * A closed loop of `connections` for `seconds` (whole seconds: wrk takes no less), one wrk thread,
 * on `url`. Resolves with parseWrkOutput's figures.
 */
export async function wrkClosedLoop(url, { connections, seconds, method = 'POST', headers = {}, body, freshIdempotencyKey = false }) {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-bench-wrk-'));
  try {
    const script = join(dir, 'request.lua');
    writeFileSync(script, wrkScript({ method, headers, body, freshIdempotencyKey }));
    const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '10s', '-s', script, url];
    const output = await new Promise((resolve, reject) => {
      const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.once('error', reject);
      p.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
    });
    return parseWrkOutput(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
