// checkout.js, for a <script> tag: defines <pay-checkout> and window.PaymentGateway, the seed's API.
import { PayCheckout } from './pay-checkout/pay-checkout.js';
import { PaymentGateway } from './payment-gateway/payment-gateway.js';

declare global {
  interface Window {
    PaymentGateway: typeof PaymentGateway;
  }
}

// The script is served by the gateway, so the API is wherever the script came from: the seed's
// snippet (`<script src="http://localhost:3001/checkout.js">`) then needs no other setting.
const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.src) PayCheckout.defaultApiBase = new URL(script.src).origin;

window.PaymentGateway = PaymentGateway;
