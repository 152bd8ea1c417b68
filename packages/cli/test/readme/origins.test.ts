import { describe, expect, it } from 'vitest';
import { rewriteReadmeOrigins } from './origins.js';

describe('rewriteReadmeOrigins', () => {
  it('puts the test gateway and receiver in place of the READMEs’ localhost and 127.0.0.1 addresses', () => {
    const origins = { gateway: 'http://127.0.0.1:35001', receiver: 'http://127.0.0.1:36002' };
    const text = 'curl http://localhost:8000/api/v1/orders -d \'{"webhook_url":"http://127.0.0.1:4000/webhook"}\' http://127.0.0.1:8000/health';
    expect(rewriteReadmeOrigins(text, origins)).toBe(
      'curl http://127.0.0.1:35001/api/v1/orders -d \'{"webhook_url":"http://127.0.0.1:36002/webhook"}\' http://127.0.0.1:35001/health',
    );
  });

  it('leaves a gateway whose port begins with 4000 as it is', () => {
    const origins = { gateway: 'http://127.0.0.1:40001', receiver: 'http://127.0.0.1:36002' };
    expect(rewriteReadmeOrigins('curl http://localhost:8000/api/v1/orders', origins)).toBe('curl http://127.0.0.1:40001/api/v1/orders');
  });

  it('does not touch other ports that begin with the same digits', () => {
    const origins = { gateway: 'http://127.0.0.1:35001', receiver: 'http://127.0.0.1:36002' };
    expect(rewriteReadmeOrigins('http://localhost:80001 http://localhost:40000/x', origins)).toBe('http://localhost:80001 http://localhost:40000/x');
  });
});
