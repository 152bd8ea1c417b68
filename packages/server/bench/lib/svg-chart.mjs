// A small hand-written SVG chart: throughput (left axis) and p99 latency (right axis) against
// offered load, with the "throughput = offered" line that a sustained rate sits on.

const W = 720;
const H = 420;
const M = { left: 70, right: 70, top: 50, bottom: 60 };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Round-number axis maximum and ticks covering `max`. */
function niceTicks(max, count = 5) {
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const top = Math.ceil(max / step) * step || step;
  return { top, ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step) };
}

/**
 * points: [{ offered, throughput, p99 }]. Returns the SVG document as a string.
 */
export function throughputLatencyChart(points, { title, subtitle = '' }) {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = niceTicks(Math.max(...points.map((p) => p.offered)));
  const y = niceTicks(Math.max(x.top, ...points.map((p) => p.throughput)));
  const z = niceTicks(Math.max(1, ...points.map((p) => p.p99)));
  const sx = (v) => M.left + (v / x.top) * pw;
  const sy = (v) => M.top + ph - (v / y.top) * ph;
  const sz = (v) => M.top + ph - (v / z.top) * ph;
  const path = (key, scale) => points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.offered).toFixed(1)},${scale(p[key]).toFixed(1)}`).join(' ');
  const dots = (key, scale, color) =>
    points.map((p) => `<circle cx="${sx(p.offered).toFixed(1)}" cy="${scale(p[key]).toFixed(1)}" r="3.5" fill="${color}"/>`).join('');
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`);
  out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`);
  for (const t of y.ticks) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 8}" y="${sy(t) + 4}" text-anchor="end" fill="#1f77b4">${t}</text>`);
  }
  for (const t of z.ticks) out.push(`<text x="${M.left + pw + 8}" y="${sz(t) + 4}" fill="#d62728">${t}</text>`);
  for (const t of x.ticks) out.push(`<text x="${sx(t)}" y="${M.top + ph + 18}" text-anchor="middle">${t}</text>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push(
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(Math.min(x.top, y.top))}" y2="${sy(Math.min(x.top, y.top))}" stroke="#1f77b4" stroke-dasharray="4 4" opacity="0.5"/>`,
  );
  out.push(`<path d="${path('throughput', sy)}" fill="none" stroke="#1f77b4" stroke-width="2"/>${dots('throughput', sy, '#1f77b4')}`);
  out.push(`<path d="${path('p99', sz)}" fill="none" stroke="#d62728" stroke-width="2"/>${dots('p99', sz, '#d62728')}`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 18}" text-anchor="middle">offered load (payments/s)</text>`);
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="#1f77b4">webhooked payments/s (dashed: = offered)</text>`);
  out.push(`<text transform="translate(${W - 16} ${M.top + ph / 2}) rotate(90)" text-anchor="middle" fill="#d62728">p99 POST → webhook (ms)</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
