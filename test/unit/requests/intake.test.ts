import {describe, expect, it} from 'vitest'

import {disclosureIncludes} from '../../../src/requests/disclosures.js'
import {recordsCsv} from '../../../src/requests/package.js'
import {nameKeyCandidates, redactSsns} from '../../../src/requests/search.js'
import {checkDate, checkEmail, checkPhone, checkRequester, phoneDigits} from '../../../src/requests/checks.js'

describe('intake checks (flags and the interactive form share them)', () => {
  it.each([
    ['202-555-0143', '2025550143'],
    ['(202) 555 0143', '2025550143'],
    ['+1 202.555.0143', '2025550143'],
    ['202555014', null],
    ['2025550143x', null],
    ['2 0 2 5 5 5 0 1 4 3 9', null],
  ])('phone %s → %s', (input, digits) => {
    expect(phoneDigits(input)).toBe(digits)
    expect(checkPhone(input) === null).toBe(digits !== null)
  })

  it('checks emails, dates and the requester name', () => {
    expect(checkEmail('a.b@agency.example.gov')).toBeNull()
    expect(checkEmail('a.b@agency')).toMatch(/plausible/)
    expect(checkEmail('a b@agency.gov')).toMatch(/plausible/)
    expect(checkDate('2026-02-29')).toMatch(/real date/)
    expect(checkDate('2028-02-29')).toBeNull()
    expect(checkDate('11/23/2026')).toMatch(/YYYY-MM-DD/)
    expect(checkRequester('  ')).toMatch(/required/)
    expect(checkRequester('Adaeze Okafor')).toBeNull()
  })
})

describe('name look-up keys (fold(last)|fold(first))', () => {
  it('reads "Last, First Middle" one way and "First [Middle] Last" at every split', () => {
    expect(nameKeyCandidates('Núñez, José Luis')).toEqual(['nunez|jose', 'nunez|jose luis'])
    expect(nameKeyCandidates('JOSÉ LUIS NÚÑEZ')).toEqual(expect.arrayContaining(['nunez|jose', 'nunez|jose luis', 'luis nunez|jose']))
    expect(nameKeyCandidates('Siobhán O\'Brien')).toEqual(["o'brien|siobhan"])
    expect(nameKeyCandidates('Cher')).toEqual([])
  })
})

describe('what a package and a search may show', () => {
  it('writes the subject\'s own SSN whole and masks every other', () => {
    const tree = {employee: [{ssn: '123456781', history: [{ssn: '987654321'}]}], note: 'x'}
    expect(redactSsns(tree, '123456781')).toEqual({employee: [{ssn: '123-45-6781', history: [{ssn: '***-**-4321'}]}], note: 'x'})
    expect(redactSsns(tree)).toEqual({employee: [{ssn: '***-**-6781', history: [{ssn: '***-**-4321'}]}], note: 'x'})
    const amendment = {field: 'ssn', current_value: '***-**-6781', requested_value: '123456782', status: 'pending'}
    expect(redactSsns([amendment])).toEqual([{...amendment, requested_value: '***-**-6782'}])
    expect(redactSsns([amendment], '123456782')).toEqual([{...amendment, requested_value: '123-45-6782'}])
    expect(redactSsns({field: 'email', requested_value: '123456782'})).toEqual({field: 'email', requested_value: '123456782'})
  })

  it('neutralises formulas and writes nested values as JSON in CSV cells', () => {
    expect(recordsCsv([{id: 1, name: '=HYPERLINK("x")', lines: [{h: 8}], none: null}, {id: 2, extra: '-5'}])).toBe(
      'id,name,lines,none,extra\n1,"\'=HYPERLINK(""x"")","[{""h"":8}]",,\n2,,,,\'-5\n',
    )
    expect(recordsCsv([])).toBe('id\n')
  })

  it('knows which disclosures carried a record (a payroll batch carries the profile)', () => {
    const employee = {type: 'employee', id: 'E1001'}
    expect(disclosureIncludes({recordType: 'employee', recordRef: 'E1001'}, 'E1001', employee)).toBe(true)
    expect(disclosureIncludes({recordType: 'employee', recordRef: null}, 'E1001', employee)).toBe(true)
    expect(disclosureIncludes({recordType: 'payroll_batch', recordRef: 'B000000001'}, 'E1001', employee)).toBe(true)
    expect(disclosureIncludes({recordType: 'request', recordRef: 'PA-2026-0001'}, 'E1001', employee)).toBe(false)
    expect(disclosureIncludes({recordType: 'employee', recordRef: 'E1002'}, 'E1002', employee)).toBe(false)
  })
})

describe('the letter', () => {
  it('keeps Latin-1 text, drops accents it cannot show, and marks what is left', async () => {
    const {printable} = await import('../../../src/requests/letter.js')
    expect(printable('José Núñez, Þórðardóttir')).toBe('José Núñez, Þórðardóttir')
    expect(printable('Wiśniewski Łukasz 王')).toBe('Wisniewski ?ukasz ?')
  })
})
