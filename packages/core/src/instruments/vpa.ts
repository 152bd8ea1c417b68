// NPCI VPA format as Paygate accepts it: a handle of letters, digits, '.', '-', '_' and a
// bank/PSP name of letters, e.g. `user@paytm`, `jane.doe-1@okaxis`.
/** The VPA format as a regular expression (used by `isValidVpa` and the payment schema). */
export const VPA_PATTERN = /^[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}$/;

/** Whether `vpa` is a UPI virtual payment address like `name@bank` (`^[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}$`). */
export function isValidVpa(vpa: unknown): vpa is string {
  return typeof vpa === 'string' && VPA_PATTERN.test(vpa);
}
