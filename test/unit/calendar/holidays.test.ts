import {describe, expect, it} from 'vitest'

import {federalHolidays, isObservedHoliday, observedHolidaysBetween} from '../../../src/calendar/holidays.js'

// Observed dates written out by hand (New Year's, MLK, Washington, Memorial, [Juneteenth], Independence, Labor,
// Columbus, Veterans, Thanksgiving, Christmas), cross-checked with an independent python datetime computation.
const OBSERVED: Record<number, string[]> = {
  2020: ['2020-01-01', '2020-01-20', '2020-02-17', '2020-05-25', '2020-07-03', '2020-09-07', '2020-10-12', '2020-11-11', '2020-11-26', '2020-12-25'],
  2021: ['2021-01-01', '2021-01-18', '2021-02-15', '2021-05-31', '2021-06-18', '2021-07-05', '2021-09-06', '2021-10-11', '2021-11-11', '2021-11-25', '2021-12-24'],
  2022: ['2021-12-31', '2022-01-17', '2022-02-21', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-10-10', '2022-11-11', '2022-11-24', '2022-12-26'],
  2023: ['2023-01-02', '2023-01-16', '2023-02-20', '2023-05-29', '2023-06-19', '2023-07-04', '2023-09-04', '2023-10-09', '2023-11-10', '2023-11-23', '2023-12-25'],
  2024: ['2024-01-01', '2024-01-15', '2024-02-19', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-10-14', '2024-11-11', '2024-11-28', '2024-12-25'],
  2025: ['2025-01-01', '2025-01-20', '2025-02-17', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-10-13', '2025-11-11', '2025-11-27', '2025-12-25'],
  2026: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25'],
  2027: ['2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24'],
  2028: ['2027-12-31', '2028-01-17', '2028-02-21', '2028-05-29', '2028-06-19', '2028-07-04', '2028-09-04', '2028-10-09', '2028-11-10', '2028-11-23', '2028-12-25'],
  2029: ['2029-01-01', '2029-01-15', '2029-02-19', '2029-05-28', '2029-06-19', '2029-07-04', '2029-09-03', '2029-10-08', '2029-11-12', '2029-11-22', '2029-12-25'],
  2030: ['2030-01-01', '2030-01-21', '2030-02-18', '2030-05-27', '2030-06-19', '2030-07-04', '2030-09-02', '2030-10-14', '2030-11-11', '2030-11-28', '2030-12-25'],
}

describe('federalHolidays', () => {
  it.each(Object.entries(OBSERVED))('observed holidays of %s', (year, observed) => {
    expect(federalHolidays(Number(year)).map((h) => h.observed)).toEqual(observed)
  })

  it('has 10 holidays in 2020 (no Juneteenth) and 11 from 2021', () => {
    expect(federalHolidays(2020)).toHaveLength(10)
    expect(federalHolidays(2020).some((h) => h.date === '2020-06-19')).toBe(false)
    expect(federalHolidays(2021)).toHaveLength(11)
    expect(federalHolidays(2030)).toHaveLength(11)
  })

  it('keeps the actual date next to the observed one', () => {
    const h2022 = federalHolidays(2022)
    expect(h2022[0]).toEqual({name: "New Year's Day", date: '2022-01-01', observed: '2021-12-31'})
    expect(h2022[4]).toMatchObject({date: '2022-06-19', observed: '2022-06-20'})
    expect(h2022[10]).toMatchObject({name: 'Christmas Day', date: '2022-12-25', observed: '2022-12-26'})
    expect(federalHolidays(2028)[0]).toMatchObject({date: '2028-01-01', observed: '2027-12-31'})
    expect(federalHolidays(2026)[5]).toMatchObject({name: 'Independence Day', date: '2026-07-04', observed: '2026-07-03'})
    expect(federalHolidays(2026).map((h) => h.name)).toEqual([
      "New Year's Day", 'Birthday of Martin Luther King, Jr.', "Washington's Birthday", 'Memorial Day',
      'Juneteenth National Independence Day', 'Independence Day', 'Labor Day', 'Columbus Day', 'Veterans Day',
      'Thanksgiving Day', 'Christmas Day',
    ])
  })

  it('returns copies callers cannot use to corrupt later answers', () => {
    const a = federalHolidays(2026)
    a[0].observed = '1999-01-01'
    expect(federalHolidays(2026)[0].observed).toBe('2026-01-01')
  })
})

describe('observedHolidaysBetween', () => {
  it('includes an observed date in the year before the holiday (across a year boundary)', () => {
    expect([...observedHolidaysBetween('2021-12-01', '2022-01-31')]).toEqual([
      ['2021-12-24', 'Christmas Day'],
      ['2021-12-31', "New Year's Day"],
      ['2022-01-17', 'Birthday of Martin Luther King, Jr.'],
    ])
    expect([...observedHolidaysBetween('2027-12-20', '2028-01-20').keys()]).toEqual(['2027-12-24', '2027-12-31', '2028-01-17'])
  })

  it('is inclusive at both ends', () => {
    expect([...observedHolidaysBetween('2021-12-31', '2021-12-31').keys()]).toEqual(['2021-12-31'])
    expect([...observedHolidaysBetween('2026-11-26', '2026-12-25').keys()]).toEqual(['2026-11-26', '2026-12-25'])
  })

  it('counts by observed date over whole years', () => {
    expect(observedHolidaysBetween('2021-01-01', '2021-12-31').size).toBe(12) // incl. 2021-12-31 for 2022
    expect(observedHolidaysBetween('2022-01-01', '2022-12-31').size).toBe(10) // its New Year's is in 2021
    expect(observedHolidaysBetween('2027-01-01', '2027-12-31').size).toBe(12)
    expect(observedHolidaysBetween('2028-01-01', '2028-12-31').size).toBe(10)
    expect(observedHolidaysBetween('2026-01-01', '2026-12-31').size).toBe(11)
  })

  it('covers a pay period', () => {
    expect([...observedHolidaysBetween('2026-12-27', '2027-01-09')]).toEqual([['2027-01-01', "New Year's Day"]])
    expect(observedHolidaysBetween('2026-06-28', '2026-07-11').get('2026-07-03')).toBe('Independence Day')
  })

  it('is empty for an empty or reversed range', () => {
    expect(observedHolidaysBetween('2026-03-01', '2026-03-31').size).toBe(0)
    expect(observedHolidaysBetween('2026-12-31', '2026-01-01').size).toBe(0)
  })
})

describe('isObservedHoliday', () => {
  it.each([
    ['2021-12-31', true],
    ['2022-01-01', false],
    ['2027-12-31', true],
    ['2028-01-01', false],
    ['2021-06-18', true],
    ['2021-06-19', false],
    ['2020-06-19', false],
    ['2022-12-26', true],
    ['2022-12-25', false],
    ['2026-07-03', true],
    ['2026-07-04', false],
    ['2026-11-26', true],
    ['2026-11-27', false],
    ['2029-11-12', true],
  ])('%s → %s', (d, expected) => expect(isObservedHoliday(d)).toBe(expected))
})
