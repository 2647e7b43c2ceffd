import {readSettings} from '../admin/settings.js'
import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {assertSealed} from '../audit/seals.js'
import {payPeriodNumber} from '../calendar/payperiods.js'
import {CustodianError, ExitCode, notFound} from '../errors.js'
import {type Store, getSetting, inTransaction} from '../store/index.js'
import {type Output, crashPoint, prepareOutput, writeDurable} from '../store/outputs.js'
import {type Tour, annualLeaveAccrual, sickLeaveAccrual} from '../timecards/leave.js'
import {batchById, batchSummaries} from './queries.js'
import type {CardToExport, ExportJob, LineSum} from './export-job.js'
import {sqliteExportJob} from './export-sqlite.js'
import {payPeriodAnchor} from '../timecards/service.js'
import {BatchFile, type BrokenCard, type MadeFile, type PayrollFormat, outputError} from './batch-file.js'
import {FileWorker} from './file-worker.js'
import type {BatchHeader} from './nfc.js'
import {type KeptChunk, writeStreamed} from './sink.js'
import {keptFile} from './kept.js'
import {ssnKeys} from '../store/ssn-vault.js'
import {busyTimeoutMs} from '../store/store.js'
import {payrollBatch as payrollBatchRecord} from '../records/types/index.js'
import {payrollRoutineUse} from '../systems/service.js'

/** The PostgreSQL engine, loaded only for a PostgreSQL store. */
const postgresExportJob = async (store: Store) => (await import('./export-postgres.js')).postgresExportJob(store)

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

/** Exit 3: certified cards whose content changed since they were certified (nothing is exported). */
function sealBroken(payPeriod: string, cards: BrokenCard[]): CustodianError {
  const first = cards[0]
  return new CustodianError('SEAL_BROKEN', `${cards.length} certified card${cards.length > 1 ? 's' : ''} of the pay period starting ${payPeriod} changed since certification `
    + `(first: ${first.employeeId} version ${first.version}); nothing was exported. Check the store: audit verify lists broken seals.`,
  ExitCode.checksFailed, {payPeriod, cards: cards.slice(0, 100)})
}

const batchName = (n: number) => `B${String(n).padStart(9, '0')}`

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
      await outputs[0].discard()
      throw error
    }
  }
  return outputs
}

/** Where the batch's file is made while the cards are posted (ExportJob.fileApart). */
interface FileSide {
  /** A card posted with these lines (the file's records, when the file is made here). */
  card(card: CardToExport, lines: readonly LineSum[], correction: boolean): Promise<void>
  /** The file made and its chunks kept; SEAL_BROKEN (exit 3) when the side that reads the lines found cards changed. */
  end(): Promise<MadeFile>
  /** Lets the file go after a failure (the caller discards it). */
  close(): void
}

/** The file made on this thread from the lines the job reads (BatchFile), its chunks kept as they are made. */
function fileHere(made: BatchFile, keep: (chunks: KeptChunk[]) => Promise<void>): FileSide {
  return {
    async card(card, lines, correction) {
      if (made.add(card, lines, correction)) {
        const ready = await made.take()
        if (ready.length > 0) await keep(ready)
      }
    },
    async end() {
      const {chunks, ...file} = await made.end()
      await keep(chunks)
      return file
    },
    close: () => made.close(),
  }
}

/** Cards posted between turns of the event loop, in which the worker's chunks are stored as they come. */
const CARDS_PER_TURN = 256

/** The file made by the export's worker thread (file-worker.ts), which reads the cards itself and checks their seals. */
function fileApart(worker: FileWorker, job: Parameters<FileWorker['make']>[0], keep: (chunks: KeptChunk[]) => Promise<void>): FileSide {
  const made = worker.make(job, keep)
  made.catch(() => undefined) // awaited by end(); a failure before then is not unhandled
  let cards = 0
  return {
    async card() {
      if (++cards % CARDS_PER_TURN === 0) await new Promise(setImmediate)
    },
    async end() {
      const result = await made
      if ('broken' in result) throw sealBroken(job.payPeriod, result.broken)
      return result.file
    },
    close: () => undefined,
  }
}

/**
 * Exports every certified, not yet exported card version of the pay period, in ONE transaction: the file
 * (temp + rename, 0600), the batch, the cards marked exported, leave posted, one disclosure per employee.
 * A failure anywhere leaves no card marked and no file.
 */
export async function exportPayPeriod(store: Store, operator: Operator, opts: {payPeriod: string; out: string; format: PayrollFormat; now?: Date}): Promise<ExportResult> {
  authorize(operator, 'payroll.export')
  // SQLite: the file is made by a worker thread, started now so that its start-up overlaps the command's.
  const worker = store.engine === 'sqlite' ? new FileWorker() : undefined
  try {
    return await exportWith(store, operator, opts, worker)
  } finally {
    await worker?.stop()
  }
}

async function exportWith(store: Store, operator: Operator, opts: {payPeriod: string; out: string; format: PayrollFormat; now?: Date}, worker: FileWorker | undefined): Promise<ExportResult> {
  const anchor = await payPeriodAnchor(store)
  const agency = (await getSetting(store, 'agency.code')) ?? '00'
  // The payroll provider, as the accounting of disclosures names it: settings an admin may change (admin/settings.ts).
  const settings = await readSettings(store)
  const recipient = settings['payroll.recipient'] ?? 'payroll provider'
  const address = settings['payroll.address'] ?? ''
  // Accounted under the payroll routine use of the system that holds payroll batches (OPM/GOVT-1-PAY).
  const routineUse = payrollRoutineUse(payrollBatchRecord.system)
  const createdAt = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  // The interchange file carries SSNs: without the key (KEY_MISSING, exit 4) nothing is written or changed.
  const keys = await ssnKeys(store, 'A payroll export (the interchange file carries SSNs)')
  const [file, control] = await prepareBatchFiles(store, opts.out, opts.format === 'csv', 'payroll.export')

  try {
    const result = await inTransaction(store, async () => {
      const job: ExportJob = store.engine === 'sqlite' ? sqliteExportJob(store) : await postgresExportJob(store)
      const pages = job.certifiedCards(opts.payPeriod, operator.orgPrefix)[Symbol.asyncIterator]()
      const first = await pages.next()
      if (first.done || first.value.length === 0) throw notFound('NOTHING_TO_EXPORT', `No certified, unexported cards in the pay period starting ${opts.payPeriod}; no file was written.`, {payPeriod: opts.payPeriod})

      const ref = await job.openBatch({payPeriod: opts.payPeriod, format: opts.format, createdAt, createdBy: operator.name})
      const batchId = batchName(ref)
      const header: BatchHeader = {agencyCode: agency, batchId, payPeriodStart: opts.payPeriod, payPeriodNumber: payPeriodNumber(opts.payPeriod, anchor), createdAt}
      const now = new Date().toISOString()
      const disclosure = {
        disclosed_on: createdAt.slice(0, 10), recipient, address, purpose: 'payroll processing', routine_use: routineUse,
        record_type: payrollBatchRecord.type, record_ref: batchId, created_by: operator.name, created_at: now,
      }
      // The file is written as the cards are read, an employee's records at a time (the FORMATS.md order is
      // employee_id first, the order the cards come in). The kept copy carries SSNs: each chunk sealed under the
      // key (store/ssn-vault.ts), as the employees' SSNs are, and stored as it is made (payroll_batch_chunks), so
      // neither the file nor its copy is ever held whole.
      const keep = (chunks: KeptChunk[]) => job.keepChunks(ref, chunks)
      const made: FileSide = job.fileApart
        ? fileApart(worker!, {store: store.path, busyTimeoutMs: busyTimeoutMs(), payPeriod: opts.payPeriod, orgPrefix: operator.orgPrefix,
          header, format: opts.format, tmp: file.tmp, out: opts.out, key: keys.enc}, keep)
        : fileHere(new BatchFile(header, opts.format, file.tmp, opts.out, keys), keep)
      let corrections = 0
      let fileMade: MadeFile
      try {
        // Cards changed since they were certified (timecards/seal.ts): none of them is exported, nor anything else.
        const broken: BrokenCard[] = []
        for (let page: IteratorResult<CardToExport[]> = first; !page.done; page = await pages.next()) {
          for (const card of page.value) {
            const {lines, sealBroken} = job.exportLinesOf(card, opts.payPeriod)
            if (sealBroken) {
              broken.push({employeeId: card.employee_id, version: card.version})
              continue
            }
            const prior = job.previousExport(card, opts.payPeriod)
            const correction = prior !== undefined
            const who = {tour: card.tour_of_duty, serviceCompDate: card.service_comp_date}
            const posting = leavePosting(lines, who, opts.payPeriod, anchor)
            const reversal = correction ? leavePosting(job.linesOf(prior), who, opts.payPeriod, anchor) : {annual: 0, sick: 0, compTime: 0}
            const delta = {annual: posting.annual - reversal.annual, sick: posting.sick - reversal.sick, compTime: posting.compTime - reversal.compTime}
            await made.card(card, lines, correction)
            if (correction) corrections++
            const leaveChanges = [
              {field: 'annual_leave_balance', from: card.annual_leave_balance / 100, to: (card.annual_leave_balance + delta.annual) / 100},
              {field: 'sick_leave_balance', from: card.sick_leave_balance / 100, to: (card.sick_leave_balance + delta.sick) / 100},
              {field: 'comp_time_balance', from: card.comp_time_balance / 100, to: (card.comp_time_balance + delta.compTime) / 100},
            ].filter((c) => c.from !== c.to)
            job.post(ref, card, {
              batchId, correction, delta, leaveChanges, leaveReason: `${correction ? 'correction' : 'export'} of the ${opts.payPeriod} card v${card.version} in ${batchId}`,
              at: now, actor: operator.name, disclosure,
            })
          }
        }
        if (broken.length > 0) throw sealBroken(opts.payPeriod, broken)
        fileMade = await made.end()
      } finally {
        made.close()
      }
      const {sha256: digest, records, employees, totalHundredths, hashTotal, control: controlJson} = fileMade
      await job.closeBatch(ref, {batchId, records, employees, totalHundredths, hashTotal, corrections, sha256: digest, control: controlJson})
      await job.finish()
      await appendAudit(store, operator.name, {action: 'payroll.export', recordType: payrollBatchRecord.type, recordId: batchId, digest}, now)

      // The files are made durable before COMMIT (the interchange file as it was written), and marked as
      // belonging to this batch in the same transaction; they take their place after it (a crash in
      // between: the next command places them).
      try {
        if (control && controlJson) writeDurable(control.tmp, controlJson)
      } catch (error) {
        throw outputError(opts.out, error)
      }
      await file.commitWith()
      await control?.commitWith()
      crashPoint('payroll.export:before-commit')
      return {batchId, file: opts.out, sha256: digest, records, employees, totalHours: totalHundredths / 100, hashTotal, corrections}
    })
    crashPoint('payroll.export:after-commit')
    await file.publish()
    await control?.publish()
    return result
  } catch (error) {
    await file.discard()
    await control?.discard()
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
  const rows = await batchSummaries(store)
  return rows.map((r) => ({
    batchId: r.batch_id, payPeriod: r.pay_period_start, format: r.format, createdAt: r.created_at, createdBy: r.created_by, records: r.records,
    // total_hours and hash_total are int8 on PostgreSQL (migration 0019), which pg returns as text
    employees: r.employees, totalHours: Number(r.total_hours) / 100, hashTotal: Number(r.hash_total), corrections: r.corrections, sha256: r.sha256,
  }))
}

/** Writes a batch again, byte for byte as the first time (the bytes were kept with the batch). */
export async function reexportBatch(store: Store, operator: Operator, batchId: string, out: string): Promise<BatchView & {file: string}> {
  authorize(operator, 'payroll.reexport')
  const id = batchId.trim().toUpperCase()
  const row = await batchById(store, id)
  if (!row) throw notFound('BATCH_NOT_FOUND', `No payroll batch ${id}. See: custodian payroll batches`)
  const keys = await ssnKeys(store, 'A payroll re-export (the interchange file carries SSNs)')
  // A batch changed since its export sealed it is never written again (SEAL_BROKEN, exit 3).
  await assertSealed(store, operator, 'batch', id)
  const [file, control] = await prepareBatchFiles(store, out, row.control !== null, 'payroll.reexport')
  try {
    try {
      // Streamed from the kept chunks, a piece at a time (payroll/kept.ts).
      await writeStreamed(file.tmp, keptFile(store, row, keys))
      if (control && row.control) writeDurable(control.tmp, row.control)
    } catch (error) {
      throw outputError(out, error)
    }
    await inTransaction(store, async () => {
      await appendAudit(store, operator.name, {action: 'payroll.reexport', recordType: payrollBatchRecord.type, recordId: id, digest: row.sha256})
      await file.commitWith()
      await control?.commitWith()
    })
    await file.publish()
    await control?.publish()
  } catch (error) {
    await file.discard()
    await control?.discard()
    throw error
  }
  const [view] = (await listBatches(store, operator)).filter((b) => b.batchId === id)
  return {...view, file: out}
}
