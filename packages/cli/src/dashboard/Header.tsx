// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, Text } from 'ink';
import type { ConnectionState, GatewayInfo, QueueStatus } from './data-source.js';
import { toneOf } from './format.js';

export type HeaderProps = { gateway: GatewayInfo | undefined; queue: QueueStatus | undefined; connection: ConnectionState; problem: string | undefined };

/** The gateway being watched, its mode, its workers and queue, whether the live stream is up, and what is wrong if anything is. */
export function Header({ gateway, queue, connection, problem }: HeaderProps) {
  const worker = queue ? `${queue.worker_status} (${queue.workers})` : gateway?.mode === 'production' ? 'n/a in production' : '…';
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          Paygate
        </Text>
        {'  '}
        <Text>{gateway?.url ?? 'connecting…'}</Text>
        {'  ·  '}
        <Text color={gateway?.mode === 'production' ? 'red' : 'yellow'}>{gateway ? `${gateway.mode} mode` : '…'}</Text>
        {'  ·  worker '}
        <Text color={toneOf(queue?.worker_status ?? '')}>{worker}</Text>
        {'  ·  stream '}
        <Text color={toneOf(connection.state)}>{connection.state}</Text>
        {connection.detail ? <Text dimColor>{` (${connection.detail})`}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {problem ? <Text color="red">{problem} </Text> : null}
        <Text bold>Queue</Text>
        {queue ? (
          <>
            {'  pending '}
            <Text bold>{queue.pending}</Text>
            {'  processing '}
            <Text bold>{queue.processing}</Text>
            {'  completed '}
            <Text bold>{queue.completed}</Text>
            {'  failed '}
            <Text bold color={queue.failed > 0 ? 'red' : undefined}>
              {queue.failed}
            </Text>
          </>
        ) : (
          <Text dimColor>{gateway?.mode === 'production' ? '  counts are offered in development and test mode only' : '  waiting for counts…'}</Text>
        )}
      </Text>
    </Box>
  );
}
