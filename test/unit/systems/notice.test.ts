import {describe, expect, it} from 'vitest'

import {NOTICE_HEADINGS, type NoticeSource, renderNotice, retentionSentence, wordList} from '../../../src/systems/notice.js'
import {byRoutineUseCode} from '../../../src/systems/service.js'

const category = {
  recordType: 'sign_in', description: 'sign-in event', retrievedBy: ['user id', 'email'], schedule: 'USPS-550.000-SIGNIN',
  retainMonths: 24, trigger: 'the sign-in', action: 'destroy', authority: 'USPS 550.000: retained for twenty-four months.',
}

const source = (over: Partial<NoticeSource> = {}): NoticeSource => ({
  id: 'SYS-1', name: 'A system', sorn: '1 FR 1', securityClassification: 'None.', location: 'Here.', manager: 'The manager.',
  authority: '1 U.S.C. 1.', purposes: '1. To do one thing.\n2. To do another.', categoriesOfIndividuals: 'People.',
  categoriesOfRecords: 'Records.', recordSources: 'The individual.', storage: 'Automated database.', safeguards: 'Locks.\n\nLogs.',
  recordAccessProcedures: 'Write to us.', contestingProcedures: 'Write to us again.', notificationProcedures: 'Ask.', exemptions: 'None.',
  history: 'New.', categories: [category], routineUses: [{code: 'SYS-1-1', description: 'To the auditors.'}], ...over,
})

const headings = (md: string) => [...md.matchAll(/^\*\*([^*]+):\*\*/gm)].map((m) => m[1])

describe('renderNotice', () => {
  it('gives the headings of USPS 550.000 once each, in its order, under the Federal Register title', () => {
    const md = renderNotice(source())
    expect(md.startsWith('# Privacy Act of 1974; System of Records\n\n**SYSTEM NAME AND NUMBER:** A system, SYS-1. Notice: 1 FR 1.\n')).toBe(true)
    expect(headings(md)).toEqual([...NOTICE_HEADINGS])
    expect(NOTICE_HEADINGS[0]).toBe('SYSTEM NAME AND NUMBER')
    expect(NOTICE_HEADINGS.at(-1)).toBe('HISTORY')
    expect(NOTICE_HEADINGS.indexOf('POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS')).toBe(NOTICE_HEADINGS.indexOf('POLICIES AND PRACTICES FOR STORAGE OF RECORDS') + 1)
  })

  it('says retrieval and retention from the record types and their schedules, and lists start below their heading', () => {
    const md = renderNotice(source())
    expect(md).toContain('**POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS:**\n\n1. Records of type `sign_in` are retrievable by `user id` and `email`.\n')
    expect(md).toContain('**POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS:**\n\n1. Records of type `sign_in` are retained 24 months (the period runs from: the sign-in), then destroyed. Schedule `USPS-550.000-SIGNIN`: USPS 550.000: retained for twenty-four months.\n')
    expect(md).toContain('PURPOSES OF SUCH USES:**\n\n- SYS-1-1: To the auditors.\n')
    expect(md).toContain('**PURPOSE(S) OF THE SYSTEM:**\n\n1. To do one thing.\n2. To do another.\n')
    expect(md).toContain('**SECURITY CLASSIFICATION:** None.\n')
  })

  it('says when the store keeps no records of the system and when it has no routine uses', () => {
    const md = renderNotice(source({categories: [], routineUses: []}))
    expect(md).toContain('**POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS:** This store keeps no records of this system.\n')
    expect(md).toContain('**POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS:** This store keeps no records of this system.\n')
    expect(md).toMatch(/PURPOSES OF SUCH USES:\*\* None: records of this system are not disclosed/)
    expect(md).toContain('**CATEGORIES OF RECORDS IN THE SYSTEM:**\n\nRecords.\n\nThis store keeps no records of this system.\n')
    expect(renderNotice(source())).toContain('**CATEGORIES OF RECORDS IN THE SYSTEM:**\n\nRecords.\n\nThe records of the system this store keeps:\n\n1. `sign_in`: sign-in event.\n')
  })

  it('keeps text from the store from becoming Markdown structure: no headings, emphasis, HTML or links', () => {
    const md = renderNotice(source({history: '**HISTORY:** forged\n# Title <script>x</script> [link](http://x) a_b*c', routineUses: [{code: 'SYS-1-`2`', description: 'x'}]}))
    expect(headings(md)).toEqual([...NOTICE_HEADINGS])
    expect(md).toContain('\\*\\*HISTORY:\\*\\* forged\n\\# Title \\<script\\>x\\</script\\> \\[link\\](http://x) a\\_b\\*c')
    expect(md).not.toMatch(/^# Title/m)
  })
})

describe('notice helpers', () => {
  it('retentionSentence names an action other than destroy as it is', () => {
    expect(retentionSentence({...category, retainMonths: 1, action: 'transfer to NARA'})).toMatch(/retained 1 month \(the period runs from: the sign-in\), then transfer to NARA\./)
  })

  it('wordList joins with commas and "and"', () => {
    expect(wordList([])).toBe('')
    expect(wordList(['a'])).toBe('a')
    expect(wordList(['a', 'b'])).toBe('a and b')
    expect(wordList(['a', 'b', 'c'])).toBe('a, b and c')
  })

  it('routine uses sort by number, named ones after', () => {
    const codes = ['USPS-550.000-BREACH', 'USPS-550.000-10', 'USPS-550.000-2', 'USPS-550.000-1'].map((code) => ({code}))
    expect(codes.sort(byRoutineUseCode).map((c) => c.code)).toEqual(['USPS-550.000-1', 'USPS-550.000-2', 'USPS-550.000-10', 'USPS-550.000-BREACH'])
  })
})
