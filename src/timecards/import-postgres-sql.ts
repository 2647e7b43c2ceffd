/**
 * PostgreSQL engine file: the SQL the timesheet import (import-postgres.ts) shares with the server functions
 * that run parts of it as the store's owner (store/postgres-security.ts: custodian_timesheet_stage and
 * custodian_timesheet_lines), so that the function and the import's own statements (a store whose functions
 * predate these) make the same table and insert the same lines.
 */

/**
 * The staging table of one import: every line of the file, checked or rejected, dropped at commit. No index:
 * every statement reads the whole table (hash joins and aggregates), and keeping a btree for a million COPY rows
 * costs more than it saves.
 */
export const STAGE_TABLE = `CREATE TEMP TABLE timesheet_stage (row int NOT NULL, ref int, period text COLLATE "C", work_date text COLLATE "C",
  hour_type text COLLATE "C", hours int, account text COLLATE "C", issues text, cells text, late text, late_status text,
  existed boolean NOT NULL DEFAULT false) ON COMMIT DROP`

/** The staged lines that go in as new lines of their employee's current card of the pay period. */
export const NEW_LINES = 's.ref IS NOT NULL AND s.late IS NULL AND NOT s.existed'

/** The lines' insert; `batch` gives the import batch's id (a parameter, or an expression of the function's argument), `join` more of the FROM clause. */
export const insertLinesSql = (stage: string, batch: string, join = ''): string => `INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id)
  SELECT c.id, s.work_date, s.hour_type, s.hours, s.account, ${batch} FROM ${stage} s
  JOIN timecards c ON c.employee_ref = s.ref AND c.pay_period_start = s.period AND c.is_current = 1 ${join}
  WHERE ${NEW_LINES}`

/**
 * The cards of pay periods that have none yet (custodian_timesheet_new_cards, with `batch`, `at` and `actor`
 * its arguments): one per employee and pay period of the new lines, in the order the file first names them,
 * each with its history entry counting its lines (the cards' insert returns their ids: no second lookup).
 */
export const NEW_CARDS = `WITH g AS (
    SELECT s.ref, s.period, min(s.row) AS first, count(*) AS n FROM ONLY pg_temp.timesheet_stage s WHERE ${NEW_LINES} GROUP BY s.ref, s.period
  ), made AS (
    INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, created_at, updated_at)
    SELECT g.ref, g.period, 1, 'draft', 1, at, at FROM g ORDER BY g.first
    RETURNING id, employee_ref, pay_period_start, version
  )
  INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
  SELECT made.id, at, actor, 'import', made.version, '[{"field":"lines imported","from":null,"to":' || g.n || '}]', NULL
  FROM made JOIN g ON g.ref = made.employee_ref AND g.period = made.pay_period_start ORDER BY made.id;`
