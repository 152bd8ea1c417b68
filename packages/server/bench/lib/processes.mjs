// The processes a bench run starts (pg-cli server/worker/dev, a private redis-server, a bare
// Fastify app), each waited for until it says it is ready, and all stopped at the end.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../cli/bin/run.js', import.meta.url));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Every child started through it, stopped (SIGTERM, then SIGKILL) by stopAll(). */
export class Children {
  list = [];

  /**
   * Spawns `command args`, resolves with the child once a stdout/stderr line matches `ready`
   * (or, with `ready` null, once it exits 0). Rejects if it exits first or takes over timeoutMs.
   * The child gets `readyMs` (spawn to ready), `readyMatch` and `benchOutput` (its stdout).
   */
  start(name, command, args, { env = process.env, ready = /ready/, timeoutMs = 60_000 } = {}) {
    const startedAt = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.benchName = name;
    this.list.push(child);
    let tail = '';
    child.benchOutput = '';
    child.stdout.on('data', (d) => (child.benchOutput += d));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready within ${timeoutMs} ms:\n${tail}`)), timeoutMs);
      const onData = (d) => {
        tail = (tail + d).slice(-2000);
        const match = ready && ready.exec(String(d));
        if (match) {
          clearTimeout(timer);
          child.readyMatch = match;
          child.readyMs = performance.now() - startedAt;
          resolve(child);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      // 'close', not 'exit': all of its output has been read by then
      child.once('close', (code) => {
        clearTimeout(timer);
        if (!ready && code === 0) resolve(child);
        else reject(new Error(`${name} exited with ${code}:\n${tail}`));
      });
    });
  }

  /** Stops one child and waits for it to exit (SIGKILL after graceMs). */
  async stop(child, graceMs = 5_000) {
    this.list = this.list.filter((c) => c !== child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll() {
    await Promise.all([...this.list].map((c) => this.stop(c)));
  }
}

/** A `pg-cli` command as a Node process, with a V8 CPU profile into profileDir if given. */
export function startCli(children, name, cliArgs, { env, profileDir, ready = /ready/ } = {}) {
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return children.start(name, process.execPath, [...profiling, CLI, ...cliArgs], { env, ready });
}

/** A private redis-server on a free port, no persistence: its CPU is ours alone. */
export async function startRedis(children) {
  const port = await freePort();
  await children.start('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    ready: /Ready to accept connections/,
  });
  return `redis://127.0.0.1:${port}`;
}
