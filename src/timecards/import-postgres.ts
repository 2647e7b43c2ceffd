import {sql} from 'kysely'

import {inScope} from '../auth/roles.js'
import {DEFAULT_ANCHOR, payPeriodStartOf} from '../calendar/payperiods.js'
import type {RowHandler, RowIssue, RowKind, RowOutcome} from '../imports/engine.js'
import type {PostgresStore} from '../store/store.js'
import {quoteValue} from '../text/redact.js'
import {TIMESHEET_COLUMNS, checkTimesheetRow, parseQuarterHours} from './checks.js'
import {type CardHistoryEntry, insertCardHistory, statusChange} from './history.js'

/**
 * PostgreSQL engine file: the timesheet import. Each line is checked as it is read, with the same checks and
 * words as on SQLite (checks.ts; employees read once into memory), and the store is asked set-wise: the
 * current cards of a pay period in one statement when the file first names it, a touched card's stored
 * lines in one, new cards and new lines a few thousand per statement (ids drawn from the cards' sequence
 * in blocks), changed lines and status steps at the end. All inside the import's one transaction.
 */

interface Card {
  id: number
  status: string
  version: number
  /** Made by this import, or its stored lines read: every key it holds is in `keys`. */
  known: boolean
}

const FLUSH = 5000
const ID_BLOCK = 1000

export const timesheetImportPostgres: RowKind = {
  kind: 'timesheets',
  columns: TIMESHEET_COLUMNS,
  begin(ctx): RowHandler {
    const store = ctx.store as PostgresStore
    const query = async <R>(text: string, values: unknown[] = []): Promise<R[]> => (await store.pool.query(text, values)).rows as R[]
    let ready: Promise<void> | undefined
    let hourTypes = new Set<string>()
    let anchor = DEFAULT_ANCHOR
    /** employee_id → employees.id; negative when outside the operator's scope. */
    const employees = new Map<string, number>()
    /** Per pay period: employee ref → its current card. */
    const periods = new Map<string, Map<number, Card>>()
    /** Line keys (card|date|type|account) stored by this import or already in a known card. */
    const keys = new Map<string, number>()
    const batchKeys = new Set<string>()
    const newCards: {id: number; ref: number; period: string}[] = []
    const newLines: {card: number; date: string; type: string; hours: number; account: string}[] = []
    const changedLines: {card: number; date: string; type: string; hours: number; account: string}[] = []
    const toDraft: number[] = []
    const history: CardHistoryEntry[] = []
    const ids: number[] = []
    const actor = ctx.operator.name

    const load = async () => {
      hourTypes = new Set((await query<{code: string}>('SELECT code FROM hour_types ORDER BY code COLLATE "C"')).map((r) => r.code))
      anchor = (await query<{value: string}>("SELECT value FROM settings WHERE key = 'payperiod.anchor'"))[0]?.value ?? DEFAULT_ANCHOR
      for (const e of await query<{employee_id: string; id: number; org_code: string}>('SELECT employee_id, id, org_code FROM employees')) {
        employees.set(e.employee_id.toUpperCase(), inScope(ctx.operator, e.org_code) ? e.id : -e.id)
      }
    }
    const nextCardId = async (): Promise<number> => {
      if (ids.length === 0) {
        const rows = await query<{id: number}>("SELECT nextval(pg_get_serial_sequence('timecards', 'id'))::int AS id FROM generate_series(1, $1)", [ID_BLOCK])
        ids.push(...rows.map((r) => r.id).reverse())
      }
      return ids.pop()!
    }
    const cardsOf = async (period: string): Promise<Map<number, Card>> => {
      let cards = periods.get(period)
      if (!cards) {
        cards = new Map()
        for (const c of await query<{id: number; ref: number; status: string; version: number}>(
          'SELECT id, employee_ref AS ref, status, version FROM timecards WHERE pay_period_start = $1 AND is_current = 1', [period])) {
          cards.set(c.ref, {id: c.id, status: c.status, version: c.version, known: false})
        }
        periods.set(period, cards)
      }
      return cards
    }
    const learnLines = async (card: Card) => {
      for (const l of await query<{work_date: string; hour_type: string; accounting_code: string; hours: number}>(
        'SELECT work_date, hour_type, accounting_code, hours FROM timecard_lines WHERE timecard_id = $1', [card.id])) {
        keys.set(`${card.id}|${l.work_date}|${l.hour_type}|${l.accounting_code}`, l.hours)
      }
      card.known = true
    }
    const flush = async () => {
      if (newCards.length > 0) {
        await sql`INSERT INTO timecards (id, employee_ref, pay_period_start, version, status, is_current, created_at, updated_at)
          OVERRIDING SYSTEM VALUE SELECT u.id, u.ref, u.period, 1, 'draft', 1, ${ctx.now}, ${ctx.now}
          FROM unnest(${newCards.map((c) => c.id)}::int[], ${newCards.map((c) => c.ref)}::int[], ${newCards.map((c) => c.period)}::text[]) AS u(id, ref, period)`.execute(store.db)
        newCards.length = 0
      }
      if (newLines.length > 0) {
        await sql`INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id)
          SELECT u.card, u.date, u.type, u.hours, u.account, ${ctx.batchId}::int
          FROM unnest(${newLines.map((l) => l.card)}::int[], ${newLines.map((l) => l.date)}::text[], ${newLines.map((l) => l.type)}::text[],
            ${newLines.map((l) => l.hours)}::int[], ${newLines.map((l) => l.account)}::text[]) AS u(card, date, type, hours, account)`.execute(store.db)
        newLines.length = 0
      }
    }

    return {
      async handle(row, values): Promise<RowOutcome> {
        await (ready ??= load())
        const id = values.employee_id.toUpperCase()
        const date = values.work_date
        const type = values.hour_type.toUpperCase()
        const account = values.accounting_code.toUpperCase()
        const pps = values.pay_period_start ?? ''
        const errors: RowIssue[] = checkTimesheetRow({employee_id: values.employee_id, work_date: date, hour_type: values.hour_type, hours: values.hours, accounting_code: values.accounting_code, pay_period_start: pps}, hourTypes, anchor)
          .map((f) => ({row, ...f}))
        const ref = id === '' ? 0 : employees.get(id) ?? 0
        if (id !== '' && ref <= 0) {
          errors.push(ref < 0
            ? {row, column: 'employee_id', code: 'TS-SCOPE', message: `employee ${quoteValue(id)} is outside your scope (${ctx.operator.orgPrefix}).`}
            : {row, column: 'employee_id', code: 'TS-EMPLOYEE', message: `employee ${quoteValue(id)} is not in the store; import personnel first.`})
        }
        if (errors.length > 0) return {errors, warnings: []}
        const period = payPeriodStartOf(date, anchor)
        const hours = parseQuarterHours(values.hours)!
        const cards = await cardsOf(period)
        let card = cards.get(ref)
        if (card && (card.status === 'certified' || card.status === 'exported')) {
          return {errors: [{row, column: 'work_date', code: 'TS-LOCKED', message: `the ${period} card of ${id} is ${card.status}; correct it with: custodian timecards amend ${id} --pay-period ${period}`}], warnings: []}
        }
        if (!card) {
          card = {id: await nextCardId(), status: 'draft', version: 1, known: true}
          cards.set(ref, card)
          newCards.push({id: card.id, ref, period})
        } else if (!card.known) {
          await learnLines(card)
        }
        const key = `${card.id}|${date}|${type}|${account}`
        if (batchKeys.has(key)) {
          return {errors: [{row, column: 'hour_type', code: 'TS-DUP-ROW', message: `${id} ${date} ${type} ${account} appears earlier in this file; only the first line is used.`}], warnings: []}
        }
        if (card.status !== 'draft') {
          toDraft.push(card.id)
          history.push({timecardId: card.id, at: ctx.now, actor, action: 'import', version: card.version, changes: [statusChange(card.status, 'draft')], reason: null})
          card.status = 'draft'
        }
        batchKeys.add(key)
        const stored = keys.get(key)
        if (stored !== undefined) {
          changedLines.push({card: card.id, date, type, hours, account})
          if (stored !== hours) history.push({timecardId: card.id, at: ctx.now, actor, action: 'import', version: card.version, changes: [{field: `${date} ${type} ${account}`, from: stored / 100, to: hours / 100}], reason: null})
          return {errors: [], warnings: [], stored: 'updated'}
        }
        newLines.push({card: card.id, date, type, hours, account})
        if (newLines.length >= FLUSH) await flush()
        return {errors: [], warnings: [], stored: 'inserted'}
      },
      async finish() {
        await flush()
        for (let i = 0; i < changedLines.length; i += FLUSH) {
          const part = changedLines.slice(i, i + FLUSH)
          await sql`UPDATE timecard_lines SET hours = u.hours, batch_id = ${ctx.batchId}::int
            FROM unnest(${part.map((l) => l.card)}::int[], ${part.map((l) => l.date)}::text[], ${part.map((l) => l.type)}::text[],
              ${part.map((l) => l.hours)}::int[], ${part.map((l) => l.account)}::text[]) AS u(card, date, type, hours, account)
            WHERE timecard_id = u.card AND work_date = u.date AND hour_type = u.type AND accounting_code = u.account`.execute(store.db)
        }
        if (toDraft.length > 0) await sql`UPDATE timecards SET status = 'draft', findings = '[]', updated_at = ${ctx.now} WHERE id = ANY(${toDraft}::int[])`.execute(store.db)
        await insertCardHistory(store, history)
        // One entry per card the import added lines to, counted from what the batch stored.
        await sql`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
          SELECT l.timecard_id, ${ctx.now}, ${actor}, 'import', t.version, '[{"field":"lines imported","from":null,"to":' || count(*) || '}]', NULL
          FROM timecard_lines l JOIN timecards t ON t.id = l.timecard_id WHERE l.batch_id = ${ctx.batchId}::int GROUP BY l.timecard_id, t.version ORDER BY l.timecard_id`.execute(store.db)
        return []
      },
    }
  },
}
