import type { FastifyInstance } from 'fastify';
import { listQuerySchema, parseInput } from '@paygate/core';
import { findMerchantById } from '../../db/operations/merchants.js';
import { regenerateWebhookSecret, toWebhookConfigDto, updateWebhookConfig } from '../../services/merchants.js';
import { webhookConfigInputSchema } from '../../services/webhook-config-input.js';
import { getDelivery, listDeliveries, retryDelivery, sendTestWebhook } from '../../services/webhooks.js';
import type { AppDeps } from '../app-deps.js';

export async function webhookRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get('/api/v1/webhooks', { config: { auth: 'secret' } }, async (request) =>
    listDeliveries(deps, request.merchant!, parseInput(listQuerySchema, request.query)),
  );
  app.get<{ Params: { id: string } }>('/api/v1/webhooks/:id', { config: { auth: 'secret' } }, async (request) =>
    getDelivery(deps, request.merchant!, request.params.id),
  );
  app.post<{ Params: { id: string } }>('/api/v1/webhooks/:id/retry', { config: { auth: 'secret' } }, async (request) =>
    retryDelivery(deps, request.merchant!, request.params.id),
  );
  app.get('/api/v1/webhooks/config', { config: { auth: 'secret' } }, async (request) => {
    const fresh = await findMerchantById({ db: deps.db, id: request.merchant!.id });
    return toWebhookConfigDto(fresh!, deps.clock.now());
  });
  app.put('/api/v1/webhooks/config', { config: { auth: 'secret' } }, async (request) =>
    updateWebhookConfig(deps, request.merchant!, parseInput(webhookConfigInputSchema, request.body)),
  );
  app.post('/api/v1/webhooks/secret/regenerate', { config: { auth: 'secret' } }, async (request) =>
    regenerateWebhookSecret(deps, request.merchant!),
  );
  app.post('/api/v1/webhooks/test', { config: { auth: 'secret' } }, async (request, reply) =>
    reply.code(202).send(await sendTestWebhook(deps, request.merchant!)),
  );
}
