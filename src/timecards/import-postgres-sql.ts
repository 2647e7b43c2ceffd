/**
 * PostgreSQL engine file: the SQL the timesheet import (import-postgres.ts) shares with the server functions
 * that run parts of it as the store's owner (store/postgres-security.ts: custodian_timesheet_stage and
 * custodian_timesheet_lines), so that the function and the import's own statements (a store whose functions
 * predate these) make the same table and insert the same lines.
 */

/**
 * The staging table of one import: every line of the file, checked or rejected, dropped at commit. `card` numbers
 * the checked lines' employee and pay period pairs 1, 2, ... in the order the file first names them (the import
 * counts them as it reads: custodian_timesheet_new_cards takes a line's card by it, no join). No index:
 * every statement reads the whole table (hash joins and aggregates), and keeping a btree for a million COPY rows
 * costs more than it saves.
 */
export const STAGE_TABLE = `CREATE TEMP TABLE timesheet_stage (row int NOT NULL, ref int, card int, period text COLLATE "C", work_date text COLLATE "C",
  hour_type text COLLATE "C", hours int, account text COLLATE "C", issues text, cells text, late text, late_status text,
  existed boolean NOT NULL DEFAULT false) ON COMMIT DROP`

/** The staged lines that go in as new lines of their employee's current card of the pay period. */
export const NEW_LINES = 's.ref IS NOT NULL AND s.late IS NULL AND NOT s.existed'

/** The lines' insert; `batch` gives the import batch's id (a parameter, or an expression of the function's argument), `join` more of the FROM clause. */
export const insertLinesSql = (stage: string, batch: string, join = ''): string => `INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id)
  SELECT c.id, s.work_date, s.hour_type, s.hours, s.account, ${batch} FROM ${stage} s
  JOIN timecards c ON c.employee_ref = s.ref AND c.pay_period_start = s.period AND c.is_current = 1 ${join}
  WHERE ${NEW_LINES}`

/** A card's history entry for the lines an import gave it (`n`: their count, an SQL expression), as timecards/history.ts writes it on SQLite. */
export const linesImportedChanges = (n: string): string => `'[{"field":"lines imported","from":null,"to":' || ${n} || '}]'`

/**
 * The usual bulk import, of pay periods that have no cards yet (custodian_timesheet_new_cards, with `batch`, `at`,
 * `actor`, `scope`, `ids` and `cards` its variables). First one statement: one card per `card` number of the new
 * lines, in the order the file first names them, each with its history entry counting its lines; the caller's
 * scope checked on each card (the refusal, a function that raises, is called only when the check fails; an
 * employee the store does not have fails it), and the cards' ids, by number, into `ids`. Then the lines, each
 * into `ids[card]`: a read of the staging table, no join (hashing a million lines to find their cards cost about
 * as much as inserting them). Every line goes into a card made here and checked, so the cards' check covers the
 * lines; numbers that are not 1..n, or a line without one, are refused.
 */
export const NEW_CARDS = `WITH g AS (
    SELECT s.card, min(s.ref) AS ref, min(s.period) AS period, min(s.row) AS first, count(*) AS n
    FROM ONLY pg_temp.timesheet_stage s WHERE ${NEW_LINES} GROUP BY s.card
  ), made AS (
    INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, created_at, updated_at)
    SELECT g.ref, g.period, CASE WHEN e.id IS NOT NULL AND (scope = '' OR starts_with(e.org_code, scope)) THEN 1 ELSE custodian_timesheet_refused(scope) END,
      'draft', 1, at, at FROM g LEFT JOIN employees e ON e.id = g.ref ORDER BY g.first
    RETURNING id, employee_ref, pay_period_start, version
  ), mg AS (
    SELECT made.id, made.version, g.card, g.n FROM made JOIN g ON g.ref = made.employee_ref AND g.period = made.pay_period_start
  ), history AS (
    INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
    SELECT mg.id, at, actor, 'import', mg.version, ${linesImportedChanges('mg.n')}, NULL FROM mg ORDER BY mg.id
  )
  SELECT array_agg(mg.id ORDER BY mg.card), count(*), count(mg.card), min(mg.card), max(mg.card) INTO ids, cards, numbered, lo, hi FROM mg`

/** The new lines into the cards NEW_CARDS made: `ids`, `batch` as there. */
export const NEW_CARD_LINES = `INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id)
  SELECT ids[s.card], s.work_date, s.hour_type, s.hours, s.account, batch FROM ONLY pg_temp.timesheet_stage s WHERE ${NEW_LINES}`
