// The public surface of @paygate/sdk-web. Importing it defines <pay-checkout> (once).
export { PayCheckout } from './pay-checkout/pay-checkout.js';
export type { CheckoutView, PaymentMethodTab } from './pay-checkout/pay-checkout.component.js';
export { UPI_QR_LIFETIME_S } from './pay-checkout/pay-checkout.component.js';
export type { PaySuccessDetail, PayFailureDetail, PaySuccessEvent, PayFailureEvent, PayCloseEvent } from './pay-checkout/events.js';
export { PaymentGateway } from './payment-gateway/payment-gateway.js';
export type { PaymentGatewayOptions, PaymentSuccessResponse, PaymentFailureResponse } from './payment-gateway/payment-gateway.js';
export { createCheckoutApi, CheckoutApiError } from './internal/checkout-api.js';
export type { CheckoutApi, CheckoutApiOptions, CheckoutOrder, CheckoutPayment, CheckoutPaymentInput } from './internal/checkout-api.js';
export { formatAmount } from './internal/format-amount.js';
export { formatCardNumber, formatExpiry, cardNumberError, expiryError, cvvError, vpaError } from './internal/card-fields.js';
export { buildUpiIntent } from './internal/upi-intent.js';
