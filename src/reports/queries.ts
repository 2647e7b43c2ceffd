import {sql} from 'kysely'

import type {CivilDate} from '../calendar/dates.js'
import type {RequestType} from '../requests/clocks.js'
import type {Store} from '../store/index.js'
import {type InquiryRow, type RejectCountRow, type RequestRow, endExclusive} from './figures.js'

/**
 * What `custodian reports` reads, column by column: only what the figures need, and nothing a report role may
 * not read on PostgreSQL (no requester, no SSN, no inquiry's intake fields; postgres-security.ts GRANTS).
 * The counting that SQL does well (reject codes per month) is done in SQL; durations need the calendar.
 */

/** The requests that can count in the period: received or closed in it, or pending as of as-of. */
export async function requestRows(store: Store, p: {from: CivilDate; to: CivilDate; asOf: CivilDate}): Promise<RequestRow[]> {
  const rows = await store.db.selectFrom('requests')
    .select(['request_id', 'type', 'received', 'due_by', 'closed_on'])
    .where((eb) => eb.or([
      eb.between('received', p.from, p.to),
      eb.between('closed_on', p.from, p.to),
      eb.and([eb('received', '<=', p.asOf), eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', p.asOf)])]),
    ]))
    .execute()
  return rows.map((r) => ({requestId: r.request_id, type: r.type as RequestType, received: r.received, dueBy: r.due_by, closedOn: r.closed_on}))
}

/** Inquiries received in the period, with the day of their first `answered` update. */
export async function inquiryRows(store: Store, p: {from: CivilDate; to: CivilDate}): Promise<InquiryRow[]> {
  const rows = await store.db.selectFrom('inquiries as i')
    .select(['i.status', 'i.category', 'i.routed_to', 'i.received', 'i.closed_on'])
    .select((eb) => eb.selectFrom('inquiry_updates as u').select((e) => e.fn.min('u.at').as('at'))
      .whereRef('u.inquiry_ref', '=', 'i.id').where('u.status', '=', 'answered').as('first_answered_at'))
    .where('i.received', '>=', p.from).where('i.received', '<=', p.to)
    .execute()
  return rows.map((r) => ({
    status: r.status, category: r.category, routedTo: r.routed_to, received: r.received, closedOn: r.closed_on,
    firstAnsweredOn: r.first_answered_at === null || r.first_answered_at === undefined ? null : String(r.first_answered_at).slice(0, 10),
  }))
}

/** Rejected rows per month of import, kind and code, summed in SQL over the batches imported in the period. */
export async function rejectCounts(store: Store, p: {from: CivilDate; to: CivilDate}): Promise<RejectCountRow[]> {
  const month = sql<string>`substr(b.imported_at, 1, 7)`
  const rows = await store.db.selectFrom('import_reject_codes as r')
    .innerJoin('import_batches as b', 'b.id', 'r.batch_ref')
    .select([month.as('month'), 'b.kind', 'r.code'])
    .select((eb) => eb.fn.sum<number | string>('r.count').as('count'))
    .where('b.imported_at', '>=', p.from).where('b.imported_at', '<', endExclusive(p.to))
    .groupBy([month, 'b.kind', 'r.code'])
    .execute()
  return rows.map((r) => ({importedAt: r.month, kind: r.kind, code: r.code, count: Number(r.count)}))
}
