import {describe, expect, it} from 'vitest'

import {CONTACT_CODES, CONTACT_RULES, type ContactRow, checkContactRow, normalizePhone} from '../../../src/contacts/checks.js'
import {type Category, SCREENED_TERMS, fold, screen} from '../../../src/contacts/screening.js'

// CT-NOTES: phrases that must hit (with the category they record) and ordinary phrases that must not.
const MUST_HIT: [string, Category[]][] = [
  ['She is African-American and grew up in Ohio', ['race']],
  ['Mentioned his race is relevant to the program', ['race']],
  ['Biracial family', ['race']],
  ['Hispanic community leader', ['ethnicity or national origin']],
  ['Her ethnicity came up at lunch', ['ethnicity or national origin']],
  ['Immigrant from Guatemala', ['ethnicity or national origin']],
  ['Devout Catholic', ['religion']],
  ['Es católica practicante', ['religion']],
  ['MUSLIM, prays five times a day', ['religion']],
  ['Attends church every Sunday', ['religion']],
  ['Goes to the mosque on Fridays', ['religion']],
  ['Jewish; observes Shabbat', ['religion']],
  ['Openly gay', ['sexual orientation']],
  ['Lesbian couple, two kids', ['sexual orientation']],
  ['Diabetic, needs lunch breaks', ['health']],
  ['Recovering from cancer surgery', ['health']],
  ['HIV+ advocate himself', ['health']],
  ['Pregnant, due in March', ['health']],
  ['Uses a wheelchair', ['health']],
  ['Registered Republican', ['political affiliation']],
  ['Lifelong Democrat', ['political affiliation']],
  ['Tea Party organizer', ['political affiliation']],
  ['Catholic and a Democrat', ['religion', 'political affiliation']],
]

const MUST_NOT_HIT: string[] = [
  'Works at Catholic University',
  'Research fellow, The Catholic University of America',
  'Interested in Race to the Top grants',
  'Spoke about the arms race in cyber',
  'Volunteers with Catholic Charities',
  'Board member, Young Men\'s Christian Association',
  'Funded by the American Cancer Society',
  'Works on Americans with Disabilities Act compliance',
  'Asked about hearing aids for the call center',
  'Met at the White House liaison office',
  'Marvin Gaye tribute concert organizer',
  'Former staffer at the Republican National Committee',
  'Writes op-eds for a local newspaper; uses social media regularly',
  'Racetrack security lead',
  'Fluent in Spanish; handles gray areas of grant law',
  'Democratic Republic of the Congo desk officer',
  'Embraced the new workflow', // "race" inside a word
  'Jewelry exporter', // "jew" inside a word
  '',
]

describe('CT-NOTES screening table', () => {
  it.each(MUST_HIT)('hits %j as %j', (text, categories) => {
    expect(screen(text)).toEqual(categories)
  })

  it.each(MUST_NOT_HIT.map((t) => [t]))('does not hit %j', (text) => {
    expect(screen(text)).toEqual([])
  })

  it('folds accents and case and keeps word boundaries', () => {
    expect(fold('  Católica—HIV+ ')).toBe(' catolica hiv ')
    expect(screen('GAYE')).toEqual([])
    expect(screen('gay.')).toEqual(['sexual orientation'])
  })

  it('every category has terms; every term is stored folded (the table is maintained as data)', () => {
    for (const [category, terms] of Object.entries(SCREENED_TERMS)) {
      expect(terms.length, category).toBeGreaterThan(0)
      for (const t of terms) expect(fold(t).trim(), t).toBe(t.replaceAll('-', ' '))
    }
  })

  it('the finding names the category, never the words', () => {
    const [finding] = checkContactRow({name: 'A', notes: 'Devout Catholic, diabetic'}, '2026-11-01')
    expect(finding).toMatchObject({code: 'CT-NOTES', column: 'notes'})
    expect(finding.message).toContain('religion and health')
    expect(finding.message).not.toMatch(/catholic|diabetic/i)
  })
})

describe('CT-* rules', () => {
  const ok: ContactRow = {name: 'Dana Whitfield', email: 'dana@port.example.org', work_phone: '(202) 555-0143', cell_phone: '+44 20 7946 0958', last_contacted: '2026-10-14', notes: 'Met at the roundtable'}
  const CASES: Record<string, {hit: ContactRow[]; pass: ContactRow[]}> = {
    'CT-REQUIRED': {hit: [{...ok, name: ''}], pass: [ok]},
    'CT-EMAIL': {hit: [{...ok, email: 'dana@'}, {...ok, email: 'a b@c.org'}], pass: [ok, {...ok, email: ''}]},
    'CT-PHONE': {hit: [{...ok, work_phone: '555-0143'}, {...ok, cell_phone: '+1234567'}, {...ok, cell_phone: 'call me'}, {...ok, work_phone: '+1234567890123456'}], pass: [ok, {...ok, work_phone: '1-202-555-0143'}, {...ok, work_phone: ''}]},
    'CT-DATE': {hit: [{...ok, last_contacted: '2026-02-30'}, {...ok, last_contacted: '2026-11-02'}], pass: [ok, {...ok, last_contacted: ''}]},
    'CT-NOTES': {hit: [{...ok, notes: 'Devout Catholic'}, {...ok, interests: 'LGBTQ rights; she is lesbian'}], pass: [ok, {...ok, notes: 'Race to the Top', interests: 'Catholic University alumni events'}]},
  }

  it('every rule has cases on both sides, and every code without a rule says where it is decided', () => {
    for (const rule of CONTACT_RULES) expect(CASES[rule.code], rule.code).toBeDefined()
    const ruled = new Set<string>(CONTACT_RULES.map((r) => r.code))
    for (const [code, info] of Object.entries(CONTACT_CODES)) expect(ruled.has(code) || 'decidedBy' in info, code).toBe(true)
  })

  it.each(Object.entries(CASES))('%s', (code, {hit, pass}) => {
    for (const row of hit) expect(checkContactRow(row, '2026-11-01').map((f) => f.code), JSON.stringify(row)).toContain(code)
    for (const row of pass) expect(checkContactRow(row, '2026-11-01').map((f) => f.code), JSON.stringify(row)).not.toContain(code)
  })

  it('phones: 10 US digits with any punctuation, a leading 1 dropped, or + and 8-15 digits', () => {
    expect(normalizePhone('(202) 555-0143')).toBe('2025550143')
    expect(normalizePhone('+1 202.555.0143')).toBe('2025550143')
    expect(normalizePhone('1-202-555-0143')).toBe('2025550143')
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958')
    expect(normalizePhone('555-0143')).toBeNull()
    expect(normalizePhone('202555014x')).toBeNull()
  })
})
