/** Anything with a Fetch-style `get(name)`: `Headers` in browsers, Deno, Bun, Node 18+ and edge workers. */
export interface HeadersLike {
  get(name: string): string | null;
}

/**
 * Request headers in any common shape: a Fetch `Headers`, Node's `IncomingHttpHeaders`
 * (`req.headers` in Express and Fastify), or a plain object. Names match case-insensitively.
 *
 * @remarks Declared structurally so the published types need neither the DOM lib nor
 * `@types/node`.
 */
export type WebhookHeaders = HeadersLike | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Every value of the header `name`, in the order found; `[]` when it is absent.
 *
 * Tolerates any input (the verifier promises to throw only its own error): a non-object gives
 * `[]`, non-string values are skipped, and a throwing `get` counts as absent.
 */
export function getHeaderValues(headers: unknown, name: string): string[] {
  if (typeof headers !== 'object' || headers === null) return [];
  const lowerName = name.toLowerCase();
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    let value: unknown;
    try {
      value = getter.call(headers, lowerName);
    } catch {
      return [];
    }
    return typeof value === 'string' ? [value] : [];
  }
  const values: string[] = [];
  // Plain objects may mix spellings ("Webhook-Id" from a hand-written test, "webhook-id" from
  // Node), so look at every key rather than trying a few casings.
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== lowerName) continue;
    const value: unknown = (headers as Record<string, unknown>)[key];
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) {
      for (const item of value as unknown[]) if (typeof item === 'string') values.push(item);
    }
  }
  return values;
}
