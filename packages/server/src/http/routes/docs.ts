import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument, renderDocsPage, type RegisteredRoute } from '../openapi.js';

/** /openapi.json and /docs, built once from the routes registered by then (at the first request). */
export async function docsRoutes(app: FastifyInstance, { routes }: { routes: readonly RegisteredRoute[] }) {
  let built: { doc: ReturnType<typeof buildOpenApiDocument>; page: string } | undefined;
  const document = () => {
    if (!built) {
      const doc = buildOpenApiDocument(routes);
      built = { doc, page: renderDocsPage(doc) };
    }
    return built;
  };
  app.get('/openapi.json', async () => document().doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(document().page));
}
