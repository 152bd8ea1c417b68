import { describe, expect, it } from 'vitest';
import { buildUpiIntent, qrCodePath } from './upi-intent.js';

describe('UPI intent', () => {
  it('is a upi://pay link with payee, amount, currency and note, encoded', () => {
    expect(buildUpiIntent({ payeeVpa: 'paygate.m1@paygate', payeeName: 'Chai & Co', amount: '500.00', note: 'Order order_1' })).toBe(
      'upi://pay?pa=paygate.m1%40paygate&pn=Chai%20%26%20Co&am=500.00&cu=INR&tn=Order%20order_1',
    );
  });

  it('draws a square QR code with its finder patterns', () => {
    const { size, path } = qrCodePath('upi://pay?pa=a@b&am=1.00');
    expect(size).toBeGreaterThanOrEqual(25); // version 1 (21) + a border of 2 on each side
    // The top-left finder pattern starts at the border: its first module is dark.
    expect(path.startsWith('M2 2h1v1h-1z')).toBe(true);
  });
});
