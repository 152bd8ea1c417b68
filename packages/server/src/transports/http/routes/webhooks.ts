import type { FastifyInstance } from 'fastify';
import { parseInput } from '@paygate/core';
import { getWebhookConfig, regenerateWebhookSecret, updateWebhookConfig } from '../../../services/merchants.js';
import { webhookConfigInputSchema } from '../../../services/webhook-config-input.js';
import { webhookListQuerySchema } from '../../../services/webhook-list-query.js';
import { getDelivery, listDeliveries, retryDelivery, sendTestWebhook } from '../../../services/webhooks.js';
import type { AppDeps } from '../../../app-deps.js';
import { listOf, webhookConfigResponse, webhookDeliveryResponse, webhookRetryResponse, webhookTestResponse } from '../response-schemas.js';

export async function webhookRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get(
    '/api/v1/webhooks',
    {
      config: {
        auth: 'secret',
        openapi: {
          summary: 'Webhook delivery log with every attempt (?event=, ?payment_id= for one payment)',
          query: webhookListQuerySchema,
          responses: { 200: listOf(webhookDeliveryResponse) },
        },
      },
    },
    async (request) => listDeliveries(deps, request.merchant!, parseInput(webhookListQuerySchema, request.query)),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/webhooks/:id',
    {
      config: { auth: 'secret', openapi: { summary: 'One webhook delivery with every attempt', responses: { 200: webhookDeliveryResponse } } },
    },
    async (request) => getDelivery(deps, request.merchant!, request.params.id),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/webhooks/:id/retry',
    {
      config: { auth: 'secret', openapi: { summary: 'Retry a failed delivery now', responses: { 200: webhookRetryResponse } } },
    },
    async (request) => retryDelivery(deps, request.merchant!, request.params.id),
  );
  app.get(
    '/api/v1/webhooks/config',
    {
      config: { auth: 'secret', openapi: { summary: 'Get webhook URL, events and secret', responses: { 200: webhookConfigResponse } } },
    },
    async (request) => getWebhookConfig(deps, request.merchant!),
  );
  app.put(
    '/api/v1/webhooks/config',
    {
      config: { auth: 'secret', openapi: { summary: 'Set webhook URL and events', body: webhookConfigInputSchema, responses: { 200: webhookConfigResponse } } },
    },
    async (request) => updateWebhookConfig(deps, request.merchant!, parseInput(webhookConfigInputSchema, request.body)),
  );
  app.post(
    '/api/v1/webhooks/secret/regenerate',
    {
      config: {
        auth: 'secret',
        openapi: { summary: 'Rotate the signing secret (old one valid for a grace period)', responses: { 200: webhookConfigResponse } },
      },
    },
    async (request) => regenerateWebhookSecret(deps, request.merchant!),
  );
  app.post(
    '/api/v1/webhooks/test',
    {
      config: {
        auth: 'secret',
        // 400: no URL; 409: the endpoint is disabled or receives only other events (nothing would be sent)
        openapi: { summary: 'Send a webhook.test event', responses: { 202: webhookTestResponse }, errors: [400, 409] },
      },
    },
    async (request, reply) => reply.code(202).send(await sendTestWebhook(deps, request.merchant!)),
  );
}
