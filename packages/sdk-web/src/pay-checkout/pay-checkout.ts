import { PayCheckout } from './pay-checkout.component.js';

// Registration lives apart from the class so importing the class defines nothing. Loading two
// copies (checkout.js and the ES module) must not throw "already defined".
if (!customElements.get('pay-checkout')) customElements.define('pay-checkout', PayCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'pay-checkout': PayCheckout;
  }
}

export { PayCheckout };
