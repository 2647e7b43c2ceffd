import {describe, expect, it} from 'vitest'

import {addMonths} from '../../../src/calendar/dates.js'
import {type TypeInput, decide, dueOn, holdCovers, isDue} from '../../../src/retention/checks.js'
import {idsSha256} from '../../../src/retention/service.js'

describe('addMonths (end-of-month clamping)', () => {
  it.each([
    ['2026-11-14', 36, '2029-11-14'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2026-07-04', 0, '2026-07-04'],
    ['2026-10-31', 72, '2032-10-31'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected)
  })
})

describe('isDue: trigger + retain months ≤ as-of', () => {
  it('is due on the exact day, not the day before', () => {
    expect(dueOn('2026-11-14', 36)).toBe('2029-11-14')
    expect(isDue('2026-11-14', 36, '2029-11-13')).toBe(false)
    expect(isDue('2026-11-14', 36, '2029-11-14')).toBe(true)
    expect(isDue('2026-11-14', 36, '2029-11-15')).toBe(true)
  })

  it('clamps at the end of the month: a Feb 29 trigger is due on Feb 28 three years later', () => {
    expect(isDue('2028-02-29', 36, '2031-02-27')).toBe(false)
    expect(isDue('2028-02-29', 36, '2031-02-28')).toBe(true)
  })

  it('a record whose clock has not started (open request, no separation) is never due', () => {
    expect(isDue(null, 1, '2999-12-31')).toBe(false)
  })
})

describe('holdCovers', () => {
  const byEmployee = {id: 1, recordType: null, employeeIds: ['E1003']}
  const byType = {id: 2, recordType: 'timecard', employeeIds: []}
  const both = {id: 3, recordType: 'timecard', employeeIds: ['E1003']}
  it.each([
    [byEmployee, 'timecard', ['E1003'], true],
    [byEmployee, 'payroll_batch', ['E1001', 'E1003'], true],
    [byEmployee, 'employee', ['E1001'], false],
    [byType, 'timecard', ['E1001'], true],
    [byType, 'employee', ['E1001'], false],
    [both, 'timecard', ['E1003'], true],
    [both, 'timecard', ['E1001'], false],
    [both, 'employee', ['E1003'], false],
  ] as const)('hold %# on %s of %j: %s', (hold, type, subjects, covered) => {
    expect(holdCovers(hold, type, subjects)).toBe(covered)
  })
})

describe('decide', () => {
  const AS_OF = '2030-01-01'
  const types = (over: Partial<Record<string, TypeInput['candidates']>> = {}): TypeInput[] => [
    {type: 'timecard', code: 'GRS-2.4-030', retainMonths: 36, afterGone: [], candidates: over.timecard ?? []},
    {type: 'payroll_batch', code: 'GRS-2.4-010', retainMonths: 36, afterGone: [], candidates: over.payroll_batch ?? []},
    {type: 'employee', code: 'TA-PROFILE', retainMonths: 36, afterGone: ['timecard', 'payroll_batch'], candidates: over.employee ?? []},
  ]
  const card = (id: number, trigger: string, subject: string) => ({id, trigger, subjects: [subject]})

  it('destroys what is due and nothing else', () => {
    const d = decide({asOf: AS_OF, types: types({timecard: [card(1, '2026-12-31', 'A'), card(2, '2027-01-01', 'A'), card(3, '2027-01-02', 'B')]}), holds: [], openRequestSubjects: new Set()})
    expect(d[0]).toMatchObject({type: 'timecard', eligible: [1, 2], held: 0, blockedByRequest: 0, waiting: 0})
  })

  it('a hold (by employee or by type) keeps due records and counts them as held', () => {
    const cards = [card(1, '2026-01-01', 'A'), card(2, '2026-01-01', 'B')]
    expect(decide({asOf: AS_OF, types: types({timecard: cards}), holds: [{id: 1, recordType: null, employeeIds: ['A']}], openRequestSubjects: new Set()})[0])
      .toMatchObject({eligible: [2], held: 1})
    expect(decide({asOf: AS_OF, types: types({timecard: cards}), holds: [{id: 1, recordType: 'timecard', employeeIds: []}], openRequestSubjects: new Set()})[0])
      .toMatchObject({eligible: [], held: 2})
    expect(decide({asOf: AS_OF, types: types({timecard: cards}), holds: [{id: 1, recordType: 'employee', employeeIds: []}], openRequestSubjects: new Set()})[0])
      .toMatchObject({eligible: [1, 2], held: 0})
  })

  it('an open request of a subject blocks the records about them; a hold counts first', () => {
    const cards = [card(1, '2026-01-01', 'A'), card(2, '2026-01-01', 'B'), card(3, '2026-01-01', 'C')]
    const d = decide({asOf: AS_OF, types: types({timecard: cards}), holds: [{id: 1, recordType: null, employeeIds: ['A']}], openRequestSubjects: new Set(['A', 'B'])})
    expect(d[0]).toMatchObject({eligible: [3], held: 1, blockedByRequest: 1})
  })

  it('a batch carrying a held person is held as a whole', () => {
    const d = decide({asOf: AS_OF, types: types({payroll_batch: [{id: 9, trigger: '2026-01-01', subjects: ['A', 'B']}]}), holds: [{id: 1, recordType: null, employeeIds: ['B']}], openRequestSubjects: new Set()})
    expect(d[1]).toMatchObject({eligible: [], held: 1})
  })

  it('a profile waits until no timecard or batch about the person survives the same sweep', () => {
    const d = decide({
      asOf: AS_OF,
      types: types({
        timecard: [card(1, '2026-01-01', 'A'), card(2, '2029-06-01', 'B')],
        payroll_batch: [{id: 7, trigger: '2026-01-01', subjects: ['A', 'C']}, {id: 8, trigger: '2029-12-01', subjects: ['C']}],
        employee: [card(11, '2026-01-01', 'A'), card(12, '2026-01-01', 'B'), card(13, '2026-01-01', 'C'), card(14, '2028-01-01', 'D')],
      }),
      holds: [],
      openRequestSubjects: new Set(),
    })
    expect(d[0].eligible).toEqual([1])
    expect(d[1].eligible).toEqual([7])
    // A: everything gone with this sweep; B: a card survives; C: batch 8 survives; D: not due.
    expect(d[2]).toMatchObject({eligible: [11], waiting: 2, held: 0})
  })

  it('refuses a registry order where a type waits for one decided after it', () => {
    const [card_, , employee] = types()
    expect(() => decide({asOf: AS_OF, types: [employee, card_], holds: [], openRequestSubjects: new Set()})).toThrow(/decided later/)
  })
})

describe('idsSha256', () => {
  it('hashes the ascending ids as decimal text, whatever their order', () => {
    expect(idsSha256([10, 2, 33])).toBe(idsSha256([2, 10, 33]))
    // sha256("2\n10\n33")
    expect(idsSha256([33, 10, 2])).toBe('dcf6782a4621418854c439162e98a2a8c0e181105ce600ad799ec928275b934d')
    expect(idsSha256([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })
})
