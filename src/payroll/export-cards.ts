import {type Tour, annualLeaveAccrual, sickLeaveAccrual} from '../timecards/leave.js'
import type {BatchFile, BrokenCard, MadeFile} from './batch-file.js'
import type {CardSource, CardToPost, LineSum} from './export-job.js'
import type {KeptChunk} from './sink.js'

/**
 * The reading half of `payroll export`: the pay period's certified cards as an engine's CardSource reads them,
 * each checked against its seal, written to the batch's file (BatchFile) and given its leave, as messages for
 * the writing half (service.ts), which posts them. On SQLite this runs in the export's worker thread
 * (export-worker.ts) while the main thread writes; on PostgreSQL, on the main thread between its writes.
 */

/** What the reading half gives, in order: pages of cards to post and chunks of the kept file as they are made, then the file made or the cards whose seals broke. */
export type ExportMessage =
  | {kind: 'page'; cards: CardToPost[]}
  | {kind: 'chunks'; chunks: KeptChunk[]}
  | {kind: 'made'; file: MadeFile}
  | {kind: 'broken'; cards: BrokenCard[]}

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
 * Reads the cards, writes them to `file` (closed at the end, made or not) and gives what to post, a page at a
 * time. A card changed since it was certified (its seal broken) stops the export: the rest is read only to
 * list such cards, and no file is made.
 */
export async function* exportCards(source: CardSource, file: BatchFile, o: {payPeriod: string; orgPrefix: string | null; anchor?: string}): AsyncGenerator<ExportMessage> {
  try {
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
        if (file.add(card, lines, correction)) {
          const chunks = await file.take()
          if (chunks.length > 0) yield {kind: 'chunks', chunks}
        }
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
    const {chunks, ...made} = await file.end()
    if (chunks.length > 0) yield {kind: 'chunks', chunks}
    yield {kind: 'made', file: made}
  } finally {
    file.close()
  }
}
