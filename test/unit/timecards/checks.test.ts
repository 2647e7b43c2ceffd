import {describe, expect, it} from 'vitest'

import {isRealDate} from '../../../src/calendar/dates.js'
import {payPeriodStartOf} from '../../../src/calendar/payperiods.js'
import {type CardContext, type CardLine, type TimesheetRow, checkTimecard, checkTimesheetRow, parseQuarterHours, timesheetLineOk} from '../../../src/timecards/checks.js'
import {LINES_CHUNK, checkRuns, parseLines, parsedLines} from '../../../src/timecards/check-runs.js'

const TYPES = new Set(['REG', 'OT', 'CTE', 'ND', 'SUN', 'HOLW', 'HOL', 'ADMIN', 'AL', 'SL', 'CTU', 'MILR', 'MILE', 'LWOP', 'AWOL'])
const TOWARD = new Set(['REG', 'HOLW', 'HOL', 'ADMIN', 'AL', 'SL', 'CTU', 'MILR', 'MILE', 'LWOP', 'AWOL'])

const row = (over: TimesheetRow = {}): TimesheetRow => ({employee_id: 'E1001', work_date: '2026-11-02', hour_type: 'REG', hours: '8', accounting_code: 'HS-0301.A1', ...over})
const codes = (r: TimesheetRow) => checkTimesheetRow(r, TYPES).map((f) => `${f.column}:${f.code}`)

describe('timesheet row checks', () => {
  it('accepts a valid row, with or without pay_period_start', () => {
    expect(codes(row())).toEqual([])
    expect(codes(row({pay_period_start: '2026-11-01'}))).toEqual([])
  })

  it.each([
    ['employee_id', {employee_id: ''}, 'employee_id:TS-REQUIRED'],
    ['work_date', {work_date: ''}, 'work_date:TS-REQUIRED'],
    ['hours', {hours: ''}, 'hours:TS-REQUIRED'],
    ['hour_type', {hour_type: ''}, 'hour_type:TS-REQUIRED'],
    ['accounting_code', {accounting_code: ''}, 'accounting_code:TS-REQUIRED'],
  ])('TS-REQUIRED for an empty %s', (_c, over, code) => {
    expect(codes(row(over))).toEqual([code])
  })

  it.each(['2026-02-29', '2026-13-01', '11/02/2026', '2026-11-2', 'yesterday'])('TS-DATE for %s', (d) => {
    expect(codes(row({work_date: d}))).toEqual(['work_date:TS-DATE'])
  })
  it.each(['2024-02-29', '2026-12-31'])('no TS-DATE for %s', (d) => expect(codes(row({work_date: d}))).toEqual([]))

  it.each(['VAC', 'reg2', 'LEAVE'])('TS-TYPE for %s', (t) => expect(codes(row({hour_type: t}))).toEqual(['hour_type:TS-TYPE']))
  it.each(['reg', 'Al', 'HOLW'])('hour types are case-insensitive: %s', (t) => expect(codes(row({hour_type: t}))).toEqual([]))

  it.each(['0', '0.00', '-1', '24.25', '25', '7.3', '7.10', '1.125', 'eight', '8h'])('TS-HOURS for %s', (h) => {
    expect(codes(row({hours: h}))).toEqual(['hours:TS-HOURS'])
  })
  it.each([['0.25', 25], ['7.5', 750], ['8', 800], ['24', 2400], ['23.75', 2375], ['8.50', 850]])('hours %s = %i hundredths', (h, n) => {
    expect(codes(row({hours: h}))).toEqual([])
    expect(parseQuarterHours(h)).toBe(n)
  })

  it.each(['', 'A'.repeat(21), 'HS 0301', 'HS_0301', 'HS/0301'])('TS-ACCOUNT for "%s"', (a) => {
    expect(codes(row({accounting_code: a}))).toEqual([a === '' ? 'accounting_code:TS-REQUIRED' : 'accounting_code:TS-ACCOUNT'])
  })
  it.each(['A', 'A'.repeat(20), 'hs-0301.a1'])('no TS-ACCOUNT for %s', (a) => expect(codes(row({accounting_code: a}))).toEqual([]))

  it.each([
    ['2026-11-02', '2026-10-18'], ['2026-11-02', '2026-11-02'], ['2026-11-14', '2026-11-15'], ['2026-11-15', '2026-11-01'],
  ])('TS-PERIOD for work_date %s with pay_period_start %s', (d, p) => {
    expect(codes(row({work_date: d, pay_period_start: p}))).toEqual(['pay_period_start:TS-PERIOD'])
  })
  it.each([['2026-11-01', '2026-11-01'], ['2026-11-14', '2026-11-01'], ['2026-11-15', '2026-11-15']])('no TS-PERIOD for %s in %s', (d, p) => {
    expect(codes(row({work_date: d, pay_period_start: p}))).toEqual([])
  })

  it('reports several codes on one row', () => {
    expect(codes(row({work_date: 'x', hour_type: 'VAC', hours: '99', accounting_code: 'a b'}))).toEqual([
      'work_date:TS-DATE', 'hour_type:TS-TYPE', 'hours:TS-HOURS', 'accounting_code:TS-ACCOUNT',
    ])
  })
})

// Pay period 2026-11-01 … 2026-11-14; Veterans Day Wed 2026-11-11.
const WEEKDAYS = ['02', '03', '04', '05', '06', '09', '10', '11', '12', '13'].map((d) => `2026-11-${d}`)
const ctx = (over: Partial<CardContext> = {}): CardContext => ({
  tour: 'FT', scheduledHours: 8000, hireDate: '2010-01-04', separationDate: null, payPeriodStart: '2026-11-01',
  available: {annual: 4000, sick: 4000, compTime: 800}, towardTour: TOWARD, holidays: new Map([['2026-11-11', 'Veterans Day']]), ...over,
})
const line = (workDate: string, hourType: string, hours: number): CardLine => ({workDate, hourType, hours: hours * 100, accountingCode: 'A1'})
const fullCard = (replace: Record<string, CardLine[]> = {}): CardLine[] =>
  WEEKDAYS.flatMap((d) => replace[d] ?? [line(d, d === '2026-11-11' ? 'HOL' : 'REG', 8)])
const tc = (lines: CardLine[], c: Partial<CardContext> = {}) => checkTimecard(lines, ctx(c)).map((f) => f.code)

describe('timecard edit checks', () => {
  it('passes a regular full-time card with the holiday as HOL', () => {
    expect(tc(fullCard())).toEqual([])
  })

  it('TC-DAY-24: toward tour + OT + CTE over 24 on a date, not at 24', () => {
    expect(tc(fullCard({'2026-11-02': [line('2026-11-02', 'REG', 8), line('2026-11-02', 'OT', 12), line('2026-11-02', 'CTE', 4.25)]}))).toEqual(['TC-DAY-24'])
    expect(tc(fullCard({'2026-11-02': [line('2026-11-02', 'REG', 8), line('2026-11-02', 'OT', 12), line('2026-11-02', 'CTE', 4)]}))).toEqual([])
  })

  it('TC-TOUR: FT sum differs from 80, with the difference in the message', () => {
    const f = checkTimecard(fullCard({'2026-11-13': []}), ctx())
    expect(f.map((x) => x.code)).toEqual(['TC-TOUR'])
    expect(f[0].message).toMatch(/72.*8 fewer.*80/)
    expect(tc(fullCard({'2026-11-13': [line('2026-11-13', 'REG', 9)]}))).toEqual(['TC-TOUR'])
    expect(tc(fullCard({'2026-11-13': [line('2026-11-13', 'REG', 8), line('2026-11-13', 'OT', 2)]}))).toEqual([])
  })

  it('TC-TOUR for PT against its scheduled hours, never for INT', () => {
    const pt = WEEKDAYS.map((d) => line(d, d === '2026-11-11' ? 'HOL' : 'REG', 4))
    expect(tc(pt, {tour: 'PT', scheduledHours: 4000})).toEqual([])
    expect(tc(pt.slice(1), {tour: 'PT', scheduledHours: 4000})).toEqual(['TC-TOUR'])
    expect(tc([line('2026-11-02', 'REG', 3)], {tour: 'INT', scheduledHours: 0})).toEqual([])
  })

  it('TC-TOUR when hired or separated inside the period: only over the schedule is an error', () => {
    const half = fullCard().slice(5)
    expect(tc(half, {hireDate: '2026-11-09'})).toEqual([])
    expect(tc(fullCard().slice(0, 5), {separationDate: '2026-11-06'})).toEqual([])
    expect(tc([...half, line('2026-11-14', 'REG', 48)], {hireDate: '2026-11-09'})).toEqual(['TC-DAY-24', 'TC-TOUR'])
  })

  it('TC-LEAVE-AL and TC-LEAVE-CT are errors above the available balance, not at it', () => {
    const al = fullCard({'2026-11-12': [line('2026-11-12', 'AL', 8)], '2026-11-13': [line('2026-11-13', 'CTU', 8)]})
    expect(tc(al, {available: {annual: 800, sick: 0, compTime: 800}})).toEqual([])
    expect(tc(al, {available: {annual: 775, sick: 0, compTime: 800}})).toEqual(['TC-LEAVE-AL'])
    expect(tc(al, {available: {annual: 800, sick: 0, compTime: 0}})).toEqual(['TC-LEAVE-CT'])
  })

  it('TC-LEAVE-SL is a warning: the card still validates', () => {
    const f = checkTimecard(fullCard({'2026-11-12': [line('2026-11-12', 'SL', 8)]}), ctx({available: {annual: 0, sick: 400, compTime: 0}}))
    expect(f).toEqual([expect.objectContaining({code: 'TC-LEAVE-SL', severity: 'warning'})])
  })

  it('TC-HOLIDAY for HOL or HOLW on a day that is not a holiday; closure days count', () => {
    expect(tc(fullCard({'2026-11-12': [line('2026-11-12', 'HOL', 8)]}))).toEqual(['TC-HOLIDAY'])
    expect(tc(fullCard({'2026-11-12': [line('2026-11-12', 'HOLW', 8)]}))).toEqual(['TC-HOLIDAY'])
    expect(tc(fullCard({'2026-11-12': [line('2026-11-12', 'HOL', 8)]}), {holidays: new Map([['2026-11-11', 'Veterans Day'], ['2026-11-12', 'closure']])})).toEqual([])
    expect(tc(fullCard({'2026-11-11': [line('2026-11-11', 'HOLW', 8)]}))).toEqual([])
  })

  it('TC-HOL-REG warns about REG on a holiday for FT only', () => {
    const card = fullCard({'2026-11-11': [line('2026-11-11', 'REG', 8)]})
    expect(checkTimecard(card, ctx())).toEqual([expect.objectContaining({code: 'TC-HOL-REG', severity: 'warning', workDate: '2026-11-11'})])
    expect(tc(WEEKDAYS.map((d) => line(d, 'REG', 4)), {tour: 'PT', scheduledHours: 4000})).toEqual([])
  })

  it('TC-EMPLOYMENT for lines before hire or after separation', () => {
    expect(tc(fullCard(), {hireDate: '2026-11-03'})).toContain('TC-EMPLOYMENT')
    expect(tc(fullCard(), {separationDate: '2026-11-12'})).toContain('TC-EMPLOYMENT')
    expect(tc(fullCard(), {hireDate: '2026-11-02', separationDate: '2026-11-13'})).toEqual([])
  })

  it('TC-PREMIUM: ND or SUN above that date\'s REG + OT + HOLW, SUN on a weekday', () => {
    expect(tc(fullCard({'2026-11-02': [line('2026-11-02', 'REG', 8), line('2026-11-02', 'ND', 8)]}))).toEqual([])
    expect(tc(fullCard({'2026-11-02': [line('2026-11-02', 'REG', 8), line('2026-11-02', 'ND', 8.25)]}))).toEqual(['TC-PREMIUM'])
    expect(tc(fullCard({'2026-11-02': [line('2026-11-02', 'REG', 8), line('2026-11-02', 'SUN', 8)]}))).toEqual(['TC-PREMIUM'])
    const sunday = [...fullCard({'2026-11-13': []}), line('2026-11-08', 'REG', 8), line('2026-11-08', 'SUN', 8)]
    expect(tc(sunday)).toEqual([])
    expect(tc([...fullCard({'2026-11-13': []}), line('2026-11-08', 'REG', 8), line('2026-11-08', 'SUN', 9)])).toEqual(['TC-PREMIUM'])
  })

  it('TC-INT-LEAVE for AL, SL or HOL of an intermittent employee', () => {
    for (const t of ['AL', 'SL', 'HOL']) expect(tc([line('2026-11-11', t, 8)], {tour: 'INT', scheduledHours: 0})).toContain('TC-INT-LEAVE')
    expect(tc([line('2026-11-02', 'REG', 8), line('2026-11-03', 'LWOP', 8)], {tour: 'INT', scheduledHours: 0})).toEqual([])
  })
})

describe('checkTimecard and the engines\' line texts', () => {
  it('reports findings in date order whatever order the lines come in', () => {
    const card = [...fullCard({'2026-11-12': [line('2026-11-12', 'HOL', 8)]}), line('2026-11-02', 'ND', 9), line('2026-11-03', 'SUN', 1)]
    const inOrder = checkTimecard([...card].sort((a, b) => (a.workDate < b.workDate ? -1 : a.workDate > b.workDate ? 1 : 0)), ctx())
    expect(inOrder.map((f) => `${f.workDate ?? ''}:${f.code}`)).toEqual(['2026-11-02:TC-PREMIUM', '2026-11-03:TC-PREMIUM', '2026-11-12:TC-HOLIDAY'])
    expect(checkTimecard([...card].reverse(), ctx())).toEqual(inOrder)
    expect(checkTimecard([card[3], card[0], ...card.slice(4), card[1], card[2]], ctx())).toEqual(inOrder)
  })

  it('parseLines reads the text validate reads per card (work_date TAB hour_type TAB hundredths, LF between lines)', () => {
    expect(parseLines('2026-11-02\tREG\t800\n2026-11-02\tND\t825\n2026-11-03\tHOLW\t25')).toEqual([
      {workDate: '2026-11-02', hourType: 'REG', hours: 800, accountingCode: ''},
      {workDate: '2026-11-02', hourType: 'ND', hours: 825, accountingCode: ''},
      {workDate: '2026-11-03', hourType: 'HOLW', hours: 25, accountingCode: ''},
    ])
    expect(parseLines('2026-11-04\tSL\t2400')).toEqual([{workDate: '2026-11-04', hourType: 'SL', hours: 2400, accountingCode: ''}])
    expect(parseLines('')).toEqual([])
  })

  it('checkRuns gives each card its own findings, in order, LINES_CHUNK cards a run; a card without lines (null) has none', async () => {
    // Every third card has a SUN premium on a Monday; cards 0..n-1, n spans three runs (the last one short).
    const n = 2 * LINES_CHUNK + 7
    const cards = Array.from({length: n}, (_, i) => i)
    const text = (i: number) => (i % 3 === 0 ? '2026-11-02\tREG\t800\n2026-11-02\tSUN\t200' : i % 3 === 1 ? '2026-11-02\tREG\t800' : null)
    const asked: number[][] = []
    const runs: number[] = []
    const findings: string[] = []
    for await (const run of checkRuns(cards, async (ids) => {
      asked.push([...ids])
      return parsedLines(ids.map(text))
    }, () => ({...ctx(), tour: 'INT' as const}))) {
      runs.push(run.length)
      for (const f of run) findings.push(f.map((x) => x.code).join(','))
    }
    expect(runs).toEqual([LINES_CHUNK, LINES_CHUNK, 7])
    expect(asked.flat()).toEqual(cards)
    expect(findings).toEqual(cards.map((i) => (i % 3 === 0 ? 'TC-PREMIUM' : '')))
  })
})

describe('timesheetLineOk (the import worker\'s fast path) agrees with checkTimesheetRow', () => {
  const types = new Set(['REG', 'AL', 'SL'])
  const values = {
    work_date: ['2026-11-02', '2026-02-30', '', 'soon'],
    hour_type: ['REG', 'al', 'XYZ', ''],
    hours: ['8', '7.75', '0', '25', '7.3', '', 'x'],
    accounting_code: ['HS-030105-A1', 'hs.1', 'bad code!', '', 'A'.repeat(21)],
    pay_period_start: ['', '2026-11-01', '2026-11-02', 'later'],
  }
  it('on every combination of valid, invalid and empty cells', () => {
    let n = 0
    for (const work_date of values.work_date) for (const hour_type of values.hour_type) for (const hours of values.hours)
      for (const accounting_code of values.accounting_code) for (const pay_period_start of values.pay_period_start) {
        const row = {employee_id: 'E1001', work_date, hour_type, hours, accounting_code, pay_period_start}
        const parsed = {
          period: isRealDate(work_date) ? payPeriodStartOf(work_date) : null,
          hours: parseQuarterHours(hours),
          typeKnown: types.has(hour_type.toUpperCase()),
          account: accounting_code.toUpperCase(),
          payPeriodStart: pay_period_start,
        }
        expect(timesheetLineOk(parsed), JSON.stringify(row)).toBe(checkTimesheetRow(row, types).length === 0)
        n++
      }
    expect(n).toBe(4 * 4 * 7 * 5 * 4)
  })
})
