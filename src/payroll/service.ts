import {readSettings} from '../admin/settings.js'
import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {assertSealed} from '../audit/seals.js'
import {payPeriodNumber} from '../calendar/payperiods.js'
import {CustodianError, ExitCode, notFound} from '../errors.js'
import {type Store, getSetting, inTransaction} from '../store/index.js'
import {type Output, crashPoint, prepareOutput, writeDurable} from '../store/outputs.js'
import {batchById, batchSummaries} from './queries.js'
import type {ExportJob} from './export-job.js'
import {sqliteExportJob} from './export-sqlite.js'
import {payPeriodAnchor} from '../timecards/service.js'
import {type BrokenCard, type FileTotals, type PayrollFormat, controlText, outputError} from './batch-file.js'
import {fileMessages, warmUpFileWorker} from './file-worker.js'
import {type ExportMessage, exportCards, keptOut} from './export-cards.js'
import type {BatchHeader} from './nfc.js'
import {BatchSink, type KeptChunk, writeStreamed} from './sink.js'
import {keptFile} from './kept.js'
import {sealBytes, ssnKeys} from '../store/ssn-vault.js'
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

/**
 * Exports every certified, not yet exported card version of the pay period, in ONE transaction: the file
 * (temp + rename, 0600), the batch, the cards marked exported, leave posted, one disclosure per employee.
 * A failure anywhere leaves no card marked and no file.
 */
export async function exportPayPeriod(store: Store, operator: Operator, opts: {payPeriod: string; out: string; format: PayrollFormat; now?: Date}): Promise<ExportResult> {
  authorize(operator, 'payroll.export')
  // SQLite: the cards are read and the file made by a worker thread, started now so its start-up overlaps the command's.
  if (store.engine === 'sqlite') warmUpFileWorker()
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
      if (!(await job.anyCertified(opts.payPeriod, operator.orgPrefix))) {
        throw notFound('NOTHING_TO_EXPORT', `No certified, unexported cards in the pay period starting ${opts.payPeriod}; no file was written.`, {payPeriod: opts.payPeriod})
      }
      const ref = await job.openBatch({payPeriod: opts.payPeriod, format: opts.format, createdAt, createdBy: operator.name})
      const batchId = batchName(ref)
      const header: BatchHeader = {agencyCode: agency, batchId, payPeriodStart: opts.payPeriod, payPeriodNumber: payPeriodNumber(opts.payPeriod, anchor), createdAt}
      const now = new Date().toISOString()
      const disclosure = {
        disclosed_on: createdAt.slice(0, 10), recipient, address, purpose: 'payroll processing', routine_use: routineUse,
        record_type: payrollBatchRecord.type, record_ref: batchId, created_by: operator.name, created_at: now,
      }
      // The cards are read, checked and written to the file (export-cards.ts) as they are posted here: the file an
      // employee's records at a time (the FORMATS.md order is employee_id first, the order the cards come in). The
      // kept copy carries SSNs: each chunk sealed under the key (store/ssn-vault.ts), as the employees' SSNs are,
      // and stored as it is made (payroll_batch_chunks), so neither the file nor its copy is ever held whole.
      const reading = {payPeriod: opts.payPeriod, orgPrefix: operator.orgPrefix, anchor}
      // The file's temp copy, its sha256 and its kept chunks; on SQLite fed the bytes the worker formats.
      const sink = new BatchSink(file.tmp, (error) => outputError(opts.out, error), (bytes) => sealBytes(keys, bytes))
      const keep = async (chunks: KeptChunk[]) => {
        if (chunks.length > 0) await job.keepChunks(ref, chunks)
      }
      let corrections = 0
      let made: {totals: FileTotals; sha256: string} | undefined
      try {
        let messages: AsyncGenerator<ExportMessage>
        if (job.source) {
          messages = exportCards(job.source, keptOut(sink), {...reading, header, format: opts.format, key: keys.enc})
        } else {
          messages = fileMessages({...reading, store: store.path, busyTimeoutMs: busyTimeoutMs(), header, format: opts.format, key: keys.enc})
        }
        for await (const m of messages) {
          if (m.kind === 'chunks') {
            await keep(m.chunks)
          } else if (m.kind === 'bytes') {
            // (From the worker thread: a Uint8Array.)
            sink.writeBytes(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength))
            await keep(await sink.take())
          } else if (m.kind === 'page') {
            for (const {card, correction, delta} of m.cards) {
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
          } else if (m.kind === 'broken') {
            // Cards changed since they were certified (timecards/seal-text.ts): none of them is exported, nor anything else.
            throw sealBroken(opts.payPeriod, m.cards)
          } else {
            let sha256 = m.sha256
            if (sha256 === undefined) {
              const kept = await sink.finish()
              await keep(kept.chunks)
              sha256 = kept.sha256
            }
            made = {totals: m.file, sha256}
          }
        }
      } finally {
        sink.close()
      }
      if (!made) throw new CustodianError('WORKER_FAILED', 'The export ended without its file; nothing was exported.', ExitCode.internal)
      const digest = made.sha256
      const {records, employees, totalHundredths, hashTotal, csvControl} = made.totals
      const controlJson = csvControl ? controlText(csvControl, digest) : null
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
