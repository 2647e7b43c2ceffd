import fs from 'node:fs'
import type {Writable} from 'node:stream'

import {sql} from 'kysely'
import {from as copyFrom} from 'pg-copy-streams'

import {inScope} from '../auth/roles.js'
import {DEFAULT_ANCHOR} from '../calendar/payperiods.js'
import {CsvParser, parseRecord} from '../csv/parse.js'
import {Utf8Text, mapHeader} from '../csv/read.js'
import {lineMessages, warmUpLineWorker} from './line-worker.js'
import type {RowIssue, StreamKind} from '../imports/engine.js'
import {pgRows} from '../store/postgres.js'
import type {PostgresStore} from '../store/store.js'
import {quoteValue} from '../text/redact.js'
import {TIMESHEET_COLUMNS} from './checks.js'
import {F, FIELDS, type LineReaderOptions, batchInts, newLineSlots} from './import-lines.js'
import {STAGE_TABLE, insertLinesSql, linesImportedChanges} from './import-postgres-sql.js'

/**
 * PostgreSQL engine file: the timesheet import, set-wise. The worker thread of the SQLite import reads,
 * parses and checks the lines (import-lines.ts; employees, hour types and the anchor read here once), and
 * every line, checked or rejected, streams through COPY ... FROM STDIN into a staging table. Then a few
 * statements decide what needs the store (TS-LOCKED, TS-DUP-ROW), make the new cards, send touched
 * validated cards back to draft, update the lines the file repeats and insert the rest, with the cards'
 * history. Rejected rows are reported in row order at the end, as on SQLite. All in the import's one
 * transaction; the staging table goes at its end. The staging table, and the inserts of new cards, their
 * history and new lines, are the store owner's SECURITY DEFINER functions (store/postgres-security.ts): for a
 * login that row-level security binds (a timekeeper) they replace its per-row checks with one of the scope.
 */


/** A value in COPY's text format. */
const copyText = (v: string | number | null): string =>
  v === null ? '\\N' : typeof v === 'number' ? String(v) : v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve, reject) => {
    stream.once('drain', resolve)
    stream.once('error', reject)
  })
}

/** The cells of some data rows (1-based, header excluded) of a CSV, parsed as the worker parsed them. */
function cellsOfRows(file: string, wanted: ReadonlySet<number>): Map<number, string[]> {
  const found = new Map<number, string[]>()
  if (wanted.size === 0) return found
  let row = 0
  const parser = new CsvParser((cells) => {
    if (wanted.has(row)) found.set(row, cells)
    row++
  })
  const utf8 = new Utf8Text(file)
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(1 << 16)
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      parser.push(utf8.decode(buf.subarray(0, n)))
    }
    parser.push(utf8.end())
    parser.end()
  } finally {
    fs.closeSync(fd)
  }
  return found
}

/**
 * Of employee ids the operator's lookups did not find, those that exist outside a scoped operator's org: the
 * server hides them (row-level security), and custodian_employee_org tells their org only, so the line is
 * TS-SCOPE, as on SQLite, not TS-EMPLOYEE.
 */
async function hiddenByScope(store: PostgresStore, orgPrefix: string | null, ids: string[]): Promise<Set<string>> {
  if (orgPrefix === null || ids.length === 0) return new Set()
  const {rows} = await store.pool.query<{id: string}>('SELECT id FROM unnest($1::text[]) AS u(id) WHERE custodian_employee_org(id) IS NOT NULL', [[...new Set(ids)]])
  return new Set(rows.map((r) => r.id))
}

export const timesheetImportPostgres: StreamKind = {
  kind: 'timesheets',
  columns: TIMESHEET_COLUMNS,
  warmUp() {
    warmUpLineWorker()
  },
  async read(ctx, rows) {
    const store = ctx.store as PostgresStore
    const query = <R>(text: string, values: unknown[] = []) => pgRows<R>(store, text, values)
    const hourTypes = (await query<{code: string}>('SELECT code FROM hour_types ORDER BY code')).map((r) => r.code)
    const anchor = (await query<{value: string}>("SELECT value FROM settings WHERE key = 'payperiod.anchor'"))[0]?.value ?? DEFAULT_ANCHOR
    const employees = new Map<string, number>()
    for (const e of (await query<{employee_id: string; id: number; org_code: string}>('SELECT employee_id, id, org_code FROM employees'))) {
      employees.set(e.employee_id.toUpperCase(), inScope(ctx.operator, e.org_code) ? e.id : -e.id)
    }
    // The staging table and the insert of new lines run as the store's owner when its functions are there
    // (store/postgres-security.ts: row-level security would check every line, two lookups each, and the function
    // checks the importer's scope set-wise once); else (a store whose init predates them) as the importer.
    const asOwner = (await query<{ok: boolean}>(`SELECT CASE WHEN to_regprocedure('custodian_timesheet_lines(integer)') IS NULL THEN false
      ELSE has_function_privilege(to_regprocedure('custodian_timesheet_lines(integer)'), 'EXECUTE') END AS ok`))[0].ok
    // Sorts and hashes of a million lines in memory, not on disk (this transaction only).
    await query("SET LOCAL work_mem = '64MB'")
    await query(asOwner ? "SELECT custodian_timesheet_stage('create')" : STAGE_TABLE)

    // 1. Every line into the staging table, as the worker checked it.
    const opts: LineReaderOptions = {file: ctx.file, db: '', lookups: {hourTypes, anchor, employees}, ignoreUnknown: ctx.ignoreUnknown, operator: ctx.operator, ints: newLineSlots()}
    let sha256 = ''
    let lines = 0
    let checkedOut = 0 // lines the worker rejected
    let employeeColumn = 0
    const dates: string[] = []
    const periodsSeen = new Set<string>()
    // The checked lines' employee and pay period pairs, numbered 1, 2, ... as the file first names them (the
    // staging table's card: custodian_timesheet_new_cards puts each line into its card by number).
    const cards = new Map<string, number>()
    const client = await store.pool.connect()
    let copy: Writable | undefined
    let copied: Promise<void> | undefined
    try {
      copy = client.query(copyFrom('COPY timesheet_stage (row, ref, card, period, work_date, hour_type, hours, account, issues, cells) FROM STDIN'))
      copied = new Promise<void>((resolve, reject) => {
        copy!.on('finish', resolve)
        copy!.on('error', reject)
      })
      for await (const m of lineMessages(opts)) {
        if (m.kind === 'header') {
          rows.header(m.cells)
          employeeColumn = mapHeader(m.cells, [...TIMESHEET_COLUMNS], true).index.get('employee_id')!
        } else if (m.kind === 'lines') {
          const ints = batchInts(opts.ints, m)
          if (m.resetDates) dates.length = 0
          for (const d of m.dates) dates.push(d)
          const accounts = m.accounts.split('\n')
          let account = 0
          let issue = 0
          let text = ''
          for (let i = 0; i < m.count; i++) {
            const o = i * FIELDS
            const row = m.firstRow + i
            const ref = ints[o + F.employee]
            if (ref === 0) {
              checkedOut++
              const own: RowIssue[] = []
              while (issue < m.issues.length && m.issues[issue].row === row) own.push(m.issues[issue++])
              const cells = parseRecord(m.text.slice(ints[o + F.start], ints[o + F.end]))
              text += `${row}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t${copyText(JSON.stringify(own))}\t${copyText(JSON.stringify(cells))}\n`
            } else {
              const period = dates[ints[o + F.period]]
              periodsSeen.add(period)
              const key = `${ref} ${period}`
              let card = cards.get(key)
              if (card === undefined) cards.set(key, (card = cards.size + 1))
              text += `${row}\t${ref}\t${card}\t${period}\t${dates[ints[o + F.date]]}\t${hourTypes[ints[o + F.type]]}\t${ints[o + F.hours]}\t${copyText(accounts[account++])}\t\\N\t\\N\n`
            }
          }
          lines += m.count
          await write(copy, text)
          rows.progress(m.bytes)
        } else {
          sha256 = m.sha256
          rows.progress(m.bytes)
        }
      }
      copy.end()
      await copied
    } catch (error) {
      if (copy && !copy.writableEnded) copy.destroy(error as Error)
      await copied?.catch(() => {})
      throw error
    } finally {
      client.release()
    }
    if (lines === 0) return {sha256}
    // A temporary table has no statistics until analyzed: without them the planner guesses a thousand rows and
    // sorts a million on disk where it would hash them in memory.
    // Only the columns the statements filter, join and group on.
    await query(asOwner ? "SELECT custodian_timesheet_stage('analyze')" : 'ANALYZE timesheet_stage (ref, card, period, late)')

    const good = 's.ref IS NOT NULL AND s.late IS NULL'
    const card = 'c.employee_ref = s.ref AND c.pay_period_start = s.period AND c.is_current = 1'
    // Whether the store has cards in the file's pay periods: if not (a new pay period, the usual bulk import),
    // nothing can be locked, sent back to draft or updated, and those statements are skipped.
    const periods = [...periodsSeen]
    const older = (await query<{any: boolean}>('SELECT EXISTS (SELECT 1 FROM timecards WHERE pay_period_start = ANY($1::text[])) AS any', [periods]))[0].any
    // 2. What needs the store: locked cards, then lines the file repeats (the first one is used).
    if (older) {
      await query(`UPDATE timesheet_stage s SET late = 'TS-LOCKED', late_status = c.status FROM timecards c
        WHERE s.ref IS NOT NULL AND ${card} AND c.status IN ('certified', 'exported')`)
    }
    const markRepeats = () => query(`UPDATE timesheet_stage s SET late = 'TS-DUP-ROW' FROM (
        SELECT row, row_number() OVER (PARTITION BY ref, period, work_date, hour_type, account ORDER BY row) AS n FROM timesheet_stage WHERE ref IS NOT NULL AND late IS NULL
      ) d WHERE d.row = s.row AND d.n > 1`)
    // With cards in the file's pay periods, the repeats are marked now; else after the cards (which repeats do not
    // change: a repeat is in the card of the line it repeats, after it), only if the lines' insert finds one.
    // Whether any line may have been rejected here (TS-LOCKED, TS-DUP-ROW): if not, and the worker rejected none,
    // the staging table is not read again for rejected rows.
    let marked = older
    if (older) await markRepeats()
    let inserted: number
    let updated = 0
    // Both undo their insert when a line's key clashes (timecard_lines_pk): the cards are all new, so only a repeat
    // in the file can clash; the usual file has none, and the lines go in at once. After a clash the repeats are
    // marked (TS-DUP-ROW, the first line of a key kept) and the lines inserted again.
    // (The insert runs through Kysely: the pool's own query drops its connection, and the transaction, on an error.)
    const onRepeat = async (insert: () => Promise<number>, again: () => Promise<void>): Promise<number> => {
      await query('SAVEPOINT timesheet_lines')
      try {
        const n = await insert()
        await query('RELEASE SAVEPOINT timesheet_lines')
        return n
      } catch (error) {
        const e = error as {code?: string; constraint?: string}
        if (e.code !== '23505' || e.constraint !== 'timecard_lines_pk') throw error
        await query('ROLLBACK TO SAVEPOINT timesheet_lines')
        await markRepeats()
        marked = true
        await again()
        return insert()
      }
    }
    if (asOwner && !older) {
      // 3-6 at once, as the store's owner (custodian_timesheet_new_cards): the new cards in the order the file first
      // names them, each with its history entry, the importer's scope checked on each card, then the lines, each
      // into its card by the number the read gave it (no join: the staging table is read once more).
      inserted = await onRepeat(async () => Number((await sql<{n: string}>`SELECT custodian_timesheet_new_cards(${ctx.batchId}::int, ${ctx.now}, ${ctx.operator.name}) AS n`.execute(store.db)).rows[0].n), async () => {})
    } else {
      // The file's cards, each with its first row and its line count: one pass over the lines for the new cards and
      // the history (counted again if repeats are found later).
      const groupCards = () => query(`CREATE TEMP TABLE timesheet_cards ON COMMIT DROP AS
        SELECT s.ref, s.period, min(s.row) AS first, count(*) AS n FROM timesheet_stage s WHERE ${good} GROUP BY s.ref, s.period`)
      await groupCards()
      // 3. New cards, in the order the file first names them.
      await sql`INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, created_at, updated_at)
        SELECT g.ref, g.period, 1, 'draft', 1, ${ctx.now}, ${ctx.now} FROM timesheet_cards g
        ${sql.raw(older ? 'WHERE NOT EXISTS (SELECT 1 FROM timecards c WHERE c.employee_ref = g.ref AND c.pay_period_start = g.period AND c.is_current = 1)' : '')}
        ORDER BY g.first`.execute(store.db)
      if (older) {
        // 4. Validated cards that get lines go back to draft.
        await sql`WITH touched AS (
            SELECT c.id, c.status, c.version, min(s.row) AS first FROM timesheet_stage s JOIN timecards c ON ${sql.raw(card)}
            WHERE ${sql.raw(good)} AND c.status <> 'draft' GROUP BY c.id, c.status, c.version
          ), history AS (
            INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
            SELECT id, ${ctx.now}, ${ctx.operator.name}, 'import', version, '[{"field":"status","from":' || to_json(status)::text || ',"to":"draft"}]', NULL FROM touched ORDER BY first
          )
          UPDATE timecards SET status = 'draft', findings = '[]', updated_at = ${ctx.now} FROM touched WHERE timecards.id = touched.id`.execute(store.db)
        // 5. Lines the store has: hours changed are recorded, then every one is updated.
        await query(`UPDATE timesheet_stage s SET existed = true FROM timecards c, timecard_lines l
          WHERE ${good} AND ${card} AND l.timecard_id = c.id AND l.work_date = s.work_date AND l.hour_type = s.hour_type AND l.accounting_code = s.account`)
        await sql`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
          SELECT c.id, ${ctx.now}, ${ctx.operator.name}, 'import', c.version,
            '[{"field":' || to_json(s.work_date || ' ' || s.hour_type || ' ' || s.account)::text || ',"from":' || trim_scale(l.hours::numeric / 100)::text || ',"to":' || trim_scale(s.hours::numeric / 100)::text || '}]', NULL
          FROM timesheet_stage s JOIN timecards c ON ${sql.raw(card)} JOIN timecard_lines l ON l.timecard_id = c.id AND l.work_date = s.work_date AND l.hour_type = s.hour_type AND l.accounting_code = s.account
          WHERE ${sql.raw(good)} AND s.existed AND l.hours <> s.hours ORDER BY s.row`.execute(store.db)
        updated = Number((await sql`UPDATE timecard_lines l SET hours = s.hours, batch_id = ${ctx.batchId}::int FROM timesheet_stage s, timecards c
          WHERE ${sql.raw(good)} AND s.existed AND ${sql.raw(card)} AND l.timecard_id = c.id AND l.work_date = s.work_date AND l.hour_type = s.hour_type AND l.accounting_code = s.account`.execute(store.db)).numAffectedRows ?? 0)
      }
      // ... and the rest are inserted.
      const insertLines = async () => asOwner
        ? Number((await sql<{n: string}>`SELECT custodian_timesheet_lines(${ctx.batchId}::int) AS n`.execute(store.db)).rows[0].n)
        : Number((await sql.raw(insertLinesSql('timesheet_stage', String(ctx.batchId))).execute(store.db)).numAffectedRows ?? 0)
      if (older) {
        inserted = await insertLines()
      } else {
        // The cards were made from the lines before the repeats were marked: counted again for the history.
        inserted = await onRepeat(insertLines, async () => {
          await query('DROP TABLE timesheet_cards')
          await groupCards()
        })
      }
      // 6. One entry per card the import added lines to or changed lines of (the lines counted per card first,
      // then joined to the cards: a join of a hundred thousand rows, not of every line).
      await sql`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
        SELECT c.id, ${ctx.now}, ${ctx.operator.name}, 'import', c.version, ${sql.raw(linesImportedChanges('g.n'))}, NULL
        FROM timesheet_cards g JOIN timecards c ON c.employee_ref = g.ref AND c.pay_period_start = g.period AND c.is_current = 1 ORDER BY c.id`.execute(store.db)
    }
    // 7. The rejected rows, in row order, as on SQLite.
    const rejected = checkedOut === 0 && !marked ? [] : (await query<{row: number; period: string | null; work_date: string | null; hour_type: string | null; account: string | null; issues: string | null; cells: string | null; late: string | null; late_status: string | null}>(
      'SELECT row, period, work_date, hour_type, account, issues, cells, late, late_status FROM timesheet_stage WHERE issues IS NOT NULL OR late IS NOT NULL ORDER BY row'))
    const reread = cellsOfRows(ctx.file, new Set(rejected.filter((r) => r.cells === null).map((r) => r.row)))
    const outOfScope = await hiddenByScope(store, ctx.operator.orgPrefix, rejected.flatMap((r) => (r.issues?.includes('"TS-EMPLOYEE"') ? [(JSON.parse(r.cells!) as string[])[employeeColumn].trim().toUpperCase()] : [])))
    for (const r of rejected) {
      const cells = r.cells === null ? reread.get(r.row)! : (JSON.parse(r.cells) as string[])
      if (r.issues !== null) {
        const issues = (JSON.parse(r.issues) as RowIssue[]).map((i) => {
          const id = cells[employeeColumn].trim().toUpperCase()
          return i.code === 'TS-EMPLOYEE' && outOfScope.has(id) ? {...i, code: 'TS-SCOPE', message: `employee ${quoteValue(id)} is outside your scope (${ctx.operator.orgPrefix}).`} : i
        })
        rows.reject(r.row, cells, issues)
        continue
      }
      const id = cells[employeeColumn].trim().toUpperCase()
      rows.reject(r.row, cells, [r.late === 'TS-LOCKED'
        ? {row: r.row, column: 'work_date', code: 'TS-LOCKED', message: `the ${r.period} card of ${id} is ${r.late_status}; correct it with: custodian timecards amend ${id} --pay-period ${r.period}`}
        : {row: r.row, column: 'hour_type', code: 'TS-DUP-ROW', message: `${id} ${r.work_date} ${r.hour_type} ${r.account} appears earlier in this file; only the first line is used.`}])
    }
    if (inserted > 0) rows.stored('inserted', inserted)
    if (updated > 0) rows.stored('updated', updated)
    return {sha256}
  },
}
