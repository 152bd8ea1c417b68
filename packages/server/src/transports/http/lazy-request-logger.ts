import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

/**
 * A request's logger that becomes pino's child of the app's logger the first time it writes a
 * line its level lets through, or is asked for a child or a level of its own. Fastify makes a
 * logger for every request, bound to its `reqId`, and pino serialises those bindings at once
 * (through createLogger's redaction): 4–7 % of the API's instructions an order, for lines that
 * at the default levels almost no request writes (errors, and the request lines at `debug`).
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  private write(level: Level, args: unknown[]): void {
    // The parent's level unless a level of this request's own was set (which made the child).
    if (this.#child === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.logger()[level] as (...a: unknown[]) => void)(...args);
  }

  private logger(): Logger {
    this.#child ??= this.parent.child(this.bindings);
    return this.#child;
  }
}

/**
 * Fastify's `childLoggerFactory`: a {@link LazyRequestLogger}, or pino's child at once where a
 * route gives the request a level or serializers of its own (none does today).
 */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const pinoLogger = logger as Logger;
  return options.level !== undefined || options.serializers !== undefined ? pinoLogger.child(bindings, options) : new LazyRequestLogger(pinoLogger, bindings);
}
