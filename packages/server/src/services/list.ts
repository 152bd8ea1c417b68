import type { Page } from '../adapters/db/operations/pagination.js';

/** The list envelope every collection endpoint returns: `{data, total, limit, offset}`. */
export function toListDto<Row, Dto>(page: Page<Row>, query: { limit: number; offset: number }, map: (row: Row) => Dto) {
  return { data: page.rows.map(map), total: page.total, limit: query.limit, offset: query.offset };
}
