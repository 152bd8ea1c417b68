import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { vi } from 'vitest';

const tmux = promisify(execFile);

/** Whether tmux is installed; terminal tests skip without it, except under CI=true, where nothing may skip. */
export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0 || process.env['CI'] === 'true';

/**
 * A real terminal for a terminal-UI test: a detached tmux session on a private server (its own
 * socket, so no one's tmux is touched), driven with send-keys and read with capture-pane.
 */
export class TmuxSession {
  private readonly socket = `paygate-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly name = 'test';

  private run(args: string[]) {
    return tmux('tmux', ['-L', this.socket, ...args], { env: { ...process.env, TMUX: '' } });
  }

  /** Starts `shell` (an interactive shell: what the user would be left at) in a `columns`×`rows` terminal. */
  static async start(options: { columns: number; rows: number; env?: Record<string, string>; cwd?: string }): Promise<TmuxSession> {
    const session = new TmuxSession();
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // A plain sh with a known prompt: a clean shell is one whose last line is that prompt.
    await session.run([
      'new-session',
      '-d',
      '-s',
      session.name,
      '-x',
      String(options.columns),
      '-y',
      String(options.rows),
      ...env,
      ...(options.cwd ? ['-c', options.cwd] : []),
      'env PS1="$ " sh',
    ]);
    await session.run(['set-option', '-t', session.name, 'history-limit', '5000']);
    return session;
  }

  /** Types a line into the shell and presses Enter. */
  async type(line: string): Promise<void> {
    await this.run(['send-keys', '-t', this.name, '-l', line]);
    await this.run(['send-keys', '-t', this.name, 'Enter']);
  }

  /** Presses keys by tmux name (`Down`, `Up`, `C-c`) or as literal text. */
  async press(...keys: string[]): Promise<void> {
    await this.run(['send-keys', '-t', this.name, ...keys]);
  }

  /** The visible screen, as text (`capture-pane -p`). */
  async screen(): Promise<string> {
    return (await this.run(['capture-pane', '-p', '-t', this.name])).stdout;
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.run(['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
  }

  /** Waits until the screen satisfies `check` (an assertion); returns that screen. */
  async waitForScreen(check: (screen: string) => void, timeout = 30_000): Promise<string> {
    let last = '';
    try {
      await vi.waitFor(
        async () => {
          last = await this.screen();
          check(last);
        },
        { timeout, interval: 200 },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- the screen was ---\n${last}`);
    }
    return last;
  }

  async kill(): Promise<void> {
    await this.run(['kill-server']).catch(() => undefined);
  }
}
