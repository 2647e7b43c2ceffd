import {describe, expect, it} from 'vitest'

import {INQUIRY_CODES, INQUIRY_RULES, type InquiryForm, checkInquiry, checkInquiryField, toInquiryValues} from '../../../src/inquiries/checks.js'
import {DEFAULT_AGENCY, type Route, checkAgency, checkZipPrefix, routeInquiry} from '../../../src/inquiries/routing.js'

const CATEGORIES = {categories: ['discrimination', 'leave', 'other', 'retirement-benefits', 'safety-health', 'unemployment-insurance', 'wages-hours']}
const FORM: InquiryForm = {
  first_name: 'Dana', last_name: 'Whitfield', home_zip: '19104', contact_method: 'email', phone: '', email: 'dana@example.com',
  company: '', street: '', city: '', county: '', state: 'PA', workplace_zip: '19122', category: 'wages-hours', description: 'Unpaid overtime.',
}
const codes = (over: InquiryForm) => checkInquiry({...FORM, ...over}, CATEGORIES).map((f) => `${f.code}:${f.column}`)

describe('IQ-* intake checks', () => {
  it('every code of the table is reported by a rule', () => {
    expect(new Set(INQUIRY_RULES.map((r) => r.code))).toEqual(new Set(Object.keys(INQUIRY_CODES)))
  })

  it.each<[InquiryForm, string[]]>([
    [{}, []],
    [{first_name: ''}, ['IQ-REQUIRED:first_name']],
    [{contact_method: 'phone'}, ['IQ-REQUIRED:phone']],
    [{contact_method: 'PHONE', phone: '1-215-555-0100'}, []],
    [{phone: '215.555.010'}, ['IQ-PHONE:phone']],
    [{phone: '12155550100'}, []],
    [{phone: '22155550100'}, ['IQ-PHONE:phone']],
    [{home_zip: '19104-123'}, ['IQ-ZIP:home_zip']],
    [{home_zip: '19104-1234'}, []],
    [{state: 'pr'}, []],
    [{state: 'QQ'}, ['IQ-STATE:state']],
    [{category: 'Leave'}, []],
    [{category: 'taxes'}, ['IQ-CATEGORY:category']],
    [{last_name: "O'Brien-Núñez Jr."}, []],
    [{first_name: 'Zoë'}, []],
    [{first_name: 'R2'}, ['IQ-NAME:first_name']],
    [{first_name: 'A'.repeat(51)}, ['IQ-NAME:first_name']],
    [{description: 'line one\nline two\ttabbed'}, []],
    [{description: 'bell\u0007'}, ['IQ-DESCRIPTION:description']],
    [{city: 'Two\nLines'}, ['IQ-TEXT:city']],
    [{contact_method: 'mail'}, ['IQ-CONTACT:contact_method']],
  ])('%j → %j', (over, want) => {
    expect(codes(over)).toEqual(want)
  })

  it('checks one field as typed, in the context of the form so far', () => {
    expect(checkInquiryField('phone', {...FORM, contact_method: 'phone', phone: ''}, CATEGORIES)).toMatch(/required/)
    expect(checkInquiryField('phone', {...FORM, contact_method: 'email', phone: ''}, CATEGORIES)).toBeNull()
    expect(checkInquiryField('home_zip', {...FORM, home_zip: '191'}, CATEGORIES)).toMatch(/not a ZIP code/)
  })

  it('stores email lower case, the phone as 10 digits, the state upper case, empty fields as null', () => {
    expect(toInquiryValues({...FORM, email: 'Dana@Example.COM', phone: '+1 (215) 555-0100', state: 'pa', company: ' '})).toMatchObject({
      email: 'dana@example.com', phone: '2155550100', state: 'PA', company: null, category: 'wages-hours', contact_method: 'email',
    })
  })
})

describe('routing', () => {
  const routes: Route[] = [
    {kind: 'state', value: 'PA', agency: 'A-STATE'},
    {kind: 'zip-prefix', value: '1', agency: 'A-1'},
    {kind: 'zip-prefix', value: '191', agency: 'A-191'},
    {kind: 'zip-prefix', value: '19', agency: 'A-19'},
    {kind: 'state', value: 'NY', agency: 'A-NY'},
  ]
  it.each<[string | null, string | null, string]>([
    ['19122', 'PA', 'A-191'],
    ['19122-4400', null, 'A-191'],
    ['19010', 'PA', 'A-19'],
    ['15213', 'PA', 'A-1'],
    ['20001', 'PA', 'A-STATE'],
    ['20001', 'ny', 'A-NY'],
    [null, 'PA', 'A-STATE'],
    ['20001', 'TX', DEFAULT_AGENCY],
    [null, null, DEFAULT_AGENCY],
  ])('workplace ZIP %s, state %s → %s', (zip, state, agency) => {
    expect(routeInquiry(routes, {zip, state}).agency).toBe(agency)
  })

  it('checks agency codes and ZIP prefixes', () => {
    expect(checkAgency('ofccp-ne')).toBeNull()
    expect(checkAgency('a b')).toMatch(/2-30/)
    expect(checkZipPrefix('191')).toBeNull()
    expect(checkZipPrefix('123456')).toMatch(/1 to 5 digits/)
  })
})
