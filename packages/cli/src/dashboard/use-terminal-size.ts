import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export type TerminalSize = { columns: number; rows: number };

/** When the output is not a terminal (or does not say), the classic 80×24. */
const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

const sizeOf = (stdout: NodeJS.WriteStream): TerminalSize => ({
  columns: stdout.columns || FALLBACK.columns,
  rows: stdout.rows || FALLBACK.rows,
});

/** The terminal's size, updated on every `resize` of the output stream (SIGWINCH). */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
