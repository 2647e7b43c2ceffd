import {describe, expect, it} from 'vitest'

import {clockDays, extendDue, isOverdue, requestClocks} from '../../../src/requests/clocks.js'

// Expectations counted by hand on a printed calendar (day 1 = the first working day after the received date).
// Holidays on the way: Thanksgiving 2026-11-26, Christmas 2026-12-25 (Fri), New Year 2026-01-01 (Thu) and
// 2027-01-01 (Fri), MLK Day 2026-01-19 and 2027-01-18, Independence Day observed Fri 2026-07-03.
describe('request clocks (access and accounting: acknowledge by the 10th working day, due by the 20th)', () => {
  it.each([
    // received, weekday, acknowledgeBy, dueBy
    ['2026-03-02', 'Monday', '2026-03-16', '2026-03-30'],
    ['2026-03-04', 'Wednesday', '2026-03-18', '2026-04-01'],
    ['2026-03-06', 'Friday', '2026-03-20', '2026-04-03'],
    ['2026-03-07', 'Saturday', '2026-03-20', '2026-04-03'],
    ['2026-03-08', 'Sunday', '2026-03-20', '2026-04-03'],
    ['2026-11-25', 'Wednesday before Thanksgiving (day 1 is Friday 11-27)', '2026-12-10', '2026-12-24'],
    ['2026-12-24', 'Thursday, Christmas Eve (Dec 25 and Jan 1 and MLK Day skipped)', '2027-01-11', '2027-01-26'],
    ['2025-12-31', 'Wednesday, New Year\'s Eve (Jan 1 and MLK Day skipped)', '2026-01-15', '2026-01-30'],
    ['2026-07-02', 'Thursday before the observed Independence Day', '2026-07-17', '2026-07-31'],
  ])('received %s (%s) → acknowledge by %s, due by %s', (received, _day, acknowledgeBy, dueBy) => {
    expect(requestClocks('access', received)).toEqual({acknowledgeBy, dueBy})
    expect(requestClocks('accounting', received)).toEqual({acknowledgeBy, dueBy})
  })
})

describe('amendment requests: acknowledge by the 10th working day, due by the 30th', () => {
  it.each([
    ['2026-03-02', '2026-03-16', '2026-04-13'],
    ['2026-03-07', '2026-03-20', '2026-04-17'],
    ['2026-11-25', '2026-12-10', '2027-01-11'],
    ['2026-12-24', '2027-01-11', '2027-02-09'],
  ])('received %s → acknowledge by %s, due by %s', (received, acknowledgeBy, dueBy) => {
    expect(requestClocks('amendment', received)).toEqual({acknowledgeBy, dueBy})
  })
})

describe('closure days and extensions', () => {
  it('skips a closure day added to the store (an executive order closing Dec 24)', () => {
    expect(requestClocks('access', '2026-11-25', new Set(['2026-12-24']))).toEqual({acknowledgeBy: '2026-12-10', dueBy: '2026-12-28'})
  })

  it('extends from the current due date by working days', () => {
    expect(extendDue('2026-03-30', 10)).toBe('2026-04-13')
    expect(extendDue('2026-12-24', 5)).toBe('2027-01-04') // Dec 28, 29, 30, 31, (Jan 1 holiday) Jan 4
  })

  it('is overdue only when open after its due date', () => {
    expect(isOverdue({status: 'open', dueBy: '2026-03-30'}, '2026-03-30')).toBe(false)
    expect(isOverdue({status: 'open', dueBy: '2026-03-30'}, '2026-03-31')).toBe(true)
    expect(isOverdue({status: 'closed', dueBy: '2026-03-30'}, '2026-04-30')).toBe(false)
  })

  it('takes working-day periods from the store setting, ignoring invalid ones', () => {
    const days = clockDays(JSON.stringify({access: {acknowledge: 5, due: 15}, amendment: {acknowledge: 0, due: 'x'}}))
    expect(days.access).toEqual({acknowledge: 5, due: 15})
    expect(days.amendment).toEqual({acknowledge: 10, due: 30})
    expect(requestClocks('access', '2026-03-02', new Set(), days)).toEqual({acknowledgeBy: '2026-03-09', dueBy: '2026-03-23'})
    expect(clockDays('not json').access).toEqual({acknowledge: 10, due: 20})
  })
})
