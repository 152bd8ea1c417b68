import { EventEmitter } from 'node:events';
import type { EventBus } from '../../ports/event-bus.js';

/** Single-process bus (embedded mode, and tests). */
export function createInProcessEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(events) {
      for (const e of events) emitter.emit(e.merchantId, e);
    },
    subscribe(merchantId, listener) {
      emitter.on(merchantId, listener);
      return () => emitter.off(merchantId, listener);
    },
    async ready() {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}
