import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument, renderDocsPage, type RegisteredRoute } from '../openapi.js';

/**
 * /openapi.json and /docs, built from every registered route on the first request for either.
 *
 * @remarks Not at start: converting every route's zod schemas to JSON Schema takes 80–120 ms of
 * CPU, which every `pg-cli dev` start paid while few of them ever open the docs. A schema that
 * can't be documented is caught by the OpenAPI test (which fetches both), not by a start.
 */
export async function docsRoutes(app: FastifyInstance, { routes }: { routes: readonly RegisteredRoute[] }) {
  let built: { doc: ReturnType<typeof buildOpenApiDocument>; page: string } | undefined;
  const docs = () => {
    if (!built) {
      const doc = buildOpenApiDocument(routes);
      built = { doc, page: renderDocsPage(doc) };
    }
    return built;
  };
  app.get('/openapi.json', async () => docs().doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docs().page));
}
