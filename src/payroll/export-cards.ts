import {type Tour, annualLeaveAccrual, sickLeaveAccrual} from '../timecards/leave.js'
import type {CipherKey} from '../store/ssn-crypto.js'
import {BatchFile, type BrokenCard, type FileOut, type FileTotals, type PayrollFormat} from './batch-file.js'
import type {CardSource, CardToPost, LineSum} from './export-job.js'
import type {BatchHeader} from './nfc.js'
import {type BatchSink, type KeptChunk, chunkBytes} from './sink.js'

/**
 * The reading half of `payroll export`: the pay period's certified cards as an engine's CardSource reads them,
 * each checked against its seal, written to the batch's file (BatchFile) and given its leave, as messages for
 * the writing half (service.ts), which posts them. On SQLite this runs in the export's worker thread
 * (export-worker-sqlite.ts) while the main thread writes; on PostgreSQL, on the main thread between its writes.
 */

/**
 * What the reading half gives, in order: pages of cards to post, and the file as it is made (the kept chunks
 * of a BatchSink on this thread, or the file's bytes for the main thread's sink), then the file's totals (and
 * its sha256 when it was hashed here) or the cards whose seals broke.
 */
export type ExportMessage =
  | {kind: 'page'; cards: CardToPost[]}
  | {kind: 'chunks'; chunks: KeptChunk[]}
  | {kind: 'bytes'; bytes: Uint8Array}
  | {kind: 'made'; file: FileTotals; sha256?: string}
  | {kind: 'broken'; cards: BrokenCard[]}

/** Where the file's text goes, with what it makes of it as messages. */
export interface CardsOut extends FileOut {
  /** What is ready once an employee's records were written. */
  ready(): Promise<ExportMessage[]>
  /** The rest, once the file is written; its sha256 when its bytes were hashed here. */
  end(): Promise<{messages: ExportMessage[]; sha256?: string}>
  /** Lets the file go after a failure (the caller discards it). */
  close(): void
}

/** The file written to a BatchSink on this thread: its kept chunks as they are made. */
export function keptOut(sink: BatchSink): CardsOut {
  const chunks = (c: KeptChunk[]): ExportMessage[] => (c.length > 0 ? [{kind: 'chunks', chunks: c}] : [])
  return {
    write: (text) => sink.write(text),
    ready: async () => chunks(await sink.take()),
    async end() {
      const kept = await sink.finish()
      return {messages: chunks(kept.chunks), sha256: kept.sha256}
    },
    close: () => sink.close(),
  }
}

/**
 * The file's bytes sent as they are made (`send`), a chunk's worth at a time, for the main thread's BatchSink to write,
 * hash and keep (the SQLite export's worker: export-worker-sqlite.ts). The text is encoded here.
 */
export function bytesOut(send: (m: ExportMessage) => void): CardsOut {
  // A message carries one chunk of the kept copy (sink.ts chunkBytes), which the main thread's sink keeps as it is.
  const limit = chunkBytes()
  const gathered = Buffer.allocUnsafeSlow(limit + (64 << 10))
  let length = 0
  const flush = () => {
    if (length > 0) send({kind: 'bytes', bytes: gathered.subarray(0, length)}) // copied as it is posted
    length = 0
  }
  return {
    write(text) {
      if (text.length === 0) return
      if (text.length * 3 > gathered.length - length && Buffer.byteLength(text, 'utf8') > gathered.length - length) {
        flush()
        if (Buffer.byteLength(text, 'utf8') > gathered.length) {
          send({kind: 'bytes', bytes: Buffer.from(text, 'utf8')})
          return
        }
      }
      length += gathered.write(text, length, 'utf8')
      if (length >= limit) flush()
    },
    ready: async () => [],
    async end() {
      flush()
      return {messages: []}
    },
    close: () => undefined,
  }
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

/**
 * Reads the cards, writes them to the batch's file (over `out`, closed at the end, made or not) and gives what to post, a page at a
 * time. A card changed since it was certified (its seal broken) stops the export: the rest is read only to
 * list such cards, and no file is made.
 */
export async function* exportCards(source: CardSource, out: CardsOut, o: {payPeriod: string; orgPrefix: string | null; anchor?: string; header: BatchHeader; format: PayrollFormat; key: CipherKey['enc']}): AsyncGenerator<ExportMessage> {
  try {
    const file = new BatchFile(o.header, o.format, out, {enc: o.key})
    const broken: BrokenCard[] = []
    for await (const cards of source.certifiedCards(o.payPeriod, o.orgPrefix)) {
      const page: CardToPost[] = []
      for (const card of cards) {
        const {lines, sealBroken} = source.sealedLinesOf(card, o.payPeriod)
        if (sealBroken) broken.push({employeeId: card.employee_id, version: card.version})
        if (broken.length > 0) continue
        const prior = source.previousExport(card, o.payPeriod)
        const correction = prior !== undefined
        const who = {tour: card.tour_of_duty, serviceCompDate: card.service_comp_date}
        const posting = leavePosting(lines, who, o.payPeriod, o.anchor)
        const reversal = correction ? leavePosting(source.linesOf(prior), who, o.payPeriod, o.anchor) : {annual: 0, sick: 0, compTime: 0}
        if (file.add(card, lines, correction)) yield* await out.ready()
        page.push({
          card: {id: card.id, version: card.version, employee_ref: card.employee_ref, employee_id: card.employee_id,
            annual_leave_balance: card.annual_leave_balance, sick_leave_balance: card.sick_leave_balance, comp_time_balance: card.comp_time_balance},
          correction,
          delta: {annual: posting.annual - reversal.annual, sick: posting.sick - reversal.sick, compTime: posting.compTime - reversal.compTime},
        })
      }
      // The page's cards are posted before the next page is read (an engine's source may write them first).
      if (page.length > 0) yield {kind: 'page', cards: page}
    }
    if (broken.length > 0) {
      yield {kind: 'broken', cards: broken}
      return
    }
    const totals = file.end()
    const {messages, sha256} = await out.end()
    yield* messages
    yield {kind: 'made', file: totals, sha256}
  } finally {
    out.close()
  }
}
