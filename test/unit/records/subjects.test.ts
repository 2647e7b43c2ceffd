import {describe, expect, it} from 'vitest'

import {reachSubjects, reachSubjectsOf, subjectKeys} from '../../../src/records/kit.js'
import {contactSubjects} from '../../../src/records/types/contact.js'
import {contact, inquiry} from '../../../src/records/types/index.js'
import {inquirySubjects} from '../../../src/records/types/inquiry.js'

// Retention subjects of an email and a phone: one form for the records and for the open requests naming them.
describe('reach subjects', () => {
  it('an email in any case and a phone in any punctuation (a leading 1 dropped) give one subject each; empty values none', () => {
    expect(reachSubjects('Dana.W@Example.ORG', ['(202) 555-0143', '+1 202 555 0143', null, ''])).toEqual(['email:dana.w@example.org', 'phone:2025550143'])
    expect(reachSubjects(null, ['+442079460958'])).toEqual(['phone:442079460958'])
    expect(reachSubjects('', [])).toEqual([])
  })

  it('a request\'s keys map to the subjects a contact and an inquiry carry', () => {
    const keys = subjectKeys({emails: ['dana.w@example.org'], phones: ['2025550143'], caseNumbers: ['INQ-2026-000001']})
    const subjects = new Set([...(contact.subjectsOf?.(keys) ?? []), ...(inquiry.subjectsOf?.(keys) ?? [])])
    expect(reachSubjectsOf(keys)).toEqual(['phone:2025550143', 'email:dana.w@example.org'])
    const c = contactSubjects(1, {email: 'Dana.W@example.org', work_phone: null, cell_phone: '2025550143'})
    expect(c).toEqual(['contact:C000001', 'email:dana.w@example.org', 'phone:2025550143'])
    expect(c.slice(1).every((s) => subjects.has(s))).toBe(true)
    expect(inquirySubjects('INQ-2026-000001', 'dana.w@example.org', '2025550143').every((s) => subjects.has(s))).toBe(true)
    expect(inquirySubjects('INQ-2026-000002')).toEqual(['inquiry:INQ-2026-000002'])
  })
})
