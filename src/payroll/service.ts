import fs from 'node:fs'

import {readSettings} from '../admin/settings.js'
import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {payPeriodNumber} from '../calendar/payperiods.js'
import {CustodianError, ExitCode, notFound} from '../errors.js'
import {type Store, getSetting, inTransaction} from '../store/index.js'
import {type Output, crashPoint, prepareOutput, writeDurable} from '../store/outputs.js'
import {type Tour, annualLeaveAccrual, sickLeaveAccrual} from '../timecards/leave.js'
import {payPeriodAnchor} from '../timecards/service.js'
import {buildCsvFile} from './csvfile.js'
import {type BatchHeader, type DetailRecord, buildNfcFile} from './nfc.js'
import {looksLikePayrollCsv, verifyPayrollCsv} from './verify-csv.js'
import {type VerifyReport, verifyNfc} from './verify.js'

export type PayrollFormat = 'nfc' | 'csv'

export interface ExportResult {
  batchId: string
  file: string
  sha256: string
  records: number
  employees: number
  totalHours: number
  hashTotal: number
  corrections: number
}

interface CardToExport {
  id: number
  version: number
  employee_ref: number
  employee_id: string
  ssn: string | null
  last_name: string
  first_name: string
  middle_name: string | null
  pay_plan: string
  grade: string | null
  step: number | null
  tour_of_duty: Tour
  scheduled_hours: number
  service_comp_date: string | null
  annual_leave_balance: number
  sick_leave_balance: number
  comp_time_balance: number
}

interface LineSum {
  hour_type: string
  accounting_code: string
  hours: number
  transaction_code: string
  counts_toward_tour: number
}

/** What exporting one card version does to the leave balances, in hundredths (RULES.md). */
export function leavePosting(lines: readonly LineSum[], employee: {tour: Tour; serviceCompDate: string | null}, payPeriodStart: string, anchor?: string) {
  const sum = (t: string) => lines.filter((l) => l.hour_type === t).reduce((s, l) => s + l.hours, 0)
  const hoursInPayStatus = lines.filter((l) => l.counts_toward_tour === 1 && l.hour_type !== 'LWOP' && l.hour_type !== 'AWOL').reduce((s, l) => s + l.hours, 0)
  const input = {tour: employee.tour, serviceCompDate: employee.serviceCompDate, payPeriodStart, hoursInPayStatus, anchor}
  return {
    annual: annualLeaveAccrual(input) - sum('AL'),
    sick: sickLeaveAccrual(input) - sum('SL'),
    compTime: sum('CTE') - sum('CTU'),
  }
}

const batchName = (n: number) => `B${String(n).padStart(9, '0')}`

function outputError(file: string, error: unknown): CustodianError {
  if (error instanceof CustodianError) return error
  const reason = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message
  return new CustodianError('OUT_UNWRITABLE', `Cannot write ${file} (${reason}); nothing was exported. Choose a writable --out.`, ExitCode.usage, {file})
}

/**
 * The interchange file and, for the CSV format, its control file: recorded in the store before they are
 * written, never replacing an existing file (OUTPUT_EXISTS), never the store (OUTPUT_IS_STORE).
 */
async function prepareBatchFiles(store: Store, out: string, withControl: boolean, purpose: string): Promise<Output[]> {
  const outputs = [await prepareOutput(store, out, {label: '--out', kind: 'file', replace: false, purpose})]
  if (withControl) {
    try {
      outputs.push(await prepareOutput(store, `${out}.control.json`, {label: '--out', kind: 'file', replace: false, purpose}))
    } catch (error) {
      outputs[0].discard()
      throw error
    }
  }
  return outputs
}

/**
 * Exports every certified, not yet exported card version of the pay period, in ONE transaction: the file
 * (temp + rename, 0600), the batch, the cards marked exported, leave posted, one disclosure per employee.
 * A failure anywhere leaves no card marked and no file.
 */
export async function exportPayPeriod(store: Store, operator: Operator, opts: {payPeriod: string; out: string; format: PayrollFormat; now?: Date}): Promise<ExportResult> {
  authorize(operator, 'payroll.export')
  const db = store.sqlite
  const anchor = await payPeriodAnchor(store)
  const agency = (await getSetting(store, 'agency.code')) ?? '00'
  // The payroll provider, as the accounting of disclosures names it: settings an admin may change (admin/settings.ts).
  const settings = await readSettings(store)
  const recipient = settings['payroll.recipient'] ?? 'payroll provider'
  const address = settings['payroll.address'] ?? ''
  const routineUse = (await getSetting(store, 'payroll.routine_use')) ?? null
  const createdAt = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const [file, control] = await prepareBatchFiles(store, opts.out, opts.format === 'csv', 'payroll.export')

  try {
    db.exec('BEGIN IMMEDIATE')
    const scope = operator.orgPrefix ? "AND e.org_code LIKE ? || '%'" : ''
    const cards = db.prepare(`SELECT c.id, c.version, c.employee_ref, e.employee_id, e.ssn, e.last_name, e.first_name, e.middle_name, e.pay_plan,
        e.grade, e.step, e.tour_of_duty, e.scheduled_hours, e.service_comp_date, e.annual_leave_balance, e.sick_leave_balance, e.comp_time_balance
      FROM timecards c JOIN employees e ON e.id = c.employee_ref
      WHERE c.pay_period_start = ? AND c.is_current = 1 AND c.status = 'certified' ${scope} ORDER BY e.employee_id`)
      .all(...(operator.orgPrefix ? [opts.payPeriod, operator.orgPrefix] : [opts.payPeriod])) as CardToExport[]
    if (cards.length === 0) throw notFound('NOTHING_TO_EXPORT', `No certified, unexported cards in the pay period starting ${opts.payPeriod}; no file was written.`, {payPeriod: opts.payPeriod})

    const linesOf = db.prepare(`SELECT l.hour_type, l.accounting_code, sum(l.hours) AS hours, h.transaction_code, h.counts_toward_tour
      FROM timecard_lines l JOIN hour_types h ON h.code = l.hour_type WHERE l.timecard_id = ? GROUP BY l.hour_type, l.accounting_code`)
    const previousExport = db.prepare(`SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ? AND version < ? AND status = 'exported'
      ORDER BY version DESC LIMIT 1`).pluck()
    const details: DetailRecord[] = []
    const postings: {card: CardToExport; correction: boolean; delta: {annual: number; sick: number; compTime: number}}[] = []
    for (const card of cards) {
      const lines = linesOf.all(card.id) as LineSum[]
      const prior = previousExport.get(card.employee_ref, opts.payPeriod, card.version) as number | undefined
      const correction = prior !== undefined
      const employee = {tour: card.tour_of_duty, serviceCompDate: card.service_comp_date}
      const posting = leavePosting(lines, employee, opts.payPeriod, anchor)
      const reversal = correction ? leavePosting(linesOf.all(prior) as LineSum[], employee, opts.payPeriod, anchor) : {annual: 0, sick: 0, compTime: 0}
      postings.push({card, correction, delta: {annual: posting.annual - reversal.annual, sick: posting.sick - reversal.sick, compTime: posting.compTime - reversal.compTime}})
      for (const l of lines) {
        details.push({
          ssn: card.ssn, employeeId: card.employee_id, lastName: card.last_name, firstName: card.first_name, middleName: card.middle_name,
          payPlan: card.pay_plan, grade: card.grade, step: card.step, tour: card.tour_of_duty, scheduledHours: card.scheduled_hours,
          transactionCode: l.transaction_code, hourType: l.hour_type, hours: l.hours, accountingCode: l.accounting_code, correction, version: card.version,
        })
      }
    }

    const ref = Number(db.prepare(`INSERT INTO payroll_batches (batch_id, pay_period_start, format, created_at, created_by, records, employees, total_hours,
        hash_total, corrections, sha256, content) VALUES ('pending', ?, ?, ?, ?, 0, 0, 0, 0, 0, '', x'')`).run(opts.payPeriod, opts.format, createdAt, operator.name).lastInsertRowid)
    const batchId = batchName(ref)
    const header: BatchHeader = {agencyCode: agency, batchId, payPeriodStart: opts.payPeriod, payPeriodNumber: payPeriodNumber(opts.payPeriod, anchor), createdAt}
    let content: string
    let controlJson: string | null = null
    let records: number
    let employees: number
    let totalHundredths: number
    let hashTotal: number
    if (opts.format === 'csv') {
      const built = buildCsvFile(header, details)
      content = built.content
      controlJson = `${JSON.stringify(built.control, null, 2)}\n`
      ;({records, employees, hashTotal} = built.control)
      totalHundredths = Math.round(built.control.totalHours * 100)
    } else {
      const built = buildNfcFile(header, details)
      content = built.content
      ;({records, employees, hashTotal} = built.controls)
      totalHundredths = built.controls.totalHours
    }
    details.length = 0 // the file holds them now; let the records go before the bytes are copied
    const bytes = Buffer.from(content, 'utf8')
    const digest = sha256(bytes)
    const corrections = postings.filter((p) => p.correction).length
    db.prepare('UPDATE payroll_batches SET batch_id = ?, records = ?, employees = ?, total_hours = ?, hash_total = ?, corrections = ?, sha256 = ?, content = ?, control = ? WHERE id = ?')
      .run(batchId, records, employees, totalHundredths, hashTotal, corrections, digest, bytes, controlJson, ref)

    const now = new Date().toISOString()
    const markExported = db.prepare("UPDATE timecards SET status = 'exported', export_batch_id = ?, updated_at = ? WHERE id = ?")
    const linkCard = db.prepare('INSERT INTO payroll_batch_cards (batch_ref, timecard_id, correction) VALUES (?, ?, ?)')
    const history = db.prepare("INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason) VALUES (?, ?, ?, 'export', ?, ?, NULL)")
    const post = db.prepare('UPDATE employees SET annual_leave_balance = annual_leave_balance + ?, sick_leave_balance = sick_leave_balance + ?, comp_time_balance = comp_time_balance + ?, updated_at = ? WHERE id = ?')
    const leaveHistory = db.prepare("INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id) VALUES (?, ?, ?, 'payroll.leave', ?, ?, NULL)")
    const carried = db.prepare('INSERT OR IGNORE INTO payroll_batch_subjects (batch_ref, employee_id) VALUES (?, ?)')
    const disclose = db.prepare(`INSERT INTO disclosures (employee_ref, subject_employee_id, disclosed_on, recipient, address, purpose, routine_use, record_type, record_ref, created_by, created_at)
      VALUES (?, ?, ?, ?, ?, 'payroll processing', ?, 'payroll_batch', ?, ?, ?)`)
    for (const {card, correction, delta} of postings) {
      markExported.run(ref, now, card.id)
      linkCard.run(ref, card.id, correction ? 1 : 0)
      history.run(card.id, now, operator.name, card.version, JSON.stringify([{field: 'status', from: 'certified', to: 'exported'}, {field: 'batch', from: null, to: batchId}]))
      post.run(delta.annual, delta.sick, delta.compTime, now, card.employee_ref)
      const changes = [
        {field: 'annual_leave_balance', from: card.annual_leave_balance / 100, to: (card.annual_leave_balance + delta.annual) / 100},
        {field: 'sick_leave_balance', from: card.sick_leave_balance / 100, to: (card.sick_leave_balance + delta.sick) / 100},
        {field: 'comp_time_balance', from: card.comp_time_balance / 100, to: (card.comp_time_balance + delta.compTime) / 100},
      ].filter((c) => c.from !== c.to)
      leaveHistory.run(card.employee_ref, now, operator.name, JSON.stringify(changes), `${correction ? 'correction' : 'export'} of the ${opts.payPeriod} card v${card.version} in ${batchId}`)
      carried.run(ref, card.employee_id)
      disclose.run(card.employee_ref, card.employee_id, createdAt.slice(0, 10), recipient, address, routineUse, batchId, operator.name, now)
    }
    await appendAudit(store, operator.name, {action: 'payroll.export', recordType: 'payroll_batch', recordId: batchId, digest}, now)

    // The files are written and made durable before COMMIT, and marked as belonging to this batch in the
    // same transaction; they take their place after it (a crash in between: the next command places them).
    try {
      writeDurable(file.tmp, bytes)
      if (control && controlJson) writeDurable(control.tmp, controlJson)
    } catch (error) {
      throw outputError(opts.out, error)
    }
    file.commitWith()
    control?.commitWith()
    crashPoint('payroll.export:before-commit')
    db.exec('COMMIT')
    crashPoint('payroll.export:after-commit')
    file.publish()
    control?.publish()
    return {batchId, file: opts.out, sha256: digest, records, employees, totalHours: totalHundredths / 100, hashTotal, corrections}
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    file.discard()
    control?.discard()
    throw error
  }
}

export interface BatchView {
  batchId: string
  payPeriod: string
  format: PayrollFormat
  createdAt: string
  createdBy: string
  records: number
  employees: number
  totalHours: number
  hashTotal: number
  corrections: number
  sha256: string
}

export async function listBatches(store: Store, operator: Operator): Promise<BatchView[]> {
  authorize(operator, 'payroll.batches')
  const rows = await store.db.selectFrom('payroll_batches').select(['batch_id', 'pay_period_start', 'format', 'created_at', 'created_by', 'records', 'employees', 'total_hours', 'hash_total', 'corrections', 'sha256']).orderBy('id').execute()
  return rows.map((r) => ({
    batchId: r.batch_id, payPeriod: r.pay_period_start, format: r.format, createdAt: r.created_at, createdBy: r.created_by, records: r.records,
    employees: r.employees, totalHours: r.total_hours / 100, hashTotal: r.hash_total, corrections: r.corrections, sha256: r.sha256,
  }))
}

/** Writes a batch again, byte for byte as the first time (the bytes were kept with the batch). */
export async function reexportBatch(store: Store, operator: Operator, batchId: string, out: string): Promise<BatchView & {file: string}> {
  authorize(operator, 'payroll.reexport')
  const id = batchId.trim().toUpperCase()
  const row = await store.db.selectFrom('payroll_batches').selectAll().where('batch_id', '=', id).executeTakeFirst()
  if (!row) throw notFound('BATCH_NOT_FOUND', `No payroll batch ${id}. See: custodian payroll batches`)
  const [file, control] = await prepareBatchFiles(store, out, row.control !== null, 'payroll.reexport')
  try {
    try {
      writeDurable(file.tmp, row.content)
      if (control && row.control) writeDurable(control.tmp, row.control)
    } catch (error) {
      throw outputError(out, error)
    }
    await inTransaction(store, async () => {
      await appendAudit(store, operator.name, {action: 'payroll.reexport', recordType: 'payroll_batch', recordId: id, digest: row.sha256})
      file.commitWith()
      control?.commitWith()
    })
    file.publish()
    control?.publish()
  } catch (error) {
    file.discard()
    control?.discard()
    throw error
  }
  const [view] = (await listBatches(store, operator)).filter((b) => b.batchId === id)
  return {...view, file: out}
}

/** Checks an interchange file (NFC fixed-width, or the CSV format with its control file); never throws on bad content. */
export async function verifyFile(operator: Operator, file: string): Promise<VerifyReport & {file: string; format: PayrollFormat}> {
  authorize(operator, 'payroll.verify')
  let content: Buffer
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a file')
    content = fs.readFileSync(file)
  } catch {
    throw notFound('FILE_NOT_FOUND', `File not found: ${file}`, {file})
  }
  if (looksLikePayrollCsv(content)) {
    let control: string | null = null
    try {
      control = fs.readFileSync(`${file}.control.json`, 'utf8')
    } catch {
      // Reported as a problem: the totals cannot be checked.
    }
    return {file, format: 'csv', ...verifyPayrollCsv(content, control)}
  }
  return {file, format: 'nfc', ...verifyNfc(content)}
}
