import { LitElement } from 'lit';

/**
 * Pages render into the light DOM, not a shadow root: the seed's data-test-ids must be found
 * by any outside test with a plain `document.querySelector`, and one stylesheet (styles.css,
 * loaded by a <link>, allowed by the CSP) styles the whole app.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
