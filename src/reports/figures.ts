import {type CivilDate, addDays, addMonths, fromDayNumber, toDayNumber} from '../calendar/dates.js'
import {isWorkingDay} from '../calendar/workdays.js'
import {REQUEST_TYPES, type RequestType} from '../requests/clocks.js'
import {type ActiveHold, dueOn, holdCovers} from '../retention/checks.js'
import type {RecordType, RetentionCandidate} from '../records/registry.js'

/**
 * The figures of `custodian reports` as pure functions over rows the queries module reads (CLI.md "Reports"):
 * no store, no clock, so unit tests check them against figures worked out by hand.
 */

// ---------------------------------------------------------------------------------------------------------
// Periods, months, percentiles, working days

export interface Period {
  from: CivilDate
  to: CivilDate
  asOf: CivilDate
}

/** `YYYY-MM` of a date (or of an ISO timestamp). */
export const monthOf = (date: string): string => date.slice(0, 7)

/** Every month from the month of `from` to the month of `to`, both included, in order. */
export function monthsBetween(from: CivilDate, to: CivilDate): string[] {
  const out: string[] = []
  for (let d = `${monthOf(from)}-01`; monthOf(d) <= monthOf(to); d = addMonths(d, 1)) out.push(monthOf(d))
  return out
}

/** The default period: the 12 months that end on `asOf` (from the day after the same date a year earlier). */
export function defaultFrom(to: CivilDate): CivilDate {
  return addDays(addMonths(to, -12), 1)
}

/**
 * The nearest-rank percentile of the values: the smallest value such that at least p% of the values are
 * less than or equal to it, i.e. the value at rank ceil(p/100 × n) of the sorted list. Null for no values.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`nearestRank: p must be in (0, 100], got ${p}`)
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!
}

/**
 * Counts working days (calendar/workdays.ts: weekends, observed federal holidays, the store's closures) in
 * (from, to] in constant time once a span of days is tabled: the running count of working days is kept per
 * day number and widened when a date outside it is asked for. `between(received, closed)` is the number of the
 * working day the request was closed on, counting as RULES.md's clocks count (day 1 = the first working day
 * after receipt); 0 when closed on the day of receipt or before the next working day.
 */
export class WorkingDayCounter {
  private base = 0
  /** cumulative[i] = working days in [base, base + i]. */
  private cumulative: Int32Array = new Int32Array(0)

  constructor(private readonly closures: ReadonlySet<CivilDate> = new Set()) {}

  between(from: CivilDate, to: CivilDate): number {
    const a = toDayNumber(from)
    const b = toDayNumber(to)
    if (b <= a) return 0
    this.cover(a, b)
    return this.cumulative[b - this.base]! - this.cumulative[a - this.base]!
  }

  private cover(a: number, b: number): void {
    const end = this.base + this.cumulative.length - 1
    if (this.cumulative.length > 0 && a >= this.base && b <= end) return
    // Widen generously (a year either side) so that a report's dates table once.
    const lo = Math.min(a, this.cumulative.length > 0 ? this.base : a) - 366
    const hi = Math.max(b, this.cumulative.length > 0 ? end : b) + 366
    const table = new Int32Array(hi - lo + 1)
    let count = 0
    for (let d = lo; d <= hi; d++) {
      if (isWorkingDay(fromDayNumber(d), this.closures)) count++
      table[d - lo] = count
    }
    this.base = lo
    this.cumulative = table
  }
}

// ---------------------------------------------------------------------------------------------------------
// reports requests

export interface RequestRow {
  requestId: string
  type: RequestType
  received: CivilDate
  dueBy: CivilDate
  /** The civil date of closing; null while open. */
  closedOn: CivilDate | null
}

export interface RequestTypeFigures {
  type: RequestType
  /** Received in the period. */
  received: number
  /** Closed in the period. */
  processed: number
  /** Received by as-of and not closed by then. */
  pending: number
  /** Pending as of as-of and past its due date. */
  overdue: number
  /** Working days to close of the requests processed in the period (nearest rank); null when none was. */
  medianWorkingDays: number | null
  p90WorkingDays: number | null
}

export interface RequestsReport {
  from: CivilDate
  to: CivilDate
  asOf: CivilDate
  byType: RequestTypeFigures[]
  byMonth: {month: string; type: RequestType; received: number; processed: number}[]
  oldestPending: {requestId: string; received: CivilDate; workingDaysOpen: number} | null
  /** Not in the JSON document: the pending requests by working days open as of as-of (the page's aging chart). */
  aging: {bucket: string; type: RequestType; count: number}[]
}

/** Aging buckets of pending requests, in working days open (upper bounds; the last is open-ended). */
export const AGING_BUCKETS: readonly {label: string; max: number}[] = [
  {label: '0-10', max: 10}, {label: '11-20', max: 20}, {label: '21-30', max: 30}, {label: '31-60', max: 60}, {label: 'over 60', max: Number.POSITIVE_INFINITY},
]

export const agingBucket = (workingDaysOpen: number): string => AGING_BUCKETS.find((b) => workingDaysOpen <= b.max)!.label

/** Whether a request was still open at the end of `asOf` (received by then, not closed by then). */
export function pendingAsOf(r: Pick<RequestRow, 'received' | 'closedOn'>, asOf: CivilDate): boolean {
  return r.received <= asOf && (r.closedOn === null || r.closedOn > asOf)
}

/** Pending as of the date and past its due date (RULES.md: overdue is open after the due date). */
export function overdueAsOf(r: Pick<RequestRow, 'received' | 'closedOn' | 'dueBy'>, asOf: CivilDate): boolean {
  return pendingAsOf(r, asOf) && asOf > r.dueBy
}

/**
 * The requests a report counts, already grouped (what the SQL of queries.ts returns, and what groupRequests
 * makes of plain rows): received in the period per type and month; closed in the period per type, received
 * date and closing date (the working days to close depend on those two only); pending as of as-of per type,
 * received date and whether past due; the oldest pending request.
 */
export interface RequestGroups {
  received: {type: RequestType; month: string; count: number}[]
  processed: {type: RequestType; received: CivilDate; closedOn: CivilDate; count: number}[]
  pending: {type: RequestType; received: CivilDate; overdue: boolean; count: number}[]
  oldestPending: {requestId: string; received: CivilDate} | null
}

/** Groups plain rows as the store's SQL does (queries.ts requestGroups). */
export function groupRequests(rows: readonly RequestRow[], period: Period): RequestGroups {
  const {from, to, asOf} = period
  const bump = <T extends {count: number}>(map: Map<string, T>, key: string, make: () => Omit<T, 'count'>) => {
    const g = map.get(key) ?? map.set(key, {...make(), count: 0} as T).get(key)!
    g.count++
  }
  const received = new Map<string, RequestGroups['received'][number]>()
  const processed = new Map<string, RequestGroups['processed'][number]>()
  const pending = new Map<string, RequestGroups['pending'][number]>()
  let oldest: RequestRow | null = null
  for (const r of rows) {
    if (r.received >= from && r.received <= to) bump(received, `${r.type} ${monthOf(r.received)}`, () => ({type: r.type, month: monthOf(r.received)}))
    if (r.closedOn !== null && r.closedOn >= from && r.closedOn <= to) bump(processed, `${r.type} ${r.received} ${r.closedOn}`, () => ({type: r.type, received: r.received, closedOn: r.closedOn!}))
    if (pendingAsOf(r, asOf)) {
      const overdue = asOf > r.dueBy
      bump(pending, `${r.type} ${r.received} ${overdue}`, () => ({type: r.type, received: r.received, overdue}))
      if (oldest === null || r.received < oldest.received || (r.received === oldest.received && r.requestId < oldest.requestId)) oldest = r
    }
  }
  return {received: [...received.values()], processed: [...processed.values()], pending: [...pending.values()], oldestPending: oldest && {requestId: oldest.requestId, received: oldest.received}}
}

/**
 * The annual-report figures of Privacy Act requests: per type, received (by date of receipt) and processed
 * (by date of closing) in the period, pending and overdue as of `asOf`, and the median and 90th percentile
 * (nearest rank) of the working days to close of the requests processed in the period; per month of the
 * period and type (every month and type, zeros included) received and processed; the oldest pending request.
 */
export function requestsFromGroups(g: RequestGroups, period: Period, closures: ReadonlySet<CivilDate> = new Set()): RequestsReport {
  const {from, to, asOf} = period
  const days = new WorkingDayCounter(closures)
  const months = monthsBetween(from, to)
  const monthIndex = new Map(months.map((m, i) => [m, i]))
  const perType = new Map(REQUEST_TYPES.map((t) => [t, {received: 0, processed: 0, pending: 0, overdue: 0, durations: new Map<number, number>(), aging: new Map<string, number>(), monthly: months.map(() => ({received: 0, processed: 0}))}]))
  for (const r of g.received) {
    const t = perType.get(r.type)
    const i = monthIndex.get(r.month)
    if (!t || i === undefined) continue
    t.received += r.count
    t.monthly[i]!.received += r.count
  }
  for (const r of g.processed) {
    const t = perType.get(r.type)
    const i = monthIndex.get(monthOf(r.closedOn))
    if (!t || i === undefined) continue
    t.processed += r.count
    t.monthly[i]!.processed += r.count
    const d = days.between(r.received, r.closedOn)
    t.durations.set(d, (t.durations.get(d) ?? 0) + r.count)
  }
  for (const r of g.pending) {
    const t = perType.get(r.type)
    if (!t) continue
    t.pending += r.count
    if (r.overdue) t.overdue += r.count
    const bucket = agingBucket(days.between(r.received, asOf))
    t.aging.set(bucket, (t.aging.get(bucket) ?? 0) + r.count)
  }
  const oldest = g.oldestPending
  return {
    from, to, asOf,
    byType: REQUEST_TYPES.map((type) => {
      const t = perType.get(type)!
      return {
        type, received: t.received, processed: t.processed, pending: t.pending, overdue: t.overdue,
        medianWorkingDays: nearestRankCounted(t.durations, 50), p90WorkingDays: nearestRankCounted(t.durations, 90),
      }
    }),
    byMonth: months.flatMap((month, i) => REQUEST_TYPES.map((type) => ({month, type, ...perType.get(type)!.monthly[i]!}))),
    oldestPending: oldest === null ? null : {requestId: oldest.requestId, received: oldest.received, workingDaysOpen: days.between(oldest.received, asOf)},
    aging: AGING_BUCKETS.flatMap((b) => REQUEST_TYPES.map((type) => ({bucket: b.label, type, count: perType.get(type)!.aging.get(b.label) ?? 0}))),
  }
}

/** requestsFromGroups over plain rows. */
export function requestsReport(rows: readonly RequestRow[], period: Period, closures: ReadonlySet<CivilDate> = new Set()): RequestsReport {
  return requestsFromGroups(groupRequests(rows, period), period, closures)
}

/** nearestRank over values given with how often each occurs (value → count). */
export function nearestRankCounted(counts: ReadonlyMap<number, number>, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`nearestRank: p must be in (0, 100], got ${p}`)
  let n = 0
  for (const c of counts.values()) n += c
  if (n === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * n))
  let seen = 0
  for (const value of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(value)!
    if (seen >= rank) return value
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------
// reports retention

/** How many months ahead a retention forecast looks (the as-of month and the 23 after it). */
export const FORECAST_MONTHS = 24

/** A record type as the forecast counts it: its system, schedule and retention period. */
export interface RetentionTypeMeta {
  type: RecordType
  system: string
  schedule: string
  retainMonths: number
}

export interface RetentionTypeInput extends RetentionTypeMeta {
  candidates: readonly RetentionCandidate[]
}

export interface RetentionMonth {
  month: string
  system: string
  schedule: string
  recordType: string
  /** Records whose eligibility date (trigger + retention months) falls in the month. */
  due: number
  /** Of those, under an active legal hold today. */
  held: number
  /** Of those, not held but about a subject with an open Privacy Act request today. */
  blockedByRequest: number
}

export interface RetentionReport {
  asOf: CivilDate
  months: RetentionMonth[]
  /** Records already eligible before the first month of the forecast (the backlog a sweep would meet), per schedule. */
  alreadyDue: Omit<RetentionMonth, 'month'>[]
}

/** The forecast's months: the as-of month and the 23 after it, unless --from/--to name others. */
export function forecastWindow(asOf: CivilDate, from?: CivilDate, to?: CivilDate): {first: string; last: string} {
  const first = monthOf(from ?? asOf)
  return {first, last: monthOf(to ?? addMonths(`${first}-01`, FORECAST_MONTHS - 1))}
}

/**
 * Records coming due per month of the window (by default the 24 months starting with the as-of month), per system of records and
 * schedule (eligibility dates as the retention rules compute them: retention/checks.ts dueOn), with how many
 * of them an active hold or an open request would keep today (held first, as a sweep decides). Rows only for
 * months in which something falls due, ordered by month, system, schedule.
 */
export function retentionReport(types: readonly RetentionTypeInput[], holds: readonly ActiveHold[], openRequestSubjects: ReadonlySet<string>, asOf: CivilDate, window = forecastWindow(asOf)): RetentionReport {
  const tally = retentionTally(holds, openRequestSubjects, asOf, window)
  for (const t of types) for (const c of t.candidates) tally.add(t, c)
  return tally.report()
}

/**
 * The forecast counted one record at a time (`add`), so the store's records are never all in memory:
 * `report` gives what retentionReport describes. Each record is counted in the month its trigger plus the
 * type's retention months falls in (the month of trigger + n months is the trigger's month + n: the day's
 * clamping never leaves the month), held first, then blocked by an open request.
 */
export function retentionTally(holds: readonly ActiveHold[], openRequestSubjects: ReadonlySet<string>, asOf: CivilDate, window = forecastWindow(asOf)) {
  const {first, last} = window
  const rows = new Map<string, RetentionMonth>()
  const backlog = new Map<string, Omit<RetentionMonth, 'month'>>()
  // The month each trigger month falls due in, per retention period (a few hundred distinct months at most).
  const dueMonths = new Map<string, string>()
  return {
    add(t: RetentionTypeMeta, c: RetentionCandidate): void {
      if (c.trigger === null) return
      const dueKey = `${t.retainMonths}\u0000${c.trigger.slice(0, 7)}`
      let month = dueMonths.get(dueKey)
      if (month === undefined) dueMonths.set(dueKey, (month = monthOf(dueOn(`${c.trigger.slice(0, 7)}-01`, t.retainMonths))))
      if (month > last) return
      const typeKey = `${t.system}\u0000${t.schedule}\u0000${t.type}`
      let row: Omit<RetentionMonth, 'month'> | undefined
      if (month < first) {
        row = backlog.get(typeKey)
        if (!row) backlog.set(typeKey, (row = {system: t.system, schedule: t.schedule, recordType: t.type, due: 0, held: 0, blockedByRequest: 0}))
      } else {
        const key = `${month}\u0000${typeKey}`
        let monthRow = rows.get(key)
        if (!monthRow) rows.set(key, (monthRow = {month, system: t.system, schedule: t.schedule, recordType: t.type, due: 0, held: 0, blockedByRequest: 0}))
        row = monthRow
      }
      row.due++
      if (holds.some((h) => holdCovers(h, t.type, c.subjects))) row.held++
      else if (c.subjects.some((s) => openRequestSubjects.has(s))) row.blockedByRequest++
    },
    report(): RetentionReport {
      const order = (a: {system: string; schedule: string; recordType: string}, b: typeof a) =>
        a.system.localeCompare(b.system) || a.schedule.localeCompare(b.schedule) || a.recordType.localeCompare(b.recordType)
      return {
        asOf,
        months: [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || order(a, b)),
        alreadyDue: [...backlog.values()].sort(order),
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// reports inquiries

export const INQUIRY_STATUSES = ['new', 'in-progress', 'referred', 'answered', 'closed'] as const

export interface InquiryRow {
  status: string
  category: string
  routedTo: string
  received: CivilDate
  /** The date of the first update that set the status `answered`, if any. */
  firstAnsweredOn: CivilDate | null
  closedOn: CivilDate | null
}

export interface InquiriesReport {
  from: CivilDate
  to: CivilDate
  /** Inquiries received in the period. */
  total: number
  byStatus: {status: string; count: number}[]
  byCategory: {category: string; count: number}[]
  byAgency: {agency: string; count: number}[]
  /** Inquiries received in the period that have been answered (or closed). */
  answered: number
  /** Calendar days from receipt to answer, nearest-rank median; null when none was answered. */
  medianDaysToAnswer: number | null
}

/** The day an inquiry was answered: its first `answered` update or its closing, whichever came first. */
export function answeredOn(r: Pick<InquiryRow, 'firstAnsweredOn' | 'closedOn'>): CivilDate | null {
  if (r.firstAnsweredOn === null) return r.closedOn
  if (r.closedOn === null) return r.firstAnsweredOn
  return r.firstAnsweredOn < r.closedOn ? r.firstAnsweredOn : r.closedOn
}

const byCountThenName = <K extends string>(key: K, counts: Map<string, number>) =>
  [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, count]) => ({[key]: name, count}) as {[P in K]: string} & {count: number})

/**
 * Inquiries received in the period, grouped (what the SQL of queries.ts returns, and what groupInquiries makes
 * of plain rows): counts by status, category and agency; counts by received date, first answered date and
 * closing date (the days to answer depend on those only).
 */
export interface InquiryGroups {
  byStatus: {status: string; count: number}[]
  byCategory: {category: string; count: number}[]
  byAgency: {agency: string; count: number}[]
  answers: {received: CivilDate; firstAnsweredOn: CivilDate | null; closedOn: CivilDate | null; count: number}[]
}

/** Groups plain rows as the store's SQL does (queries.ts inquiryGroups), the period applied. */
export function groupInquiries(rows: readonly InquiryRow[], period: Pick<Period, 'from' | 'to'>): InquiryGroups {
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  const statuses = new Map<string, number>()
  const categories = new Map<string, number>()
  const agencies = new Map<string, number>()
  const answers = new Map<string, InquiryGroups['answers'][number]>()
  for (const r of rows) {
    if (r.received < period.from || r.received > period.to) continue
    count(statuses, r.status)
    count(categories, r.category)
    count(agencies, r.routedTo)
    const key = `${r.received} ${r.firstAnsweredOn} ${r.closedOn}`
    const g = answers.get(key) ?? answers.set(key, {received: r.received, firstAnsweredOn: r.firstAnsweredOn, closedOn: r.closedOn, count: 0}).get(key)!
    g.count++
  }
  return {
    byStatus: [...statuses].map(([status, n]) => ({status, count: n})),
    byCategory: [...categories].map(([category, n]) => ({category, count: n})),
    byAgency: [...agencies].map(([agency, n]) => ({agency, count: n})),
    answers: [...answers.values()],
  }
}

/**
 * Inquiries received in the period: by current status (every status, zeros included, in the workflow's
 * order), by category and by the agency routed to (most first), and the median calendar days to answer.
 */
export function inquiriesFromGroups(g: InquiryGroups, period: Pick<Period, 'from' | 'to'>): InquiriesReport {
  const statuses = new Map<string, number>(INQUIRY_STATUSES.map((s) => [s, 0]))
  for (const x of g.byStatus) statuses.set(x.status, (statuses.get(x.status) ?? 0) + x.count)
  const tally = (list: readonly {count: number}[], key: (x: never) => string) => {
    const m = new Map<string, number>()
    for (const x of list) m.set(key(x as never), (m.get(key(x as never)) ?? 0) + x.count)
    return m
  }
  const durations = new Map<number, number>()
  let answered = 0
  for (const a of g.answers) {
    const on = answeredOn(a)
    if (on === null) continue
    const days = Math.max(0, toDayNumber(on) - toDayNumber(a.received))
    durations.set(days, (durations.get(days) ?? 0) + a.count)
    answered += a.count
  }
  return {
    from: period.from, to: period.to, total: g.byStatus.reduce((t, x) => t + x.count, 0),
    byStatus: [...statuses].map(([status, count]) => ({status, count})),
    byCategory: byCountThenName('category', tally(g.byCategory, (x: {category: string}) => x.category)),
    byAgency: byCountThenName('agency', tally(g.byAgency, (x: {agency: string}) => x.agency)),
    answered,
    medianDaysToAnswer: nearestRankCounted(durations, 50),
  }
}

/** inquiriesFromGroups over plain rows. */
export function inquiriesReport(rows: readonly InquiryRow[], period: Pick<Period, 'from' | 'to'>): InquiriesReport {
  return inquiriesFromGroups(groupInquiries(rows, period), period)
}

// ---------------------------------------------------------------------------------------------------------
// reports imports

export interface RejectCountRow {
  /** The batch's import time (ISO timestamp, UTC) or its month. */
  importedAt: string
  kind: string
  code: string
  count: number
}

export interface ImportsReport {
  from: CivilDate
  to: CivilDate
  months: {month: string; kind: string; code: string; count: number}[]
}

/** First instant after the period, for comparing ISO timestamps: the day after `to`. */
export const endExclusive = (to: CivilDate): string => addDays(to, 1)

/**
 * Rejected rows per month of import, import kind and reject code, for batches imported in the period (UTC
 * days): within a month most frequent first, then by kind and code.
 */
export function importsReport(rows: readonly RejectCountRow[], period: Pick<Period, 'from' | 'to'>): ImportsReport {
  const end = endExclusive(period.to)
  const counts = new Map<string, {month: string; kind: string; code: string; count: number}>()
  for (const r of rows) {
    if (r.importedAt.length > 7 && (r.importedAt < period.from || r.importedAt >= end)) continue
    const month = monthOf(r.importedAt)
    const key = `${month}\u0000${r.kind}\u0000${r.code}`
    const row = counts.get(key) ?? counts.set(key, {month, kind: r.kind, code: r.code, count: 0}).get(key)!
    row.count += r.count
  }
  return {
    from: period.from, to: period.to,
    months: [...counts.values()].sort((a, b) => a.month.localeCompare(b.month) || b.count - a.count || a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code)),
  }
}
