import type { z } from 'zod';

/** A response that is not JSON (Server-Sent Events, Prometheus text). */
export type RawResponseDoc = { description: string; contentType: string };

/**
 * What a route tells the OpenAPI document about itself, declared beside the handler in its
 * Fastify `config` (not in `schema`, which would make Fastify validate and serialize with it and
 * change what the API answers). Authentication and idempotency are read from the route's own
 * `config.auth` and `config.idempotent`, the values the plugins enforce.
 */
export type RouteDoc = {
  summary: string;
  /** The schema the handler parses the JSON body with (core's, mostly). */
  body?: z.ZodType;
  /** The schema the handler parses the query string with; each property becomes a parameter. */
  query?: z.ZodType;
  /** Success answers by status: a zod schema for JSON, or a raw content type. */
  responses: Record<number, z.ZodType | RawResponseDoc>;
  /** Error statuses besides those read off the route (400, 401, 404, 409, 422, 429). */
  errors?: readonly number[];
};
