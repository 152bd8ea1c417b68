// checkout.js is loaded on every merchant page that offers Paygate: keep it small. The build
// prints its size against the 25 kB gzip target; this fails once it passes 40 kB.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKOUT_GZIP_LIMIT_BYTES, checkoutBundleSize } from '../scripts/bundle-size.mjs';

const bundle = fileURLToPath(new URL('../dist/checkout.js', import.meta.url));

describe('checkout.js (built by npm run build)', () => {
  it('exists: the gateway serves it', () => {
    expect(existsSync(bundle), `${bundle} is missing: run npm run build`).toBe(true);
  });

  it('stays under 40 kB gzip', () => {
    const { gzip } = checkoutBundleSize(bundle);
    expect(gzip).toBeGreaterThan(5_000); // it holds Lit and the element: a tiny file is a broken build
    expect(gzip).toBeLessThan(CHECKOUT_GZIP_LIMIT_BYTES);
  });

  it('is one classic script with the seed API and no module syntax or Node leftovers', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('PaymentGateway');
    expect(code).toContain('pay-checkout');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bprocess\.env\b|require\(/);
  });
});
