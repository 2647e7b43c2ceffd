import {describe, expect, it} from 'vitest'

import {type AccrualInput, annualLeaveAccrual, serviceBand, sickLeaveAccrual} from '../../../src/timecards/leave.js'

describe('serviceBand (completed years from SCD to the date)', () => {
  it.each([
    ['2023-06-15', '2026-06-14', 'under3'], // 2 years 364 days
    ['2023-06-15', '2026-06-15', '3to15'], // exactly 3 years
    ['2011-06-15', '2026-06-14', '3to15'], // 14 years 364 days
    ['2011-06-15', '2026-06-15', '15plus'], // exactly 15 years
    ['2026-06-15', '2026-06-15', 'under3'],
    ['2027-01-01', '2026-06-15', 'under3'], // SCD after the date
    ['1990-01-01', '2026-06-15', '15plus'],
    // a February 29 SCD has its anniversary on March 1 in non-leap years
    ['2024-02-29', '2027-02-28', 'under3'],
    ['2024-02-29', '2027-03-01', '3to15'],
    ['2012-02-29', '2027-02-28', '3to15'],
    ['2012-02-29', '2027-03-01', '15plus'],
    ['2016-02-29', '2019-02-28', 'under3'],
    ['2016-02-29', '2019-03-01', '3to15'],
    ['2020-02-29', '2035-02-28', '3to15'],
    ['2020-02-29', '2035-03-01', '15plus'],
    // a leap-year anniversary of an ordinary SCD is not moved
    ['2025-02-28', '2028-02-27', 'under3'],
    ['2025-02-28', '2028-02-28', '3to15'],
    ['2021-03-01', '2024-02-29', 'under3'],
    ['2021-03-01', '2024-03-01', '3to15'],
  ])('SCD %s on %s → %s', (scd, asOf, band) => expect(serviceBand(scd, asOf)).toBe(band))
})

const ft = (serviceCompDate: string | null, payPeriodStart: string, over: Partial<AccrualInput> = {}): AccrualInput => ({
  tour: 'FT', serviceCompDate, payPeriodStart, hoursInPayStatus: 8000, ...over,
})

describe('annual leave accrual, FT (band at the pay period end)', () => {
  // The period starting 2026-06-14 ends 2026-06-27.
  it.each([
    ['2023-06-28', 400], // 2 years 364 days on 2026-06-27
    ['2023-06-27', 600], // exactly 3 years on 2026-06-27
    ['2023-06-20', 600], // 3rd anniversary inside the period: the end decides
    ['2011-06-28', 600], // 14 years 364 days
    ['2011-06-27', 800], // exactly 15 years
    ['2000-01-03', 800],
    ['2026-06-14', 400],
  ])('SCD %s, period 2026-06-14 → %i', (scd, hundredths) => {
    expect(annualLeaveAccrual(ft(scd, '2026-06-14'))).toBe(hundredths)
  })

  it('does not depend on hours in pay status', () => {
    expect(annualLeaveAccrual(ft('2020-01-01', '2026-06-14', {hoursInPayStatus: 0}))).toBe(600)
  })
})

describe('annual leave accrual in the last pay period of the leave year (2026-12-27 → 2027-01-09)', () => {
  it.each([
    ['2025-01-01', 400], // under 3: no bonus
    ['2020-01-01', 1000], // 6-hour band: 10 h
    ['2024-01-09', 1000], // exactly 3 years at the period end (under 3 at its start)
    ['2024-01-10', 400], // 2 years 364 days at the period end
    ['2012-01-10', 1000], // 14 years 364 days
    ['2012-01-09', 800], // exactly 15 years at the period end: 8-hour band, no bonus
    ['2000-01-01', 800],
  ])('SCD %s → %i', (scd, hundredths) => {
    expect(annualLeaveAccrual(ft(scd, '2026-12-27'))).toBe(hundredths)
  })

  it('gives 6 h in the other periods and 10 h in the last period of other years', () => {
    expect(annualLeaveAccrual(ft('2020-01-01', '2026-12-13'))).toBe(600)
    expect(annualLeaveAccrual(ft('2020-01-01', '2027-01-10'))).toBe(600)
    expect(annualLeaveAccrual(ft('2020-01-01', '2025-12-28'))).toBe(1000)
    expect(annualLeaveAccrual(ft('2020-01-01', '2027-12-26'))).toBe(1000)
    expect(annualLeaveAccrual(ft('2020-01-01', '2023-12-31'))).toBe(1000) // 2023-27
    expect(annualLeaveAccrual(ft('2020-01-01', '2023-12-17'))).toBe(600) // 2023-26 is not the last in 2023
  })

  it('follows a configured anchor', () => {
    // anchor 2026-01-04: the period starting 2026-12-20 is the last of the 2026 leave year
    expect(annualLeaveAccrual(ft('2020-01-01', '2026-12-20', {anchor: '2026-01-04'}))).toBe(1000)
    expect(annualLeaveAccrual(ft('2020-01-01', '2026-12-06', {anchor: '2026-01-04'}))).toBe(600)
  })
})

describe('annual leave accrual, PT (1 h per 20 / 13 / 10 h in pay status, hundredths rounded down)', () => {
  const pt = (scd: string, hours: number, start = '2026-06-14'): AccrualInput =>
    ({tour: 'PT', serviceCompDate: scd, payPeriodStart: start, hoursInPayStatus: hours})
  const UNDER3 = '2025-01-01'
  const MID = '2020-01-01'
  const OVER15 = '2000-01-01'

  it.each([
    [UNDER3, 4000, 200],
    [MID, 4000, 307], // 40 / 13 = 3.0769…
    [OVER15, 4000, 400],
    [UNDER3, 3250, 162], // 32.5 / 20 = 1.625
    [MID, 3250, 250],
    [OVER15, 3250, 325],
    [UNDER3, 7999, 399], // 79.99 / 20 = 3.9995
    [MID, 7999, 615], // 79.99 / 13 = 6.1530…
    [OVER15, 7999, 799],
    [MID, 1300, 100],
    [MID, 1299, 99],
    [UNDER3, 19, 0],
    [UNDER3, 0, 0],
  ])('SCD %s, %i hundredths in pay status → %i', (scd, hours, hundredths) => {
    expect(annualLeaveAccrual(pt(scd, hours))).toBe(hundredths)
  })

  it('has no 10-hour bonus in the last period of the leave year', () => {
    expect(annualLeaveAccrual(pt(MID, 4000, '2026-12-27'))).toBe(307)
  })

  it('uses the band at the pay period end', () => {
    expect(annualLeaveAccrual(pt('2023-06-28', 4000))).toBe(200)
    expect(annualLeaveAccrual(pt('2023-06-27', 4000))).toBe(307)
    expect(annualLeaveAccrual(pt('2011-06-28', 4000))).toBe(307)
    expect(annualLeaveAccrual(pt('2011-06-27', 4000))).toBe(400)
  })
})

describe('no annual leave for INT or without an SCD', () => {
  it.each([
    [{tour: 'INT', serviceCompDate: '2000-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 8000}],
    [{tour: 'INT', serviceCompDate: '2020-01-01', payPeriodStart: '2026-12-27', hoursInPayStatus: 8000}],
    [{tour: 'FT', serviceCompDate: null, payPeriodStart: '2026-06-14', hoursInPayStatus: 8000}],
    [{tour: 'FT', serviceCompDate: null, payPeriodStart: '2026-12-27', hoursInPayStatus: 8000}],
    [{tour: 'PT', serviceCompDate: null, payPeriodStart: '2026-06-14', hoursInPayStatus: 4000}],
  ] as [AccrualInput][])('%o → 0', (i) => expect(annualLeaveAccrual(i)).toBe(0))
})

describe('sick leave accrual', () => {
  it.each([
    [{tour: 'FT', serviceCompDate: '2025-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 8000}, 400],
    [{tour: 'FT', serviceCompDate: '2000-01-01', payPeriodStart: '2026-12-27', hoursInPayStatus: 8000}, 400],
    [{tour: 'FT', serviceCompDate: null, payPeriodStart: '2026-06-14', hoursInPayStatus: 0}, 400],
    [{tour: 'PT', serviceCompDate: '2025-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 4000}, 200],
    [{tour: 'PT', serviceCompDate: '2000-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 4000}, 200],
    [{tour: 'PT', serviceCompDate: '2025-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 3250}, 162],
    [{tour: 'PT', serviceCompDate: null, payPeriodStart: '2026-06-14', hoursInPayStatus: 7999}, 399],
    [{tour: 'PT', serviceCompDate: '2025-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 19}, 0],
    [{tour: 'INT', serviceCompDate: '2000-01-01', payPeriodStart: '2026-06-14', hoursInPayStatus: 8000}, 0],
  ] as [AccrualInput, number][])('%o → %i', (i, hundredths) => expect(sickLeaveAccrual(i)).toBe(hundredths))
})
