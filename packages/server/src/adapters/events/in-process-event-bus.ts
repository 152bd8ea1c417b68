import { EventEmitter } from 'node:events';
import type { EventBus } from '../../ports/event-bus.js';

/** Single-process bus (embedded mode, and tests). */
export function createInProcessEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async announce(merchantIds) {
      for (const merchantId of new Set(merchantIds)) emitter.emit(merchantId);
    },
    subscribe(merchantId, onEvents) {
      emitter.on(merchantId, onEvents);
      return () => emitter.off(merchantId, onEvents);
    },
    async ready() {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}
