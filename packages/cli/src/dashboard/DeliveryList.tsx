// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, Text } from 'ink';
import type { Delivery } from './data-source.js';
import { clockTime, deliveryState, toneOf, totalAttempts } from './format.js';
import { scrollWindow } from './scroll-window.js';

export type DeliveryListProps = {
  deliveries: Delivery[];
  selectedId: string | undefined;
  failedOnly: boolean;
  height: number;
  width?: number | string;
};

/** Webhook deliveries, newest on top; the selected one is marked and kept in view. */
export function DeliveryList({ deliveries, selectedId, failedOnly, height, width }: DeliveryListProps) {
  const selected = Math.max(
    0,
    deliveries.findIndex((d) => d.id === selectedId),
  );
  const { start, end } = scrollWindow(deliveries.length, height, selected);
  const title = failedOnly ? 'Failing deliveries' : 'Webhook deliveries';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width} flexGrow={1} flexShrink={1} overflow="hidden">
      <Text bold wrap="truncate-end">
        {title}{' '}
        <Text dimColor>
          ({deliveries.length}
          {deliveries.length > height ? `, ${start + 1}–${end} shown` : ''})
        </Text>
      </Text>
      <Box flexDirection="column" height={Math.max(0, height)}>
        {deliveries.length === 0 ? (
          <Text dimColor wrap="truncate-end">
            {failedOnly ? 'No failing deliveries (f: show all).' : 'No deliveries yet: set a webhook URL (PUT /api/v1/webhooks/config).'}
          </Text>
        ) : (
          deliveries.slice(start, end).map((d) => {
            const isSelected = d.id === deliveries[selected]?.id;
            const state = deliveryState(d);
            return (
              <Text key={d.id} wrap="truncate-end" inverse={isSelected}>
                {isSelected ? '›' : ' '} <Text dimColor={!isSelected}>{clockTime(d.created_at)}</Text> {d.event.padEnd(16)}{' '}
                <Text color={toneOf(state)}>{state.padEnd(8)}</Text> {`${totalAttempts(d)}×`.padStart(3)} {String(d.response_code ?? '—').padStart(3)} {d.id}
              </Text>
            );
          })
        )}
      </Box>
    </Box>
  );
}
