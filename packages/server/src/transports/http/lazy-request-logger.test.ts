import { describe, expect, it, vi } from 'vitest';
import { captureLogs } from '../../../test/helpers/log-capture.js';
import { LazyRequestLogger, lazyRequestLogger } from './lazy-request-logger.js';

function requestLogger(level: string) {
  const { logger, lines } = captureLogs(level);
  const child = vi.spyOn(logger, 'child');
  return { log: new LazyRequestLogger(logger, { reqId: 'req-1' }), lines, child };
}

describe('LazyRequestLogger', () => {
  it('makes no child for lines below the level, and one child, bound to the request, for all it writes', () => {
    const { log, lines, child } = requestLogger('warn');
    log.info('not written');
    log.debug({ a: 1 }, 'nor this');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);

    log.warn({ req: { headers: { authorization: 'Basic c2VjcmV0' } } }, 'slow');
    log.error(new Error('boom'));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.level, l.reqId, l.msg])).toEqual([
      [40, 'req-1', 'slow'],
      [50, 'req-1', 'boom'],
    ]);
    // The parent's redaction still applies to the child's lines.
    expect(JSON.stringify(lines[0])).not.toContain('c2VjcmV0');
  });

  it("a level of the request's own holds for its lines; a child of it keeps the request's bindings", () => {
    const { log, lines } = requestLogger('warn');
    expect(log.level).toBe('warn');
    log.level = 'debug';
    expect(log.level).toBe('debug');
    log.debug('now written');
    log.child({ job: 'j1' }).info('from the child');
    expect(lines.map((l) => [l.msg, l.reqId, l['job']])).toEqual([
      ['now written', 'req-1', undefined],
      ['from the child', 'req-1', 'j1'],
    ]);
  });

  it("the factory makes pino's child at once when a route gives its own level", () => {
    const { logger } = captureLogs('warn');
    expect(lazyRequestLogger(logger, { reqId: 'r' }, {})).toBeInstanceOf(LazyRequestLogger);
    const routeLevel = lazyRequestLogger(logger, { reqId: 'r' }, { level: 'debug' });
    expect(routeLevel).not.toBeInstanceOf(LazyRequestLogger);
    expect(routeLevel.level).toBe('debug');
  });
});
