import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument, renderDocsPage } from '../openapi.js';

export async function docsRoutes(app: FastifyInstance) {
  const doc = buildOpenApiDocument();
  const page = renderDocsPage(doc);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
}
