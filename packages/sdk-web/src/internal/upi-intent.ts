import { encode } from 'uqr';

/** What a UPI intent names: who is paid, how much, and the note the shopper's app shows. */
export type UpiIntent = { payeeVpa: string; payeeName: string; amount: string; note: string };

/**
 * A `upi://pay` intent (NPCI's deep-link format): `pa` payee VPA, `pn` payee name, `am` amount in
 * rupees, `cu` currency, `tn` note. Any UPI app opens it, from a QR code or a link on a phone.
 */
export function buildUpiIntent(intent: UpiIntent): string {
  const params = [
    ['pa', intent.payeeVpa],
    ['pn', intent.payeeName],
    ['am', intent.amount],
    ['cu', 'INR'],
    ['tn', intent.note],
  ];
  return `upi://pay?${params.map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`).join('&')}`;
}

/**
 * The QR code of `text` as one SVG path (a unit square per dark module), so it draws crisply at
 * any size from a few hundred bytes. Medium error correction survives a glare on a screen.
 */
export function qrCodePath(text: string): { size: number; path: string } {
  const qr = encode(text, { ecc: 'M', border: 2 });
  let path = '';
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return { size: qr.size, path };
}
