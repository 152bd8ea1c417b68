// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { render } from 'ink';
import { Dashboard } from './Dashboard.js';
import type { DashboardSource } from './data-source.js';
import { startLineLog } from './line-log.js';

/** The terminal's alternate screen: the dashboard draws there, and leaving it gives the shell back as it was. */
const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';

export type RunDashboardOptions = {
  source: DashboardSource;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** One JSON object per line instead of the full-screen view. */
  json?: boolean;
};

/**
 * Shows the dashboard until the user quits: full screen on a terminal (q, Esc or Ctrl-C leave it
 * and restore the screen), or as a plain line log when stdout is not a terminal or with --json
 * (until SIGINT/SIGTERM). Commands call this; they never import Ink (STYLE §9).
 */
export async function runDashboard({
  source,
  stdout = process.stdout,
  stderr = process.stderr,
  stdin = process.stdin,
  json = false,
}: RunDashboardOptions): Promise<void> {
  if (json || !stdout.isTTY) {
    const stop = startLineLog(source, { out: stdout, err: stderr, json });
    await new Promise<void>((resolve) => {
      const done = () => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        stop();
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    return;
  }
  stdout.write(ENTER_ALTERNATE_SCREEN);
  const instance = render(<Dashboard source={source} />, { stdout, stdin, stderr, exitOnCtrlC: true });
  // A kill (not a key) must restore the terminal too.
  const unmount = () => instance.unmount();
  process.once('SIGTERM', unmount);
  process.once('SIGHUP', unmount);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', unmount);
    process.off('SIGHUP', unmount);
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
}
