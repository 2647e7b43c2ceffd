import {disclosureSetWriter} from '../disclosures/accounting.js'
import {employeeHistorySetWriter} from '../personnel/history.js'
import type {Store} from '../store/index.js'
import {cardHistorySetWriter, statusChange} from '../timecards/history.js'
import {sqliteOf} from '../store/store.js'
import {type CardPosting, type ExportJob, anyCertifiedSql} from './export-job.js'
import {EXPORT_CACHE_KB} from './cards-sqlite.js'

/** Cards posted before what post() gathered is written set-wise (a few statements each time). */
const POSTINGS_PER_WRITE = 512

/**
 * Prepared statements on the store's one connection, inside the caller's transaction: the writing half of the
 * export. The cards are read, checked and written to the file by the export's worker thread (export-worker-sqlite.ts),
 * on a connection of its own, while this thread writes: what post() does is gathered in a temporary table and
 * written set-wise every POSTINGS_PER_WRITE cards (a few statements, not seven per card): the same rows, in
 * the same order, as one card at a time.
 */
export function sqliteExportJob(store: Store): ExportJob {
  const db = sqliteOf(store, 'payroll export')
  // A smaller page cache than better-sqlite3's 16 MB while the export runs (its memory stays flat: issue 20);
  // the cards are written in key order, so little is written twice.
  const cache = db.pragma('cache_size', {simple: true}) as number
  db.pragma(`cache_size = ${EXPORT_CACHE_KB}`)
  const keepChunk = db.prepare('INSERT INTO payroll_batch_chunks (batch_ref, seq, content) VALUES (?, ?, ?)')
  // The postings of the page being exported, in post() order (seq), written by writePostings().
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS payroll_export_postings (seq INTEGER PRIMARY KEY, timecard_id INTEGER NOT NULL, version INTEGER NOT NULL,
    employee_ref INTEGER NOT NULL, employee_id TEXT NOT NULL, correction INTEGER NOT NULL, annual INTEGER NOT NULL, sick INTEGER NOT NULL, comp_time INTEGER NOT NULL,
    leave_changes TEXT NOT NULL, leave_reason TEXT NOT NULL); DELETE FROM temp.payroll_export_postings`)
  const posting = db.prepare(`INSERT INTO temp.payroll_export_postings (timecard_id, version, employee_ref, employee_id, correction, annual, sick, comp_time, leave_changes, leave_reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const postings = 'temp.payroll_export_postings'
  const markExported = db.prepare(`UPDATE timecards SET status = 'exported', export_batch_id = ?, updated_at = ? WHERE id IN (SELECT timecard_id FROM ${postings})`)
  const linkCards = db.prepare(`INSERT INTO payroll_batch_cards (batch_ref, timecard_id, correction) SELECT ?, timecard_id, correction FROM ${postings} ORDER BY seq`)
  const postLeave = db.prepare(`UPDATE employees SET annual_leave_balance = annual_leave_balance + p.annual, sick_leave_balance = sick_leave_balance + p.sick,
      comp_time_balance = comp_time_balance + p.comp_time, updated_at = ?
    FROM (SELECT employee_ref, sum(annual) AS annual, sum(sick) AS sick, sum(comp_time) AS comp_time FROM ${postings} GROUP BY employee_ref) p WHERE employees.id = p.employee_ref`)
  const carried = db.prepare(`INSERT OR IGNORE INTO payroll_batch_subjects (batch_ref, employee_id) SELECT ?, employee_id FROM ${postings} ORDER BY seq`)
  const cardHistory = cardHistorySetWriter(db, postings)
  const employeeHistory = employeeHistorySetWriter(db, postings)
  const disclose = disclosureSetWriter(db, postings)
  const clear = db.prepare(`DELETE FROM ${postings}`)
  // What every card of the export shares (batch, time, actor, disclosure): the last post()'s, written with the page.
  let pending: {ref: number; p: CardPosting} | undefined
  const writePostings = () => {
    if (!pending) return
    const {ref, p} = pending
    pending = undefined
    markExported.run(ref, p.at)
    linkCards.run(ref)
    cardHistory({at: p.at, actor: p.actor, action: 'export', changes: [statusChange('certified', 'exported'), {field: 'batch', from: null, to: p.batchId}], reason: null})
    postLeave.run(p.at)
    employeeHistory({at: p.at, actor: p.actor, action: 'payroll.leave', batchId: null})
    carried.run(ref)
    disclose(p.disclosure)
    clear.run()
  }
  let gathered = 0
  return {
    async anyCertified(payPeriod, orgPrefix) {
      return db.prepare(anyCertifiedSql(orgPrefix !== null, () => '?')).pluck().get(...(orgPrefix ? [payPeriod, orgPrefix] : [payPeriod])) === 1
    },
    openBatch: async (b) => Number(db.prepare(`INSERT INTO payroll_batches (batch_id, pay_period_start, format, created_at, created_by, records, employees, total_hours,
        hash_total, corrections, sha256, content) VALUES ('pending', ?, ?, ?, ?, 0, 0, 0, 0, 0, '', x'')`).run(b.payPeriod, b.format, b.createdAt, b.createdBy).lastInsertRowid),
    async closeBatch(ref, b) {
      db.prepare('UPDATE payroll_batches SET batch_id = ?, records = ?, employees = ?, total_hours = ?, hash_total = ?, corrections = ?, sha256 = ?, control = ? WHERE id = ?')
        .run(b.batchId, b.records, b.employees, b.totalHundredths, b.hashTotal, b.corrections, b.sha256, b.control, ref)
    },
    async keepChunks(ref, chunks) {
      for (const c of chunks) keepChunk.run(ref, c.seq, c.content)
    },
    post(ref, card, p) {
      posting.run(card.id, card.version, card.employee_ref, card.employee_id, p.correction ? 1 : 0, p.delta.annual, p.delta.sick, p.delta.compTime, JSON.stringify(p.leaveChanges), p.leaveReason)
      pending = {ref, p}
      if (++gathered % POSTINGS_PER_WRITE === 0) writePostings()
    },
    finish: async () => {
      writePostings()
      db.exec(`DROP TABLE IF EXISTS ${postings}`)
      db.pragma(`cache_size = ${cache}`)
    },
  }
}
