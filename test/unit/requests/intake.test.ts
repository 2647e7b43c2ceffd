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
  const base = {
    agency: {name: 'Department of Example Affairs', code: 'HS', addressLines: ['1 Main St', 'Washington, DC 20001'], office: 'Privacy Office'},
    signer: ['Jordan Ellis', 'Chief Privacy Officer'], appeal: {addressLines: ['Privacy Appeals Officer', '2 Main St'], days: 60},
    requestId: 'PA-2026-0007', requester: 'Łukasz Wiśniewski', requesterAddress: ['12 Elm St'], received: '2026-11-20', preparedOn: '2026-12-01',
    subjectName: 'Łukasz Wiśniewski', enclosed: [{name: 'employee.csv', description: 'your employee profile'}],
    counts: [{noun: ['timecard', 'timecards'] as const, count: 2}, {noun: ['employee profile', 'employee profiles'] as const, count: 1}, {noun: ['payroll file', 'payroll files'] as const, count: 0}],
    statements: 0, amendments: [], disclosures: [],
    systems: [
      {id: 'OPM/GOVT-1', name: 'General Personnel Records', contesting: 'Ask your timekeeper to correct a timecard.', counts: [{noun: ['timecard', 'timecards'] as const, count: 2}, {noun: ['employee profile', 'employee profiles'] as const, count: 1}]},
      {id: 'USPS-550.000', name: 'Commercial Information Technology Resources', contesting: 'Write to the CIO.', counts: [{noun: ['account record', 'account records'] as const, count: 0}]},
    ],
  }
  const text = async (over: object) => {
    const {letterParagraphs} = await import('../../../src/requests/letter.js')
    return letterParagraphs({...base, type: 'access', ...over} as Parameters<typeof letterParagraphs>[0]).map((p) => `${p.heading ?? ''}\n${p.text}`).join('\n')
  }

  it('an access letter says what was found in plain words, never internal dates, and where and by when to appeal', async () => {
    const t = await text({})
    expect(t).toContain('On November 20, 2026 you asked to see the records we keep about you')
    expect(t).toContain('found 2 timecards, one employee profile about Łukasz Wiśniewski')
    expect(t).not.toMatch(/payroll file|acknowledged|record\(s\)/)
    expect(t).toContain('Write to Privacy Appeals Officer, 2 Main St within 60 days of the date of this letter')
  })

  it('names every system searched, and for each holding records what was found there and how to contest a record in it', async () => {
    const t = await text({})
    expect(t).toContain('General Personnel Records (OPM/GOVT-1): records about you, enclosed.')
    expect(t).toContain('Commercial Information Technology Resources (USPS-550.000): no records about you.')
    expect(t).toContain('General Personnel Records (OPM/GOVT-1)\nWe found 2 timecards, one employee profile. How to contest a record in this system: Ask your timekeeper to correct a timecard.')
    expect(t).not.toContain('Write to the CIO.')
  })

  it('an amendment letter states each correction asked for and its decision, and the right to disagree only after a denial', async () => {
    const amendments = [
      {recordNoun: 'employee profile', field: 'last_name', requested: 'Ito-Smith', status: 'granted', reason: 'matches the court order', decidedOn: '2026-11-25'},
      {recordNoun: 'employee profile', field: 'ssn', requested: '123456789', status: 'denied', reason: 'the Social Security Administration confirms the number on file.', decidedOn: '2026-11-26'},
      {recordNoun: 'employee profile', field: 'email', requested: 'a@b.gov', status: 'pending', reason: null, decidedOn: null},
    ]
    const t = await text({type: 'amendment', amendments})
    expect(t).toContain('1. You asked that the last name in your employee profile read "Ito-Smith". We agreed and corrected the record on November 25, 2026.')
    expect(t).toContain('2. You asked us to correct the Social Security number in your employee profile. We did not make this correction, because the Social Security Administration confirms the number on file.')
    expect(t).not.toContain('123456789')
    expect(t).toContain('3. You asked that the email address in your employee profile read "a@b.gov". We have not decided this yet')
    expect(t).toMatch(/statement of disagreement: we keep it with the record/)
    expect(await text({type: 'amendment', amendments: [amendments[0]]})).not.toMatch(/statement of disagreement|appeal/)
    const line = {recordNoun: 'timecard', field: 'line:2026-11-13:REG:HS-030105-A1', requested: '0', status: 'granted', reason: null, decidedOn: '2026-11-25'}
    expect(await text({type: 'amendment', amendments: [line]})).toContain('1. You asked that the REG hours on November 13, 2026 in your timecard read "0".')
  })

  it('an accounting letter lists the disclosures, not the records', async () => {
    const t = await text({type: 'accounting', counts: [], disclosures: [{date: '2026-11-16', recipient: 'National Finance Center', purpose: 'payroll processing'}]})
    expect(t).toContain('which disclosures of your records we have made outside the agency')
    expect(t).toContain('November 16, 2026: to National Finance Center, for payroll processing.')
    expect(t).not.toContain('timecard')
  })
})
