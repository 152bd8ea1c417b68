/** A row of packages/server/README.md's "REST routes" table. */
export type DocumentedRoute = { method: string; path: string; successStatus: number; isList: boolean; pattern: RegExp };

/**
 * The status each README command must get back is the one the server README documents for its
 * route (its "success" column), so the two documents are checked against each other and against
 * the gateway. A list route is one whose notes take `?limit&offset`.
 */
export function parseRouteTable(serverReadme: string): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const row of serverReadme.split('\n')) {
    const cells = row.split('|').map((c) => c.trim());
    // | method | path | auth | success | notes |
    const [, method, path, , success, notes] = cells;
    if (!method || !/^(GET|POST|PUT|DELETE|PATCH)$/.test(method) || !path || !success) continue;
    for (const one of path.split(',').map((p) => p.trim().replace(/`/g, ''))) {
      const pattern = new RegExp(`^${one.replace(/\{[a-z_]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);
      routes.push({ method, path: one, successStatus: Number(success), isList: (notes ?? '').includes('?limit&offset'), pattern });
    }
  }
  if (routes.length < 20) throw new Error(`packages/server/README.md: the REST route table has only ${routes.length} rows; did its format change?`);
  return routes;
}

export function findRoute(routes: DocumentedRoute[], method: string, path: string): DocumentedRoute | undefined {
  return routes.find((r) => r.method === method && r.pattern.test(path));
}
