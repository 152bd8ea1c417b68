import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI_BIN } from './processes.js';

/**
 * The environment of a newcomer's shell: none of the gateway's variables set, so the gateway runs
 * on the defaults the READMEs describe.
 */
export function newcomerEnv(): NodeJS.ProcessEnv {
  const gatewayVariable = /^(PAYGATE_|TEST_|WEBHOOK_RETRY_)|^(DATABASE_URL|REDIS_URL|HOST|PORT)$/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !gatewayVariable.test(name)));
}

/**
 * Starts the built CLI as `npx pg-cli dev --test-mode` runs it, on a throwaway database and a
 * free port (`--port 0`), and waits for its ready line. Returns its origin and a stopper.
 */
export async function startDevGateway(bin: string = CLI_BIN) {
  const child = spawn(process.execPath, [bin, 'dev', '--test-mode', '--data-dir', 'memory', '--port', '0', '--json'], {
    env: { ...newcomerEnv(), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    let out: string | undefined = '';
    // The listener stays after the ready line, so the log lines that follow never fill the pipe.
    child.stdout.on('data', (d: Buffer) => {
      if (out === undefined) return;
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (line) {
        out = undefined;
        resolve(JSON.parse(line) as { url: string });
      }
    });
    child.once('exit', (code) => reject(new Error(`pg-cli dev exited with ${code} before it was ready: ${stderr}`)));
  });
  return {
    origin: ready.url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The flags `pg-cli dev --help` lists: a README's `pg-cli dev …` may use only these. */
export async function devFlags(bin: string): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'dev', '--help'], { env: newcomerEnv() });
  return new Set(stdout.match(/--[a-z][a-z-]*/g) ?? []);
}
