// Time per toPaymentDto call (a payment row to its wire shape; three per payment in the API, more
// in the workers), rows alternating UPI and card as the bench's payments do. Needs `npm run build`:
//   node packages/server/bench/micro/payment-dto.mjs 200000
// Prints five rounds; the first includes V8's warm-up. Under load the times rise, the ratio between
// two versions run back to back much less.
import { toPaymentDto } from '../../dist/model/wire.js';

const n = Number(process.argv[2] ?? 200_000);
const now = new Date();
const rows = Array.from({ length: 1_000 }, (_, i) => ({
  id: `pay_${String(i).padStart(16, '0')}`,
  merchant_id: 'mer_seed',
  order_id: `order_${String(i).padStart(14, '0')}`,
  amount: '50000', // bigint columns arrive as text from pg
  currency: 'INR',
  method: i % 2 === 0 ? 'upi' : 'card',
  vpa: i % 2 === 0 ? 'success@paygate' : null,
  card_network: i % 2 === 0 ? null : 'visa',
  card_last4: i % 2 === 0 ? null : '1111',
  status: 'pending',
  error_code: null,
  error_description: null,
  captured: false,
  amount_refunded: 0,
  decided_status: 'success',
  decided_error_code: null,
  decided_error_description: null,
  refunds_fail: false,
  process_after: now,
  enqueued_at: now,
  event_sequence: 2,
  created_at: now,
  updated_at: now,
  processed_at: null,
  idempotency_ref: null,
}));

let fields = 0;
for (let round = 1; round <= 5; round += 1) {
  const started = performance.now();
  for (let i = 0; i < n; i += 1) fields += Object.keys(toPaymentDto(rows[i % rows.length])).length;
  const micros = ((performance.now() - started) * 1000) / n;
  console.log(`round ${round}: ${micros.toFixed(2)} µs per call`);
}
console.log(`(${fields} fields written)`);
