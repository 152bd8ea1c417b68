// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, Text } from 'ink';
import type { Delivery } from './data-source.js';
import { attemptStatus, clockTime, deliveryState, responseExcerpt, toneOf, totalAttempts } from './format.js';

export type DeliveryDetailProps = { delivery: Delivery | undefined; height: number };

/**
 * The selected delivery: every attempt (status code, latency, response excerpt), newest last,
 * then as much of the payload as fits. Lines are cut at the edge, never wrapped, so the layout
 * keeps its height.
 */
export function DeliveryDetail({ delivery, height }: DeliveryDetailProps) {
  if (!delivery) {
    return (
      <Box flexDirection="column" borderStyle="round" paddingX={1} height={height + 2} flexShrink={0}>
        <Text dimColor>Select a delivery with ↑/↓ to see its attempts and payload.</Text>
      </Box>
    );
  }
  const state = deliveryState(delivery);
  // Room for: title, attempts header, at least one attempt, "Payload" and at least one payload line.
  const attemptRows = Math.max(1, Math.min(delivery.attempt_log.length, Math.floor((height - 3) / 2)));
  const hidden = delivery.attempt_log.length - attemptRows;
  const attempts = delivery.attempt_log.slice(-attemptRows);
  const payloadRows = Math.max(0, height - 3 - attemptRows - (hidden > 0 ? 1 : 0));
  const payload = JSON.stringify(delivery.payload, null, 2).split('\n');
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height + 2} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold>Delivery {delivery.id}</Text> · {delivery.event} · <Text color={toneOf(state)}>{state}</Text> after {totalAttempts(delivery)} attempt
        {totalAttempts(delivery) === 1 ? '' : 's'}
        {delivery.next_attempt_at && delivery.status === 'pending' ? ` · next attempt ${clockTime(delivery.next_attempt_at)}` : ''}
      </Text>
      <Text dimColor wrap="truncate-end">
        {`${'#'.padStart(3)} ${'time'.padEnd(8)} ${'status'.padEnd(7)} ${'latency'.padStart(7)} response`}
      </Text>
      {hidden > 0 ? (
        <Text dimColor wrap="truncate-end">
          {`  … ${hidden} earlier attempt${hidden === 1 ? '' : 's'}`}
        </Text>
      ) : null}
      {attempts.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          {'  no attempt yet'}
        </Text>
      ) : (
        attempts.map((a) => (
          <Text key={a.attempt} wrap="truncate-end">
            {String(a.attempt).padStart(3)} {clockTime(a.attempted_at)} <Text color={a.succeeded ? 'green' : 'red'}>{attemptStatus(a).padEnd(7)}</Text>{' '}
            {`${a.latency_ms} ms`.padStart(7)} <Text dimColor>{responseExcerpt(a)}</Text>
          </Text>
        ))
      )}
      <Text bold wrap="truncate-end">
        Payload <Text dimColor>({delivery.event_id})</Text>
      </Text>
      {payload.slice(0, payloadRows).map((line, i) => (
        <Text key={i} wrap="truncate-end" dimColor>
          {line}
        </Text>
      ))}
    </Box>
  );
}
