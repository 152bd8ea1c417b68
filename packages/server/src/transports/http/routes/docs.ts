import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument, renderDocsPage, type RegisteredRoute } from '../openapi.js';

/**
 * /openapi.json and /docs, built once every route is registered (when the app gets ready, so a
 * schema that can't be documented stops the start instead of answering 500 later).
 */
export async function docsRoutes(app: FastifyInstance, { routes }: { routes: readonly RegisteredRoute[] }) {
  let doc: ReturnType<typeof buildOpenApiDocument> | undefined;
  let page = '';
  app.addHook('onReady', async () => {
    doc = buildOpenApiDocument(routes);
    page = renderDocsPage(doc);
  });
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
}
