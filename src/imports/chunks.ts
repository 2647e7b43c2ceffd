import type BetterSqlite3 from 'better-sqlite3'

/**
 * How the streamed SQLite imports insert rows a chunk at a time (the timesheet lines of new cards, sign-ins):
 * `n` pending rows of `params` values each in `values`. A full chunk goes in one multi-row INSERT (`chunk`,
 * plain: a row that repeats a unique key aborts the whole statement); then it returns true. Otherwise (fewer
 * rows, or a repeat) each row goes in with `one` (INSERT OR IGNORE) and `each` hears whether it was stored
 * (false: it repeats a key, of this file or the store), in order; then it returns false.
 */
export function insertChunk(statements: {chunk: BetterSqlite3.Statement; one: BetterSqlite3.Statement}, values: unknown[], n: number, params: number,
  each: (j: number, stored: boolean) => void): boolean {
  if (n * params === values.length) {
    try {
      statements.chunk.run(values)
      return true
    } catch (error) {
      if (!String((error as {code?: unknown}).code).startsWith('SQLITE_CONSTRAINT')) throw error
    }
  }
  for (let j = 0; j < n; j++) each(j, statements.one.run(values.slice(j * params, (j + 1) * params)).changes === 1)
  return false
}
