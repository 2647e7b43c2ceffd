import {sql} from 'kysely'

import {type DisclosureEntry, accountDisclosures} from '../disclosures/accounting.js'
import {type EmployeeHistoryEntry, insertEmployeeHistory} from '../personnel/history.js'
import {pgRows} from '../store/postgres.js'
import type {PostgresStore, Store} from '../store/store.js'
import {type CardHistoryEntry, insertCardHistory, statusChange} from '../timecards/history.js'
import {postgresSealSql} from '../timecards/certify-postgres.js'
import {type CardToExport, type ExportJob, type LineSum, type PostedCard, anyCertifiedSql, certifiedCardsSql} from './export-job.js'

/**
 * PostgreSQL engine file: the data side of `payroll export`, set-wise and a page at a time. The certified cards
 * come through a cursor; a page's lines and the lines of the exported versions they correct are read in a few
 * statements over arrays of card ids; what exporting does to the page's cards is kept and written before the
 * next page, a statement per table (UPDATE ... FROM unnest(...), INSERT ... SELECT FROM unnest(...)). Both run inside the export's one
 * transaction, which holds the store's write lock: a second export of the pay period waits, then finds the
 * cards exported.
 */

/**
 * Cards a page: few enough that a page's lines, postings and history stay small, many enough that each
 * statement's cost is spread. CUSTODIAN_EXPORT_PAGE_CARDS sets it (tests: many pages from a small pay period).
 */
function pageCards(): number {
  const set = Number(process.env.CUSTODIAN_EXPORT_PAGE_CARDS)
  return Number.isInteger(set) && set >= 1 ? set : 500
}
/** Ids a statement of loadLines takes at once. */
const CHUNK = 5000

export async function postgresExportJob(store: Store): Promise<ExportJob> {
  const pg = store as PostgresStore
  const query = <R>(text: string, values: unknown[] = []) => pgRows<R>(pg, text, values)
  const lines = new Map<number, LineSum[]>()
  const previous = new Map<number, number>()
  const broken = new Set<number>()
  const posted: {ref: number; card: PostedCard; correction: boolean; delta: {annual: number; sick: number; compTime: number}; at: string}[] = []
  const cardHistory: CardHistoryEntry[] = []
  const employeeHistory: EmployeeHistoryEntry[] = []
  const disclosures: DisclosureEntry[] = []

  const loadLines = async (ids: number[]) => {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await query<LineSum & {card: number}>(`SELECT l.timecard_id AS card, l.hour_type, l.accounting_code, sum(l.hours)::int AS hours, h.transaction_code, h.counts_toward_tour
        FROM timecard_lines l JOIN hour_types h ON h.code = l.hour_type WHERE l.timecard_id = ANY($1::int[])
        GROUP BY l.timecard_id, l.hour_type, l.accounting_code, h.transaction_code, h.counts_toward_tour
        ORDER BY l.timecard_id, l.hour_type COLLATE "C", l.accounting_code COLLATE "C"`, [ids.slice(i, i + CHUNK)])
      for (const {card, ...line} of rows) {
        const list = lines.get(card)
        if (list) list.push(line)
        else lines.set(card, [line])
      }
    }
  }

  /** Writes what post() kept, a statement per table (UPDATE ... FROM unnest(...), INSERT ... SELECT FROM unnest(...)). */
  const flush = async () => {
    if (posted.length === 0) return
    const part = posted
    const ids = part.map((p) => p.card.id)
    await sql`UPDATE timecards SET status = 'exported', export_batch_id = u.ref, updated_at = u.at
      FROM unnest(${ids}::int[], ${part.map((p) => p.ref)}::int[], ${part.map((p) => p.at)}::text[]) AS u(id, ref, at) WHERE timecards.id = u.id`.execute(pg.db)
    await sql`INSERT INTO payroll_batch_cards (batch_ref, timecard_id, correction)
      SELECT * FROM unnest(${part.map((p) => p.ref)}::int[], ${ids}::int[], ${part.map((p) => (p.correction ? 1 : 0))}::int[])`.execute(pg.db)
    // One current card per employee and pay period: each employee's balances move once per page at most.
    await sql`UPDATE employees SET annual_leave_balance = annual_leave_balance + u.al, sick_leave_balance = sick_leave_balance + u.sl,
        comp_time_balance = comp_time_balance + u.ct, updated_at = u.at
      FROM unnest(${part.map((p) => p.card.employee_ref)}::int[], ${part.map((p) => p.delta.annual)}::int[], ${part.map((p) => p.delta.sick)}::int[],
        ${part.map((p) => p.delta.compTime)}::int[], ${part.map((p) => p.at)}::text[]) AS u(ref, al, sl, ct, at) WHERE employees.id = u.ref`.execute(pg.db)
    await sql`INSERT INTO payroll_batch_subjects (batch_ref, employee_id)
      SELECT * FROM unnest(${part.map((p) => p.ref)}::int[], ${part.map((p) => p.card.employee_id)}::text[]) ON CONFLICT DO NOTHING`.execute(pg.db)
    await insertCardHistory(pg, cardHistory)
    await insertEmployeeHistory(pg, employeeHistory)
    await accountDisclosures(pg, disclosures)
    posted.length = cardHistory.length = employeeHistory.length = disclosures.length = 0
  }

  return {
    async anyCertified(payPeriod, orgPrefix) {
      const [row] = await query<{any: boolean}>(anyCertifiedSql(orgPrefix !== null, (i) => `$${i}`), orgPrefix ? [payPeriod, orgPrefix] : [payPeriod])
      return row.any
    },
    source: {
      // A cursor over the cards in the file's order, a page at a time: a page's lines, seals and corrected versions
      // are read in a few statements, and the postings of the page before are written first (the caller posts a
      // page's cards before it asks for the next), so memory holds one page whatever the pay period's size.
      async *certifiedCards(payPeriod, orgPrefix) {
        const PAGE = pageCards()
        await query(`DECLARE custodian_export_cards NO SCROLL CURSOR FOR ${certifiedCardsSql(orgPrefix !== null, (i) => `$${i}`, ' COLLATE "C"')}`,
          orgPrefix ? [payPeriod, orgPrefix] : [payPeriod])
        for (;;) {
          await flush()
          lines.clear()
          previous.clear()
          broken.clear()
          const cards = await query<CardToExport>(`FETCH ${PAGE} FROM custodian_export_cards`)
          await loadLines(cards.map((c) => c.id))
          // The cards whose content no longer matches their seal, checked by the server as it reads their lines.
          if (cards.length > 0) {
            const rows = await query<{id: number}>(`SELECT c.id FROM timecards c WHERE c.id = ANY($1::int[]) AND c.seal IS DISTINCT FROM ${postgresSealSql('c')}`,
              [cards.map((c) => c.id)])
            for (const r of rows) broken.add(r.id)
          }
          const amended = cards.filter((c) => c.version > 1).map((c) => c.id)
          if (amended.length > 0) {
            const rows = await query<{card: number; prev: number}>(`SELECT cur.id AS card, prev.id AS prev FROM timecards cur
              JOIN LATERAL (SELECT p.id FROM timecards p WHERE p.employee_ref = cur.employee_ref AND p.pay_period_start = cur.pay_period_start
                AND p.version < cur.version AND p.status = 'exported' ORDER BY p.version DESC LIMIT 1) prev ON true
              WHERE cur.id = ANY($1::int[])`, [amended])
            for (const r of rows) previous.set(r.card, r.prev)
            await loadLines([...previous.values()])
          }
          yield cards
          // (A cursor closes with its transaction: after an error, nothing is left to close.)
          if (cards.length < PAGE) return void (await query('CLOSE custodian_export_cards'))
        }
      },
      linesOf: (timecardId) => lines.get(timecardId) ?? [],
      sealedLinesOf: (card) => ({lines: lines.get(card.id) ?? [], sealBroken: broken.has(card.id)}),
      previousExport: (card) => previous.get(card.id),
    },
    openBatch: async (b) => (await query<{id: number}>(`INSERT INTO payroll_batches (batch_id, pay_period_start, format, created_at, created_by, records, employees, total_hours,
        hash_total, corrections, sha256, content) VALUES ('pending-' || txid_current(), $1, $2, $3, $4, 0, 0, 0, 0, 0, '', ''::bytea) RETURNING id`, [b.payPeriod, b.format, b.createdAt, b.createdBy]))[0].id,
    async closeBatch(ref, b) {
      await query('UPDATE payroll_batches SET batch_id = $1, records = $2, employees = $3, total_hours = $4, hash_total = $5, corrections = $6, sha256 = $7, control = $8 WHERE id = $9',
        [b.batchId, b.records, b.employees, b.totalHundredths, b.hashTotal, b.corrections, b.sha256, b.control, ref])
    },
    // The chunks made since the last call, in one multi-row INSERT (unnest of the arrays).
    async keepChunks(ref, chunks) {
      if (chunks.length === 0) return
      await query(`INSERT INTO payroll_batch_chunks (batch_ref, seq, content) SELECT $1, * FROM unnest($2::int[], $3::bytea[])`,
        [ref, chunks.map((c) => c.seq), chunks.map((c) => c.content)])
    },
    post(ref, card, p) {
      posted.push({ref, card, correction: p.correction, delta: p.delta, at: p.at})
      cardHistory.push({timecardId: card.id, at: p.at, actor: p.actor, action: 'export', version: card.version, changes: [statusChange('certified', 'exported'), {field: 'batch', from: null, to: p.batchId}], reason: null})
      employeeHistory.push({employeeRef: card.employee_ref, at: p.at, actor: p.actor, action: 'payroll.leave', changes: p.leaveChanges, reason: p.leaveReason, batchId: null})
      disclosures.push({...p.disclosure, employee_ref: card.employee_ref, subject_employee_id: card.employee_id})
    },
    finish: () => flush(),
  }
}
