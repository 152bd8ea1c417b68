/** What one delivery attempt saw. `statusCode` is absent on connection errors and timeouts. */
export type SendResult = {
  statusCode?: number;
  latencyMs: number;
  responseBody?: string;
  retryAfter?: string;
  error?: string;
};

export interface HttpSender {
  send(input: { url: string; headers: Record<string, string>; body: string; timeoutMs: number }): Promise<SendResult>;
  close(): Promise<void>;
}
