import { describe, expect, it } from 'vitest';
import { createDatabase } from '../adapters/db/create-database.js';
import { statementsAtOnce } from './statements-at-once.js';

describe('statementsAtOnce', () => {
  it("runs one statement at a time on PGlite's single connection (a waiting batch grows instead of splitting)", async () => {
    const db = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    try {
      expect(statementsAtOnce(db, 4)).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it("runs as many as wanted on PostgreSQL, up to the pool's size", async () => {
    // The pool connects lazily: nothing connects to this unreachable URL here.
    const url = 'postgres://nobody@127.0.0.1:1/none';
    const wide = createDatabase({ kind: 'postgres', url, poolSize: 10 });
    const narrow = createDatabase({ kind: 'postgres', url, poolSize: 2 });
    try {
      expect(statementsAtOnce(wide, 4)).toBe(4);
      expect(statementsAtOnce(narrow, 4)).toBe(2);
    } finally {
      await Promise.all([wide.destroy(), narrow.destroy()]);
    }
  });
});
