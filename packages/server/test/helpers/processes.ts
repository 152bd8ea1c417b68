import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm run build` first): it loads packages/cli/dist, as `npx pg-cli` does. */
export const CLI_BIN = fileURLToPath(new URL('../../../cli/bin/run.js', import.meta.url));

/** A port nobody listens on right now: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null; at: number };

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<Exit>;
  /** Whether it is still running. */
  alive(): boolean;
  /** The last few KB of stdout + stderr, for failure messages. */
  output(): string;
  /** Sends a signal (no-op once exited). */
  signal(sig: NodeJS.Signals): void;
};

/**
 * Keeps every child a test starts, so `killAll` in afterAll/finally can SIGKILL whatever is
 * still running even when the test failed half-way.
 */
export class ProcessGroup {
  readonly processes: ManagedProcess[] = [];

  /**
   * Spawns `command args` and resolves once a stdout/stderr line matches `ready`; rejects if it
   * exits first or takes longer than `timeoutMs` (and kills it then).
   */
  async start(
    name: string,
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
  ): Promise<ManagedProcess> {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    let exit: Exit | undefined;
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        exit = { code, signal, at: performance.now() };
        resolve(exit);
      });
    });
    const managed: ManagedProcess = {
      name,
      child,
      pid: child.pid ?? -1,
      exited,
      alive: () => exit === undefined && child.exitCode === null && child.signalCode === null,
      output: () => tail,
      signal: (sig) => {
        if (managed.alive()) child.kill(sig);
      },
    };
    this.processes.push(managed);

    await new Promise<void>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        managed.signal('SIGKILL');
        reject(new Error(`${name} was not ready after ${options.timeoutMs ?? 30_000} ms:\n${tail}`));
      }, options.timeoutMs ?? 30_000);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        tail = (tail + text).slice(-8_000);
        if (!done && options.ready.test(tail)) {
          done = true;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((e) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${e.code}, signal ${e.signal}) before it was ready:\n${tail}`));
      });
      child.once('error', (error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(error);
      });
    });
    return managed;
  }

  /** `pg-cli server --port <port>`; resolves with the process and its base URL once it prints "ready". */
  async server(env: NodeJS.ProcessEnv, port: number, name = 'server'): Promise<ManagedProcess & { url: string }> {
    const p = await this.start(name, process.execPath, [CLI_BIN, 'server', '--port', String(port)], { env, ready: /API ready at/ });
    return Object.assign(p, { url: `http://127.0.0.1:${port}` });
  }

  /** `pg-cli worker [--concurrency N]`; resolves once it prints "ready". */
  async worker(env: NodeJS.ProcessEnv, name = 'worker', concurrency?: number): Promise<ManagedProcess> {
    const flags = concurrency === undefined ? [] : ['--concurrency', String(concurrency)];
    return this.start(name, process.execPath, [CLI_BIN, 'worker', ...flags], { env, ready: /worker ready/ });
  }

  /** SIGKILLs every child still running and waits for them to be gone. */
  async killAll(): Promise<void> {
    const running = this.processes.filter((p) => p.alive());
    for (const p of running) p.signal('SIGKILL');
    await Promise.all(running.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 5_000))])));
  }

  /** Output of every process, for a failure message. */
  dump(): string {
    return this.processes.map((p) => `--- ${p.name} (pid ${p.pid})\n${p.output()}`).join('\n');
  }
}

/** Whether a binary is on PATH (e.g. redis-server, which a docker-compose Redis does not provide). */
export function hasBinary(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A private redis-server on `port`, no persistence: a restart loses everything, scripts included. */
export async function startRedisServer(group: ProcessGroup, port: number, name = 'redis-server'): Promise<ManagedProcess> {
  return group.start(name, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    ready: /Ready to accept connections/,
    timeoutMs: 10_000,
  });
}

export type ApiResponse = { status: number; body: any };

/** A JSON client for a listening gateway, with a merchant's credentials (and any headers per call). */
export function apiClient(baseUrl: string, headers: Record<string, string>) {
  return async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...headers, ...extraHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: res.status, body: parsed };
  };
}
