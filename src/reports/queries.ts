import {sql} from 'kysely'

import type {CivilDate} from '../calendar/dates.js'
import type {RequestType} from '../requests/clocks.js'
import type {Store} from '../store/index.js'
import {type InquiryGroups, type RejectCountRow, type RequestGroups, endExclusive} from './figures.js'

/**
 * What `custodian reports` reads, column by column: only what the figures need, and nothing a report role may
 * not read on PostgreSQL (no requester, no SSN, no inquiry's intake fields; postgres-security.ts GRANTS).
 * The counting that SQL does well (reject codes per month) is done in SQL; durations need the calendar.
 */

const n = (v: unknown): number => Number(v)

/**
 * The requests of the period grouped in SQL (figures.ts RequestGroups): counts per type and month received;
 * per type, received and closing date of those closed in the period; per type, received date and past-due of
 * those pending as of as-of; and the oldest pending. A few hundred rows for any number of requests.
 */
export async function requestGroups(store: Store, p: {from: CivilDate; to: CivilDate; asOf: CivilDate}): Promise<RequestGroups> {
  const {db} = store
  const month = sql<string>`substr(received, 1, 7)`
  const overdue = sql<number>`CASE WHEN due_by < ${p.asOf} THEN 1 ELSE 0 END`
  // Pending then: still open, or closed after as-of (the closed_on index finds both); on SQLite `+received`
  // keeps the planner from walking the received index over nearly every request instead.
  const received = store.engine === 'sqlite' ? sql<string>`+received` : sql<string>`received`
  const pendingThen = db.selectFrom('requests').where(received, '<=', p.asOf).where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', p.asOf)]))
  const [receivedRows, processed, pending, oldest] = await Promise.all([
    db.selectFrom('requests').select(['type', month.as('month'), (eb) => eb.fn.countAll().as('count')])
      .where('received', '>=', p.from).where('received', '<=', p.to).groupBy(['type', month]).execute(),
    db.selectFrom('requests').select(['type', 'received', 'closed_on', (eb) => eb.fn.countAll().as('count')])
      .where('closed_on', '>=', p.from).where('closed_on', '<=', p.to).groupBy(['type', 'received', 'closed_on']).execute(),
    // Grouped outside: PostgreSQL takes the same CASE with its own parameter in GROUP BY for another expression.
    db.selectFrom(pendingThen.select(['type', 'received', overdue.as('overdue')]).as('p'))
      .select(['p.type', 'p.received', 'p.overdue', (eb) => eb.fn.countAll().as('count')]).groupBy(['p.type', 'p.received', 'p.overdue']).execute(),
    pendingThen.select(['request_id', 'received']).orderBy('received').orderBy('request_id').limit(1).executeTakeFirst(),
  ])
  return {
    received: receivedRows.map((r) => ({type: r.type as RequestType, month: r.month, count: n(r.count)})),
    processed: processed.map((r) => ({type: r.type as RequestType, received: r.received, closedOn: r.closed_on!, count: n(r.count)})),
    pending: pending.map((r) => ({type: r.type as RequestType, received: r.received, overdue: n(r.overdue) === 1, count: n(r.count)})),
    oldestPending: oldest === undefined ? null : {requestId: oldest.request_id, received: oldest.received},
  }
}

/**
 * The inquiries received in the period grouped in SQL (figures.ts InquiryGroups): by status, category and
 * agency; and by received date, first `answered` update (its UTC day) and closing date.
 */
export async function inquiryGroups(store: Store, p: {from: CivilDate; to: CivilDate}): Promise<InquiryGroups> {
  const {db} = store
  const inPeriod = db.selectFrom('inquiries as i').where('i.received', '>=', p.from).where('i.received', '<=', p.to)
  // The first `answered` update of each inquiry, joined once (not a subquery per inquiry); only answered or
  // closed inquiries have days to answer.
  const firstAnswers = db.selectFrom('inquiry_updates').select(['inquiry_ref', (eb) => eb.fn.min('at').as('at')]).where('status', '=', 'answered').groupBy('inquiry_ref')
  const answers = inPeriod.leftJoin(firstAnswers.as('f'), 'f.inquiry_ref', 'i.id')
    .select(['i.received', 'i.closed_on', 'f.at as first_answered_at'])
    .where((eb) => eb.or([eb('i.closed_on', 'is not', null), eb('f.at', 'is not', null)]))
  const day = sql<string | null>`substr(a.first_answered_at, 1, 10)`
  const [statuses, categories, agencies, answered] = await Promise.all([
    inPeriod.select(['i.status', (eb) => eb.fn.countAll().as('count')]).groupBy('i.status').execute(),
    inPeriod.select(['i.category', (eb) => eb.fn.countAll().as('count')]).groupBy('i.category').execute(),
    inPeriod.select(['i.routed_to', (eb) => eb.fn.countAll().as('count')]).groupBy('i.routed_to').execute(),
    db.selectFrom(answers.as('a')).select(['a.received', 'a.closed_on', day.as('first_answered_on'), (eb) => eb.fn.countAll().as('count')])
      .groupBy(['a.received', 'a.closed_on', day]).execute(),
  ])
  return {
    byStatus: statuses.map((r) => ({status: r.status, count: n(r.count)})),
    byCategory: categories.map((r) => ({category: r.category, count: n(r.count)})),
    byAgency: agencies.map((r) => ({agency: r.routed_to, count: n(r.count)})),
    answers: answered.map((r) => ({received: r.received, closedOn: r.closed_on, firstAnsweredOn: r.first_answered_on ?? null, count: n(r.count)})),
  }
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
