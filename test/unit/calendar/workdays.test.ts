import {describe, expect, it} from 'vitest'

import {addWorkingDays, isWorkingDay, workingDaysBetween} from '../../../src/calendar/workdays.js'

// Hypothetical executive-order closures: Christmas Eve and New Year's Eve 2026.
const CLOSED = new Set(['2026-12-24', '2026-12-31'])
const FRIDAY_AFTER_THANKSGIVING = new Set(['2026-11-27'])

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-04', true], // Wednesday
    ['2026-03-07', false], // Saturday
    ['2026-03-08', false], // Sunday
    ['2026-11-26', false], // Thanksgiving
    ['2026-11-27', true], // the Friday after is a working day unless closed
    ['2026-07-03', false], // Independence Day observed (July 4 is a Saturday)
    ['2021-12-31', false], // New Year's Day 2022 observed
    ['2026-12-24', true],
  ])('%s → %s', (d, expected) => expect(isWorkingDay(d)).toBe(expected))

  it('treats closure days as non-working', () => {
    expect(isWorkingDay('2026-12-24', CLOSED)).toBe(false)
    expect(isWorkingDay('2026-12-31', CLOSED)).toBe(false)
    expect(isWorkingDay('2026-12-30', CLOSED)).toBe(true)
  })
})

describe('addWorkingDays (day 1 = first working day after the received date)', () => {
  it.each([
    // received, n, expected
    ['2026-03-04', 1, '2026-03-05'], // Wednesday
    ['2026-03-04', 10, '2026-03-18'],
    ['2026-03-04', 20, '2026-04-01'],
    ['2026-03-04', 30, '2026-04-15'],
    ['2026-05-15', 1, '2026-05-18'], // Friday; Memorial Day 05-25 and Juneteenth 06-19 skipped
    ['2026-05-15', 10, '2026-06-01'],
    ['2026-05-15', 20, '2026-06-15'],
    ['2026-05-15', 30, '2026-06-30'],
    ['2026-06-27', 1, '2026-06-29'], // Saturday; 07-03 (observed Independence Day) skipped
    ['2026-06-27', 10, '2026-07-13'],
    ['2026-06-27', 20, '2026-07-27'],
    ['2026-06-27', 30, '2026-08-10'],
    ['2026-11-25', 1, '2026-11-27'], // the day before Thanksgiving
    ['2026-11-25', 10, '2026-12-10'],
    ['2026-11-25', 20, '2026-12-24'],
    ['2026-11-25', 30, '2027-01-11'], // skips Christmas and New Year's Day
    ['2026-12-24', 1, '2026-12-28'], // Christmas Eve; day 1 is after Christmas
    ['2026-12-24', 10, '2027-01-11'],
    ['2026-12-24', 20, '2027-01-26'], // skips MLK Day 2027-01-18
    ['2026-12-24', 30, '2027-02-09'],
    ['2026-12-30', 1, '2026-12-31'], // across New Year
    ['2026-12-30', 2, '2027-01-04'],
    ['2026-12-30', 10, '2027-01-14'],
    ['2026-12-30', 20, '2027-01-29'],
    ['2026-12-30', 30, '2027-02-12'],
    ['2021-12-30', 1, '2022-01-03'], // 2021-12-31 is New Year's Day 2022 observed
  ])('%s + %i working days = %s', (received, n, expected) => {
    expect(addWorkingDays(received, n)).toBe(expected)
  })

  it.each([
    ['2026-12-23', 1, '2026-12-28'],
    ['2026-12-23', 10, '2027-01-12'],
    ['2026-12-23', 20, '2027-01-27'],
    ['2026-12-23', 30, '2027-02-10'],
  ])('with closures 2026-12-24 and 2026-12-31: %s + %i = %s', (received, n, expected) => {
    expect(addWorkingDays(received, n, CLOSED)).toBe(expected)
  })

  it('without those closures the same request counts them', () => {
    expect(addWorkingDays('2026-12-23', 1)).toBe('2026-12-24')
    expect(addWorkingDays('2026-12-23', 10)).toBe('2027-01-08')
  })

  it.each([
    [10, '2026-12-11'],
    [20, '2026-12-28'],
    [30, '2027-01-12'],
  ])('with the Friday after Thanksgiving closed: 2026-11-25 + %i = %s', (n, expected) => {
    expect(addWorkingDays('2026-11-25', n, FRIDAY_AFTER_THANKSGIVING)).toBe(expected)
  })

  it('rejects n below 1 or not an integer', () => {
    expect(() => addWorkingDays('2026-03-04', 0)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-03-04', 1.5)).toThrow(RangeError)
  })
})

describe('workingDaysBetween (from, to]', () => {
  it.each([
    ['2026-03-04', '2026-03-18', 10],
    ['2026-11-25', '2026-12-10', 10],
    ['2026-11-25', '2027-01-11', 30],
    ['2026-12-30', '2027-01-04', 2],
    ['2026-03-04', '2026-03-04', 0],
    ['2026-03-18', '2026-03-04', 0],
    ['2026-03-06', '2026-03-08', 0], // Friday to Sunday
  ])('%s to %s = %i', (from, to, n) => expect(workingDaysBetween(from, to)).toBe(n))

  it('skips closures', () => {
    expect(workingDaysBetween('2026-12-23', '2027-01-12', CLOSED)).toBe(10)
    expect(workingDaysBetween('2026-12-23', '2027-01-12')).toBe(12)
  })
})
