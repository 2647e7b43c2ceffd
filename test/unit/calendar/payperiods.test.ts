import {describe, expect, it} from 'vitest'

import {
  DEFAULT_ANCHOR, datesOf, isLastPayPeriodOfLeaveYear, isPayPeriodStart, nextPayPeriodStart, payPeriod, payPeriodEnd,
  payPeriodNumber, payPeriodStartOf, payPeriodsOfYear,
} from '../../../src/calendar/payperiods.js'

describe('pay period boundaries (anchor 2026-01-11)', () => {
  it('anchors on Sunday 2026-01-11', () => expect(DEFAULT_ANCHOR).toBe('2026-01-11'))

  it.each([
    ['2026-01-10', '2025-12-28'], // the day before the anchor belongs to the period before it
    ['2026-01-11', '2026-01-11'],
    ['2026-01-17', '2026-01-11'],
    ['2026-01-24', '2026-01-11'], // last day of 2026-01
    ['2026-01-25', '2026-01-25'],
    ['2026-12-27', '2026-12-27'],
    ['2026-12-31', '2026-12-27'],
    ['2027-01-09', '2026-12-27'],
    ['2027-01-10', '2027-01-10'],
    // before the anchor
    ['2025-12-28', '2025-12-28'],
    ['2025-06-10', '2025-06-01'],
    ['2025-05-31', '2025-05-18'],
    ['2024-02-29', '2024-02-25'],
    ['2023-01-01', '2023-01-01'],
    ['2022-12-31', '2022-12-18'],
    ['2000-01-01', '1999-12-19'],
    // well after it
    ['2034-12-31', '2034-12-31'],
    ['2035-01-13', '2034-12-31'],
  ])('%s is in the period starting %s', (date, start) => {
    expect(payPeriodStartOf(date)).toBe(start)
  })

  it.each([
    ['2026-01-11', true],
    ['2026-01-10', false],
    ['2026-01-12', false],
    ['2026-01-18', false],
    ['2025-12-28', true],
    ['2026-12-27', true],
    ['2027-01-10', true],
    ['2025-06-01', true],
  ])('isPayPeriodStart(%s) = %s', (d, expected) => expect(isPayPeriodStart(d)).toBe(expected))

  it('ends 13 days after its start and the next one starts 14 days after', () => {
    expect(payPeriodEnd('2026-01-11')).toBe('2026-01-24')
    expect(payPeriodEnd('2026-12-27')).toBe('2027-01-09')
    expect(payPeriodEnd('2024-02-25')).toBe('2024-03-09')
    expect(nextPayPeriodStart('2026-01-11')).toBe('2026-01-25')
    expect(nextPayPeriodStart('2026-12-27')).toBe('2027-01-10')
  })

  it('honours another anchor', () => {
    expect(payPeriodStartOf('2026-01-11', '2026-01-04')).toBe('2026-01-04')
    expect(payPeriodStartOf('2026-01-18', '2026-01-04')).toBe('2026-01-18')
    expect(isPayPeriodStart('2026-01-11', '2026-01-04')).toBe(false)
    expect(payPeriodNumber('2026-01-04', '2026-01-04')).toBe('2026-01')
    expect(payPeriodNumber('2025-12-21', '2026-01-04')).toBe('2025-26')
    expect(isLastPayPeriodOfLeaveYear('2026-12-20', '2026-01-04')).toBe(true)
    expect(isLastPayPeriodOfLeaveYear('2026-12-27')).toBe(true)
  })
})

describe('pay period numbers', () => {
  it.each([
    ['2026-01-11', '2026-01'],
    ['2026-01-25', '2026-02'],
    ['2026-06-14', '2026-12'],
    // RULES.md: numbers count periods *starting* in the year from 01, and 01 of 2026 starts 2026-01-11,
    // so the period starting 2026-12-27 (ending 2027-01-09) is the 26th: 350 days after the anchor = 25 periods.
    ['2026-12-27', '2026-26'],
    ['2027-01-10', '2027-01'],
    ['2027-12-26', '2027-26'],
    ['2028-01-09', '2028-01'],
    ['2025-12-28', '2025-26'],
    ['2025-01-12', '2025-01'],
    ['2024-12-29', '2024-26'],
    ['2024-01-14', '2024-01'],
    ['2023-01-01', '2023-01'],
    ['2023-12-31', '2023-27'],
    ['2022-01-02', '2022-01'],
    ['2030-01-06', '2030-01'],
    ['2034-01-01', '2034-01'],
    ['2034-12-31', '2034-27'],
    ['2035-01-14', '2035-01'],
  ])('%s is %s', (start, number) => expect(payPeriodNumber(start)).toBe(number))

  it('payPeriod gives start, end and number of the period containing a date', () => {
    expect(payPeriod('2026-01-10')).toEqual({start: '2025-12-28', end: '2026-01-10', number: '2025-26'})
    expect(payPeriod('2026-01-11')).toEqual({start: '2026-01-11', end: '2026-01-24', number: '2026-01'})
    expect(payPeriod('2026-01-24')).toEqual({start: '2026-01-11', end: '2026-01-24', number: '2026-01'})
    expect(payPeriod('2027-01-01')).toEqual({start: '2026-12-27', end: '2027-01-09', number: '2026-26'})
    expect(payPeriod('2023-12-31')).toEqual({start: '2023-12-31', end: '2024-01-13', number: '2023-27'})
  })
})

describe('payPeriodsOfYear', () => {
  it.each([
    [2022, 26, '2022-01-02', '2022-12-18'],
    [2023, 27, '2023-01-01', '2023-12-31'],
    [2024, 26, '2024-01-14', '2024-12-29'],
    [2025, 26, '2025-01-12', '2025-12-28'],
    [2026, 26, '2026-01-11', '2026-12-27'],
    [2027, 26, '2027-01-10', '2027-12-26'],
    [2028, 26, '2028-01-09', '2028-12-24'],
    [2033, 26, '2033-01-02', '2033-12-18'],
    [2034, 27, '2034-01-01', '2034-12-31'],
  ])('%i has %i periods, %s to %s', (year, count, first, last) => {
    const ps = payPeriodsOfYear(year)
    expect(ps).toHaveLength(count)
    expect(ps[0].start).toBe(first)
    expect(ps[0].number).toBe(`${year}-01`)
    expect(ps[ps.length - 1].start).toBe(last)
    expect(ps[ps.length - 1].number).toBe(`${year}-${count}`)
  })

  it('lists 2026 in full', () => {
    expect(payPeriodsOfYear(2026).map((p) => p.start)).toEqual([
      '2026-01-11', '2026-01-25', '2026-02-08', '2026-02-22', '2026-03-08', '2026-03-22', '2026-04-05',
      '2026-04-19', '2026-05-03', '2026-05-17', '2026-05-31', '2026-06-14', '2026-06-28', '2026-07-12',
      '2026-07-26', '2026-08-09', '2026-08-23', '2026-09-06', '2026-09-20', '2026-10-04', '2026-10-18',
      '2026-11-01', '2026-11-15', '2026-11-29', '2026-12-13', '2026-12-27',
    ])
    expect(payPeriodsOfYear(2026)[1]).toEqual({start: '2026-01-25', end: '2026-02-07', number: '2026-02'})
    expect(payPeriodsOfYear(2026)[25]).toEqual({start: '2026-12-27', end: '2027-01-09', number: '2026-26'})
  })
})

describe('isLastPayPeriodOfLeaveYear', () => {
  it.each([
    ['2026-12-27', true], // ends 2027-01-09; next is 2027-01
    ['2026-12-13', false],
    ['2026-01-11', false],
    ['2025-12-28', true],
    ['2023-12-31', true],
    ['2023-12-17', false],
    ['2022-12-18', true],
    ['2027-01-10', false],
    ['2027-12-26', true],
  ])('%s → %s', (start, expected) => expect(isLastPayPeriodOfLeaveYear(start)).toBe(expected))
})

describe('datesOf', () => {
  it('lists the 14 dates of a period across a year end', () => {
    expect(datesOf('2026-12-27')).toEqual([
      '2026-12-27', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02',
      '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-01-09',
    ])
  })
  it('crosses February 29 in a leap year', () => {
    expect(datesOf('2024-02-25')).toEqual([
      '2024-02-25', '2024-02-26', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02',
      '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09',
    ])
  })
})
