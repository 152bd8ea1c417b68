import type { Knex } from 'knex';

/**
 * Every row of every table the gateway's database holds (all schemas but the catalogues), each
 * as one JSON line `table {…all columns…}`: what someone holding a dump of the database sees.
 * Dates come out as ISO-8601, jsonb as JSON, bigint as text.
 */
export async function dumpDatabase(db: Knex): Promise<string> {
  const tables = (
    await db.raw<{ rows: { table_schema: string; table_name: string }[] }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2`,
    )
  ).rows;
  const lines: string[] = [];
  for (const t of tables) {
    const rows = (await db.raw<{ rows: unknown[] }>(`SELECT * FROM "${t.table_schema}"."${t.table_name}"`)).rows;
    for (const row of rows) lines.push(`${t.table_schema}.${t.table_name} ${JSON.stringify(row)}`);
  }
  return lines.join('\n');
}
