import {describe, expect, it} from 'vitest'

import {
  type InquiryRow, type RequestRow, WorkingDayCounter, agingBucket, answeredOn, forecastWindow, importsReport, inquiriesReport,
  monthsBetween, nearestRank, nearestRankCounted, overdueAsOf, pendingAsOf, requestsReport, retentionReport, retentionTally,
} from '../../../src/reports/figures.js'
import {addDays} from '../../../src/calendar/dates.js'
import {dueOn} from '../../../src/retention/checks.js'
import {workingDaysBetween} from '../../../src/calendar/workdays.js'

// Every expected figure below was worked out by hand on the 2026 calendar: New Year's Day Thu 01-01, Martin
// Luther King Jr. Day Mon 01-19, Washington's Birthday Mon 02-16; weekends do not count.

describe('nearestRank', () => {
  // The textbook example: 15, 20, 35, 40, 50.
  it.each([[5, 15], [30, 20], [40, 20], [50, 35], [90, 50], [100, 50]])('p%i of 15 20 35 40 50 is %i', (p, expected) => {
    expect(nearestRank([50, 15, 40, 20, 35], p)).toBe(expected)
  })
  it('is null for no values and the value itself for one', () => {
    expect(nearestRank([], 50)).toBeNull()
    expect(nearestRank([7], 90)).toBe(7)
  })
  it('takes the lower middle for an even count (rank ceil(n/2))', () => {
    expect(nearestRank([1, 3, 7, 10], 50)).toBe(3)
  })
  it('is the same over values given with their counts', () => {
    const counted = new Map([[50, 1], [15, 1], [40, 1], [20, 1], [35, 1]])
    for (const p of [5, 30, 40, 50, 90, 100]) expect(nearestRankCounted(counted, p), `p${p}`).toBe(nearestRank([50, 15, 40, 20, 35], p))
    // 0 ×3, 4 ×2, 19 ×5: ranks 1-3 → 0, 4-5 → 4, 6-10 → 19
    const many = new Map([[19, 5], [0, 3], [4, 2]])
    expect([10, 30, 31, 50, 51, 90].map((p) => nearestRankCounted(many, p))).toEqual([0, 0, 4, 4, 19, 19])
    expect(nearestRankCounted(new Map(), 50)).toBeNull()
  })
  it('refuses a percentile outside (0, 100]', () => {
    expect(() => nearestRank([1], 0)).toThrow(RangeError)
    expect(() => nearestRank([1], 101)).toThrow(RangeError)
  })
})

describe('WorkingDayCounter', () => {
  it('counts day 1 as the first working day after receipt, skipping weekends and holidays', () => {
    const c = new WorkingDayCounter()
    expect(c.between('2026-01-02', '2026-01-09')).toBe(5) // Fri → Fri: Jan 5-9
    expect(c.between('2026-01-16', '2026-01-23')).toBe(4) // MLK Monday 01-19 skipped
    expect(c.between('2026-01-30', '2026-02-02')).toBe(1) // Fri → Mon
    expect(c.between('2026-02-02', '2026-02-02')).toBe(0) // same day
    expect(c.between('2026-02-07', '2026-02-08')).toBe(0) // Sat → Sun
    expect(c.between('2026-02-03', '2026-03-03')).toBe(19) // 3 + 5 + 4 (Presidents' Day) + 5 + 2
  })
  it('counts closure days as non-working', () => {
    expect(new WorkingDayCounter(new Set(['2026-01-21'])).between('2026-01-16', '2026-01-23')).toBe(3)
  })
  it('agrees with calendar/workdays over spans that widen its table both ways', () => {
    const c = new WorkingDayCounter(new Set(['2031-07-07']))
    const pairs: [string, string][] = [['2026-05-01', '2026-06-30'], ['2019-12-20', '2020-01-10'], ['2031-07-01', '2031-07-31'], ['2024-02-27', '2024-03-04']]
    for (const [a, b] of pairs) expect(c.between(a, b), `${a}..${b}`).toBe(workingDaysBetween(a, b, new Set(['2031-07-07'])))
  })
})

describe('monthsBetween', () => {
  it('lists every month touched, both ends included, across a year end', () => {
    expect(monthsBetween('2025-11-30', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(monthsBetween('2026-03-31', '2026-03-01')).toEqual(['2026-03'])
  })
})

const req = (requestId: string, type: RequestRow['type'], received: string, dueBy: string, closedOn: string | null = null): RequestRow => ({requestId, type, received, dueBy, closedOn})

describe('requestsReport', () => {
  it('gives median and 90th percentile working days to close per type (nearest rank)', () => {
    const rows = [
      req('PA-1', 'access', '2026-01-02', '2026-01-30', '2026-01-09'), // 5
      req('PA-2', 'access', '2026-01-16', '2026-02-13', '2026-01-23'), // 4
      req('PA-3', 'access', '2026-01-30', '2026-02-27', '2026-02-02'), // 1
      req('PA-4', 'access', '2026-02-02', '2026-03-02', '2026-02-02'), // 0
      req('PA-5', 'access', '2026-02-03', '2026-03-03', '2026-03-03'), // 19
      req('PA-6', 'amendment', '2026-01-16', '2026-02-27', '2026-01-23'), // 4, or 3 with the 01-21 closure
    ]
    const r = requestsReport(rows, {from: '2026-01-01', to: '2026-03-31', asOf: '2026-03-31'})
    expect(r.byType).toEqual([
      {type: 'access', received: 5, processed: 5, pending: 0, overdue: 0, medianWorkingDays: 4, p90WorkingDays: 19},
      {type: 'amendment', received: 1, processed: 1, pending: 0, overdue: 0, medianWorkingDays: 4, p90WorkingDays: 4},
      {type: 'accounting', received: 0, processed: 0, pending: 0, overdue: 0, medianWorkingDays: null, p90WorkingDays: null},
    ])
    const closed = requestsReport(rows, {from: '2026-01-01', to: '2026-03-31', asOf: '2026-03-31'}, new Set(['2026-01-21']))
    expect(closed.byType.map((t) => [t.medianWorkingDays, t.p90WorkingDays])).toEqual([[3, 19], [3, 3], [null, null]])
    expect(r.oldestPending).toBeNull()
  })

  it('buckets received by month of receipt and processed by month of closing, at the period and month boundaries', () => {
    const rows = [
      req('PA-1', 'access', '2026-01-14', '2026-02-11', '2026-01-15'), // received before the period, closed on its first day
      req('PA-2', 'access', '2026-01-15', '2026-02-12', '2026-01-31'), // first day; closed on the last of January
      req('PA-3', 'access', '2026-01-31', '2026-03-02', '2026-02-01'), // Saturday 01-31 received, closed Sunday 02-01
      req('PA-4', 'accounting', '2026-02-14', '2026-03-16', '2026-02-15'), // last day received; closed after the period
      req('PA-5', 'amendment', '2026-02-15', '2026-03-30'), // after the period
    ]
    const r = requestsReport(rows, {from: '2026-01-15', to: '2026-02-14', asOf: '2026-02-14'})
    expect(r.byMonth).toEqual([
      {month: '2026-01', type: 'access', received: 2, processed: 2},
      {month: '2026-01', type: 'amendment', received: 0, processed: 0},
      {month: '2026-01', type: 'accounting', received: 0, processed: 0},
      {month: '2026-02', type: 'access', received: 0, processed: 1},
      {month: '2026-02', type: 'amendment', received: 0, processed: 0},
      {month: '2026-02', type: 'accounting', received: 1, processed: 0},
    ])
    // PA-4 was closed after the as-of date: pending then. PA-5 was not yet received.
    expect(r.byType.map((t) => [t.type, t.received, t.processed, t.pending])).toEqual([['access', 2, 3, 0], ['amendment', 0, 0, 0], ['accounting', 1, 0, 1]])
  })

  it('counts pending and overdue as of a date, and names the oldest pending request with its working days open', () => {
    const rows = [
      req('PA-F', 'amendment', '2026-01-05', '2026-02-17'), // open, past due
      req('PA-G', 'access', '2026-02-27', '2026-03-27'), // open, not due
      req('PA-H', 'accounting', '2026-01-10', '2026-02-09', '2026-03-05'), // closed after as-of: pending then, past due
      req('PA-I', 'access', '2026-03-03', '2026-03-31'), // received after as-of
      req('PA-J', 'access', '2026-02-20', '2026-03-02'), // due on the as-of date: not yet overdue
    ]
    const asOf = '2026-03-02'
    expect(rows.map((r) => pendingAsOf(r, asOf))).toEqual([true, true, true, false, true])
    expect(rows.map((r) => overdueAsOf(r, asOf))).toEqual([true, false, true, false, false])
    const r = requestsReport(rows, {from: '2026-01-01', to: '2026-03-31', asOf})
    expect(r.byType.map((t) => [t.type, t.pending, t.overdue])).toEqual([['access', 2, 0], ['amendment', 1, 1], ['accounting', 1, 1]])
    // 01-05 (Mon) to 03-02: 4 + 5 + 4 + 5 + 5 + 5 + 4 + 5 + 1 = 38 working days.
    expect(r.oldestPending).toEqual({requestId: 'PA-F', received: '2026-01-05', workingDaysOpen: 38})
    // Aging: F 38 (31-60), G 1 (0-10), H 35 (31-60), J 6 (0-10).
    expect(r.aging.filter((a) => a.count > 0)).toEqual([
      {bucket: '0-10', type: 'access', count: 2},
      {bucket: '31-60', type: 'amendment', count: 1},
      {bucket: '31-60', type: 'accounting', count: 1},
    ])
  })

  it('buckets ages at their bounds', () => {
    expect([0, 10, 11, 20, 21, 30, 31, 60, 61].map(agingBucket)).toEqual(['0-10', '0-10', '11-20', '11-20', '21-30', '21-30', '31-60', '31-60', 'over 60'])
  })
})

describe('retentionReport', () => {
  const types = [{
    type: 'request' as const, system: 'PA-REQUESTS', schedule: 'PA-REQ', retainMonths: 36,
    candidates: [
      {id: 1, trigger: '2023-01-31', subjects: ['E1']}, // due 2026-01-31: first month, held
      {id: 2, trigger: '2023-02-28', subjects: ['E2']}, // due 2026-02-28: blocked by an open request
      {id: 3, trigger: '2023-02-01', subjects: ['E1', 'E2']}, // due 2026-02-01: held wins over blocked
      {id: 4, trigger: '2022-12-31', subjects: ['E3']}, // due 2025-12-31: already due before the window
      {id: 5, trigger: '2024-12-31', subjects: ['E3']}, // due 2027-12-31: the window's last month
      {id: 6, trigger: '2025-01-01', subjects: ['E3']}, // due 2028-01-01: after the window
      {id: 7, trigger: null, subjects: ['E3']}, // clock not started
    ],
  }, {
    type: 'inquiry' as const, system: 'DOL-CRM', schedule: 'DOL-CRM-INQUIRY', retainMonths: 24,
    candidates: [{id: 8, trigger: '2024-02-29', subjects: []}], // a leap day + 24 months: due 2026-02-28 (clamped)
  }]
  const holds = [{id: 1, recordType: 'request', employeeIds: ['E1']}]

  it('counts records by the month of their eligibility date over 24 months from the as-of month', () => {
    const r = retentionReport(types, holds, new Set(['E2']), '2026-01-15')
    expect(r.asOf).toBe('2026-01-15')
    expect(r.months).toEqual([
      {month: '2026-01', system: 'PA-REQUESTS', schedule: 'PA-REQ', recordType: 'request', due: 1, held: 1, blockedByRequest: 0},
      {month: '2026-02', system: 'DOL-CRM', schedule: 'DOL-CRM-INQUIRY', recordType: 'inquiry', due: 1, held: 0, blockedByRequest: 0},
      {month: '2026-02', system: 'PA-REQUESTS', schedule: 'PA-REQ', recordType: 'request', due: 2, held: 1, blockedByRequest: 1},
      {month: '2027-12', system: 'PA-REQUESTS', schedule: 'PA-REQ', recordType: 'request', due: 1, held: 0, blockedByRequest: 0},
    ])
    expect(r.alreadyDue).toEqual([{system: 'PA-REQUESTS', schedule: 'PA-REQ', recordType: 'request', due: 1, held: 0, blockedByRequest: 0}])
  })

  it('takes other months from --from/--to', () => {
    expect(forecastWindow('2026-01-15')).toEqual({first: '2026-01', last: '2027-12'})
    expect(forecastWindow('2026-01-15', '2026-02-10', '2026-02-20')).toEqual({first: '2026-02', last: '2026-02'})
    const r = retentionReport(types, [], new Set(), '2026-01-15', forecastWindow('2026-01-15', '2026-02-01', '2026-02-28'))
    expect(r.months.map((m) => [m.month, m.recordType, m.due])).toEqual([['2026-02', 'inquiry', 1], ['2026-02', 'request', 2]])
    expect(r.alreadyDue.map((m) => [m.recordType, m.due])).toEqual([['request', 2]])
  })

  it('counts each record in the month of its own eligibility date, as the retention rules compute it, for every day of two years', () => {
    // The tally works a month at a time (trigger month + n); this holds it to the day-by-day rule (dueOn clamps).
    for (const retainMonths of [1, 13, 36]) {
      const meta = {type: 'request' as const, system: 'PA-REQUESTS', schedule: 'PA-REQ', retainMonths}
      const expected = new Map<string, number>()
      const tally = retentionTally([], new Set(), '2023-01-01', {first: '2000-01', last: '2099-12'})
      for (let day = '2023-01-01', id = 1; day <= '2024-12-31'; day = addDays(day, 1), id++) {
        const month = dueOn(day, retainMonths).slice(0, 7)
        expected.set(month, (expected.get(month) ?? 0) + 1)
        tally.add(meta, {id, trigger: day, subjects: []})
      }
      expect(new Map(tally.report().months.map((m) => [m.month, m.due]))).toEqual(expected)
    }
  })
})

describe('inquiriesReport', () => {
  const inq = (status: string, category: string, routedTo: string, received: string, firstAnsweredOn: string | null, closedOn: string | null): InquiryRow => ({status, category, routedTo, received, firstAnsweredOn, closedOn})

  it('answers on the first answered update or the closing, whichever came first', () => {
    expect(answeredOn({firstAnsweredOn: '2026-03-05', closedOn: '2026-03-02'})).toBe('2026-03-02')
    expect(answeredOn({firstAnsweredOn: '2026-03-01', closedOn: '2026-03-02'})).toBe('2026-03-01')
    expect(answeredOn({firstAnsweredOn: null, closedOn: null})).toBeNull()
  })

  it('counts by status, category and agency and takes the median calendar days to answer', () => {
    const rows = [
      inq('closed', 'wages-hours', 'WHD', '2026-03-01', null, '2026-03-04'), // 3 days
      inq('answered', 'wages-hours', 'WHD', '2026-03-02', '2026-03-12', null), // 10
      inq('closed', 'leave', 'DOL-NATIONAL', '2026-02-28', '2026-03-01', '2026-03-20'), // 1 (leap-free February)
      inq('new', 'safety-health', 'OSHA', '2026-03-31', null, null),
      inq('closed', 'leave', 'WHD', '2026-01-25', null, '2026-02-01'), // 7
      inq('new', 'other', 'WHD', '2026-04-01', null, null), // after the period
    ]
    const r = inquiriesReport(rows, {from: '2026-01-01', to: '2026-03-31'})
    expect(r.total).toBe(5)
    expect(r.byStatus).toEqual([{status: 'new', count: 1}, {status: 'in-progress', count: 0}, {status: 'referred', count: 0}, {status: 'answered', count: 1}, {status: 'closed', count: 3}])
    expect(r.byCategory).toEqual([{category: 'leave', count: 2}, {category: 'wages-hours', count: 2}, {category: 'safety-health', count: 1}])
    expect(r.byAgency).toEqual([{agency: 'WHD', count: 3}, {agency: 'DOL-NATIONAL', count: 1}, {agency: 'OSHA', count: 1}])
    // Days: 3, 10, 1, 7 → sorted 1 3 7 10; nearest-rank median is the 2nd.
    expect(r.answered).toBe(4)
    expect(r.medianDaysToAnswer).toBe(3)
    expect(inquiriesReport([], {from: '2026-01-01', to: '2026-03-31'}).medianDaysToAnswer).toBeNull()
  })
})

describe('importsReport', () => {
  it('sums reject codes per month of import (UTC) within the period, most frequent first', () => {
    const rows = [
      {importedAt: '2026-01-31T23:59:59.999Z', kind: 'personnel', code: 'PE-SSN', count: 2},
      {importedAt: '2026-01-10T08:00:00.000Z', kind: 'personnel', code: 'PE-SSN', count: 3},
      {importedAt: '2026-01-10T08:00:00.000Z', kind: 'personnel', code: 'PE-DATE', count: 7},
      {importedAt: '2026-02-01T00:00:00.000Z', kind: 'timesheets', code: 'TS-HOURS', count: 1},
      {importedAt: '2026-02-01T23:00:00.000Z', kind: 'personnel', code: 'PE-SSN', count: 1},
      {importedAt: '2026-02-02T00:00:00.000Z', kind: 'personnel', code: 'PE-SSN', count: 50}, // after the period
      {importedAt: '2025-12-31T23:59:59.999Z', kind: 'personnel', code: 'PE-SSN', count: 50}, // before it
    ]
    expect(importsReport(rows, {from: '2026-01-01', to: '2026-02-01'}).months).toEqual([
      {month: '2026-01', kind: 'personnel', code: 'PE-DATE', count: 7},
      {month: '2026-01', kind: 'personnel', code: 'PE-SSN', count: 5},
      {month: '2026-02', kind: 'personnel', code: 'PE-SSN', count: 1},
      {month: '2026-02', kind: 'timesheets', code: 'TS-HOURS', count: 1},
    ])
  })
  it('takes rows already summed per month (as the SQL reads them) as they are', () => {
    expect(importsReport([{importedAt: '2026-01', kind: 'k', code: 'C', count: 4}], {from: '2026-01-15', to: '2026-01-20'}).months).toEqual([{month: '2026-01', kind: 'k', code: 'C', count: 4}])
  })
})
