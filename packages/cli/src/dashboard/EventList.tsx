// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, Text } from 'ink';
import type { StreamEvent } from './data-source.js';
import { clockTime, eventSubject, toneOf } from './format.js';

export type EventListProps = { events: StreamEvent[]; height: number; width?: number | string };

/** Payments and refunds as they happen, newest on top, one line per event from the stream. */
export function EventList({ events, height, width }: EventListProps) {
  const rows = events.slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width} flexGrow={1} flexShrink={1} overflow="hidden">
      <Text bold wrap="truncate-end">
        Payments & refunds <Text dimColor>({events.length} events)</Text>
      </Text>
      <Box flexDirection="column" height={Math.max(0, height)}>
        {rows.length === 0 ? (
          <Text dimColor wrap="truncate-end">
            No events yet. Create an order and a payment (pg-cli trigger payment.success).
          </Text>
        ) : (
          rows.map((e) => {
            const s = eventSubject(e);
            return (
              <Text key={e.id} wrap="truncate-end">
                <Text dimColor>{clockTime(e.timestamp)}</Text> {e.event.padEnd(16)} {s.id} <Text bold>{s.amount}</Text>{' '}
                <Text color={toneOf(s.status)}>{s.status}</Text> <Text dimColor>{s.detail}</Text>
              </Text>
            );
          })
        )}
      </Box>
    </Box>
  );
}
