import { html } from 'lit';
import type { Api } from '../lib/api.js';
import { LightElement } from '../lib/light-element.js';

/**
 * The three snippets a merchant needs, filled with the signed-in key. The secret never appears:
 * snippets read it from the environment, where it belongs.
 */
export function docSnippets(origin: string, apiKey: string) {
  return {
    createOrder: `curl -X POST ${origin}/api/v1/orders \\
  -H "X-Api-Key: ${apiKey}" \\
  -H "X-Api-Secret: $PAYGATE_API_SECRET" \\
  -H "Content-Type: application/json" \\
  -d '{"amount": 50000, "currency": "INR", "receipt": "receipt_123"}'`,
    sdk: `<script src="${origin}/checkout.js"></script>

<button id="pay-button">Pay ₹500.00</button>
<script>
  document.getElementById('pay-button').addEventListener('click', function () {
    const checkout = new PaymentGateway({
      key: '${apiKey}',
      orderId: 'order_…', // created by your server (above)
      onSuccess: function (response) {
        window.location.href = '/success?payment_id=' + response.paymentId;
      },
      onFailure: function (error) {
        alert('Payment failed: ' + error.error);
      },
      onClose: function () {},
    });
    checkout.open();
  });
</script>`,
    webhook: `// npm install @paygate/webhook-verify express
import express from 'express';
import { verifyWebhook, isWebhookVerificationError } from '@paygate/webhook-verify';

const app = express();
// express.raw, not express.json: the signature covers the exact bytes Paygate sent.
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  try {
    // The signing secret from the Webhooks page (whsec_…), kept in your server's environment.
    const event = await verifyWebhook(req.body, req.headers, process.env.PAYGATE_WEBHOOK_SECRET);
    res.status(200).json({ received: true });
    console.log(event.event, event.id); // dedupe on event.id: a retry carries the same id
  } catch (error) {
    if (!isWebhookVerificationError(error)) throw error;
    res.status(error.status).json({ error: error.reason, hint: error.hint });
  }
});

app.listen(4000);`,
  };
}

type Section = { id: string; testId: string; snippetTestId: string; title: string; intro: string; code: string; language: string };

export class DocsPage extends LightElement {
  static override properties = {
    api: { attribute: false },
    copied: { state: true },
  };

  declare api: Api;
  declare copied: string | undefined;

  constructor() {
    super();
    this.copied = undefined;
  }

  private async copy(section: Section): Promise<void> {
    try {
      await navigator.clipboard.writeText(section.code);
      this.copied = section.id;
    } catch {
      const code = this.querySelector(`[data-test-id="${section.snippetTestId}"]`);
      if (code) getSelection()?.selectAllChildren(code);
      this.copied = undefined;
    }
  }

  override render() {
    const s = docSnippets(location.origin, this.api.apiKey);
    const sections: Section[] = [
      {
        id: 'create-order',
        testId: 'section-create-order',
        snippetTestId: 'code-snippet-create-order',
        title: '1. Create an order (your server)',
        intro: 'Amounts are integers in minor units (50000 = ₹500.00). Send your secret from the server only, never from a browser.',
        code: s.createOrder,
        language: 'shell',
      },
      {
        id: 'sdk',
        testId: 'section-sdk-integration',
        snippetTestId: 'code-snippet-sdk',
        title: '2. Take the payment (your web page)',
        intro: 'The checkout needs only your API key, which is public: the browser never sees the secret.',
        code: s.sdk,
        language: 'html',
      },
      {
        id: 'webhook',
        testId: 'section-webhook-verification',
        snippetTestId: 'code-snippet-webhook',
        title: '3. Verify webhooks (your server)',
        intro: 'Every delivery is signed (Standard Webhooks headers, and the seed\u2019s X-Webhook-Signature). Check it before trusting the event.',
        code: s.webhook,
        language: 'javascript',
      },
    ];
    return html`
      <section class="page" data-test-id="api-docs">
        <h1>API docs</h1>
        <p>
          Snippets for your key <code>${this.api.apiKey}</code>. The full reference is at <a href="/docs">/docs</a> (interactive) and
          <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1, for code generators).
        </p>
        ${sections.map(
          (section) =>
            html`<article class="card" data-test-id=${section.testId} aria-labelledby="h-${section.id}">
              <div class="card-head">
                <h2 id="h-${section.id}">${section.title}</h2>
                <button type="button" class="secondary" @click=${() => this.copy(section)} aria-label="Copy the ${section.id} snippet">
                  ${this.copied === section.id ? 'Copied' : 'Copy'}
                </button>
              </div>
              <p class="muted">${section.intro}</p>
              <pre class="code" tabindex="0"><code data-test-id=${section.snippetTestId} data-language=${section.language}>${section.code}</code></pre>
            </article>`,
        )}
      </section>
    `;
  }
}

customElements.get('pg-docs-page') || customElements.define('pg-docs-page', DocsPage);
