// POST /api/v1/orders at `connections`, closed loop: the figure to hold against pgbench's
// single-row INSERT rate (an order is one INSERT).
import { closedLoop } from '../lib/api-client.mjs';
import { measureCpu, perUnitUs } from '../lib/cpu.mjs';

export async function ordersSection(deployment, api, { connections, seconds }) {
  const send = () => api.post('/api/v1/orders', { amount: 50000, currency: 'INR' });
  await closedLoop(connections, 500, send); // warm up: pool connections, JIT
  const { result, spentMs } = await measureCpu(deployment.roles, () => closedLoop(connections, seconds * 1000, send));
  return {
    connections,
    seconds,
    orders_per_second: Math.round(result.done / result.seconds),
    errors: result.errors,
    ...(result.firstError ? { first_error: result.firstError } : {}),
    cpu_us_per_order: perUnitUs(spentMs, result.done),
  };
}
