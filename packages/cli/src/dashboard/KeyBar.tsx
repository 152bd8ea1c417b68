// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, Text } from 'ink';
import type { DashboardState } from './dashboard-state.js';
import { SHORTCUTS } from './shortcuts.js';

export type KeyBarProps = { state: DashboardState; interactive: boolean };

/** The last notice (a retry's answer, a problem) on its own line, then the keys that work right now. */
export function KeyBar({ state, interactive }: KeyBarProps) {
  const shortcuts = interactive ? SHORTCUTS.filter((s) => s.when(state)) : [];
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-end">{state.notice ? <Text color={state.notice.tone === 'error' ? 'red' : 'green'}>{state.notice.text}</Text> : ' '}</Text>
      <Text wrap="truncate-end">
        {shortcuts.map((s) => (
          <Text key={s.keys}>
            <Text bold color="cyan">
              {s.keys}
            </Text>{' '}
            {s.label}
            {'   '}
          </Text>
        ))}
        {interactive ? null : <Text dimColor>keys are off: stdin is not a terminal</Text>}
      </Text>
    </Box>
  );
}
