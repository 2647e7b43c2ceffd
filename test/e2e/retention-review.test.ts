import pg from 'pg'
import {describe, expect, it} from 'vitest'

import {addOperator, cli, connectAs, fixtureCycle, freshStore, onPostgres, storeExec, storeRows} from '../helpers/cli.js'

// Disposition review (two-person destruction; CLI.md "Disposition review, audit checkpoints, protected SSNs"):
// a records officer freezes the plan's eligible records into a review, another approves or rejects it, and a
// sweep of the approved review destroys only those records still eligible as of the review's date.

type Env = ReturnType<typeof freshStore>
// Pay period 2026-11-01 ends 2026-11-14: its 6 timecards are due 36 months later, on 2029-11-14. E1004
// (separated 2026-06-30, no timecard) has a profile due on 2029-06-30.
const DUE = '2029-11-14'

/** The fixture cycle (6 validated cards), two records officers, an auditor. */
function reviewStore(): Env {
  const env = freshStore()
  fixtureCycle(env, 'validated')
  addOperator(env, 'rex', 'records-officer')
  addOperator(env, 'ria', 'records-officer')
  addOperator(env, 'aud', 'auditor')
  return env
}

const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])
const count = (env: Env, table: string) => Number(storeRows(env, `SELECT count(*) AS n FROM ${table}`)[0].n)
const item = (items: any[], type: string) => items.find((i: any) => i.recordType === type)

/** A closed request (its own record: due 72 months after closing) behind custodian's back. */
function insertClosedRequest(env: Env, requestId: string, employeeId: string, closedOn: string): void {
  storeExec(env, `INSERT INTO requests (request_id, type, status, requester, employee_id, received, verified, acknowledge_by, due_by, closed_at, closed_on, created_by, created_at)
    VALUES ('${requestId}', 'access', 'closed', 'Requester', '${employeeId}', '2019-06-03', 'in person', '2019-06-14', '2019-07-02', '${closedOn}T12:00:00.000Z', '${closedOn}', 'po', '2019-06-03T10:00:00.000Z')`)
}

describe('retention review: two people between the plan and the destruction', () => {
  it('freezes the plan; the submitter may not approve (exit 4); the sweep destroys only the frozen set, respecting a later hold; the certificate names both people', () => {
    const env = reviewStore()
    const plan = as(env, 'rex', ['retention', 'plan', '--as-of', DUE]).json
    const submit = as(env, 'rex', ['retention', 'review', 'submit', '--as-of', DUE])
    expect(submit.code, submit.stdout).toBe(0)
    expect(Object.keys(submit.json).sort()).toEqual(['asOf', 'items', 'reviewId'])
    expect(submit.json.reviewId).toBe('R000000001')
    expect(submit.json.asOf).toBe(DUE)
    // One item per schedule, in the plan's order, counting exactly what the plan found eligible.
    expect(submit.json.items).toEqual(plan.items.map((i: any) => ({code: i.code, recordType: i.recordType, count: i.eligible})))
    expect(item(submit.json.items, 'timecard').count).toBe(6)
    expect(item(submit.json.items, 'employee').count).toBe(1)
    expect(item(submit.json.items, 'request').count).toBe(0)
    expect(count(env, 'disposal_review_items')).toBe(submit.json.items.reduce((s: number, i: any) => s + i.count, 0))

    // The submitter may neither approve nor reject; nothing changes.
    for (const args of [['approve', 'R000000001'], ['reject', 'R000000001', '--reason', 'second thoughts']]) {
      const own = as(env, 'rex', ['retention', 'review', ...args])
      expect(own.code, args[0]).toBe(4)
      expect(own.json.error.code).toBe('REVIEW_OWN')
    }
    // Not approved yet: exit 6, nothing destroyed.
    const early = as(env, 'rex', ['retention', 'sweep', '--review', 'R000000001', '--yes'])
    expect(early.code).toBe(6)
    expect(early.json.error.code).toBe('REVIEW_NOT_APPROVED')
    expect(count(env, 'timecards')).toBe(6)
    expect(count(env, 'disposals')).toBe(0)

    // A record made eligible as of the review's date after it was submitted (a request closed in 2020).
    insertClosedRequest(env, 'PA-2020-0007', 'E1006', '2020-01-10')
    expect(item(as(env, 'rex', ['retention', 'plan', '--as-of', DUE]).json.items, 'request').eligible).toBe(1)

    const approve = as(env, 'ria', ['retention', 'review', 'approve', 'r1'])
    expect(approve.code, approve.stdout).toBe(0)
    expect(approve.json).toMatchObject({reviewId: 'R000000001', asOf: DUE, status: 'approved', submittedBy: 'rex', approvedBy: 'ria', rejectedBy: null, disposalId: null})
    expect(approve.json.approvedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(as(env, 'ria', ['retention', 'review', 'approve', 'R000000001']).json.error.code).toBe('REVIEW_DECIDED')

    // A hold placed after the approval keeps E1003's card.
    expect(as(env, 'rex', ['holds', 'place', '--reason', 'Case 26-0142', '--employee', 'E1003']).code).toBe(0)

    const sweep = as(env, 'rex', ['retention', 'sweep', '--review', 'R000000001', '--yes'])
    expect(sweep.code, sweep.stdout).toBe(0)
    expect(sweep.json).toMatchObject({
      disposalId: 'D000000001', asOf: DUE, reviewId: 'R000000001',
      destroyed: {timecard: 5, employee: 1, request: 0, payroll_batch: 0, disclosure: 0}, held: 1, blockedByRequest: 0,
    })
    expect(sweep.json.certificateSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(storeRows(env, 'SELECT e.employee_id FROM timecards t JOIN employees e ON e.id = t.employee_ref').map((r) => r.employee_id)).toEqual(['E1003'])
    expect(count(env, "employees WHERE employee_id = 'E1004'")).toBe(0)
    // Eligible as of the review's date, but not frozen in it: untouched.
    expect(count(env, "requests WHERE request_id = 'PA-2020-0007'")).toBe(1)

    // The certificate names the review and both people.
    const cert = as(env, 'aud', ['retention', 'certificate', 'D000000001'])
    expect(cert.json.sha256).toBe(sweep.json.certificateSha256)
    expect(cert.json.certificate.review).toEqual({
      reviewId: 'R000000001', asOf: DUE, submittedBy: 'rex', submittedAt: expect.any(String), approvedBy: 'ria', approvedAt: approve.json.approvedAt,
    })
    expect(cert.json.certificate.operator).toBe('rex')
    const text = cli({...env, operator: 'aud'}, ['retention', 'certificate', 'D000000001'])
    expect(text.stdout).toMatch(/review R000000001.*submitted by rex.*approved by ria/s)

    // Swept once only.
    const again = as(env, 'rex', ['retention', 'sweep', '--review', 'R000000001', '--yes'])
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('REVIEW_SWEPT')
    expect(count(env, 'disposals')).toBe(1)

    const list = as(env, 'aud', ['retention', 'review', 'list'])
    expect(list.code).toBe(0)
    expect(Object.keys(list.json)).toEqual(['reviews'])
    expect(list.json.reviews).toEqual([expect.objectContaining({
      reviewId: 'R000000001', asOf: DUE, status: 'swept', submittedBy: 'rex', approvedBy: 'ria', disposalId: 'D000000001', sweptBy: 'rex',
      items: submit.json.items,
    })])
    const actions = as(env, 'aud', ['audit', 'log']).json.entries.filter((e: any) => e.recordType === 'disposal_review').map((e: any) => [e.action, e.actor, e.recordId])
    expect(actions).toEqual(expect.arrayContaining([
      ['retention.review.submit', 'rex', 'R000000001'], ['retention.review.approve', 'ria', 'R000000001'],
    ]))
    expect(as(env, 'aud', ['audit', 'verify']).json.ok).toBe(true)
  }, 240_000)

  it('a rejected or unapproved review is exit 6 and destroys nothing; reject needs a reason; roles', () => {
    const env = reviewStore()
    expect(as(env, 'aud', ['retention', 'review', 'submit', '--as-of', DUE]).code).toBe(4)
    expect(as(env, 'tk', ['retention', 'review', 'list']).code).toBe(4)
    expect(as(env, 'rex', ['retention', 'review', 'submit', '--as-of', DUE]).json.reviewId).toBe('R000000001')
    expect(as(env, 'aud', ['retention', 'review', 'approve', 'R000000001']).code).toBe(4)

    const noReason = cli({...env, operator: 'ria'}, ['retention', 'review', 'reject', 'R000000001', '--json'])
    expect(noReason.code).toBe(2)
    expect(as(env, 'ria', ['retention', 'review', 'reject', 'R000000001', '--reason', '  ']).code).toBe(2)
    const reject = as(env, 'ria', ['retention', 'review', 'reject', 'R000000001', '--reason', 'GAO audit FY2029 pending'])
    expect(reject.code, reject.stdout).toBe(0)
    expect(reject.json).toMatchObject({status: 'rejected', rejectedBy: 'ria', rejectReason: 'GAO audit FY2029 pending', approvedBy: null})
    expect(as(env, 'admin', ['retention', 'review', 'approve', 'R000000001']).json.error.code).toBe('REVIEW_DECIDED')

    const rejected = as(env, 'rex', ['retention', 'sweep', '--review', 'R000000001', '--yes'])
    expect(rejected.code).toBe(6)
    expect(rejected.json.error.code).toBe('REVIEW_NOT_APPROVED')
    expect(as(env, 'rex', ['retention', 'sweep', '--review', 'R000000009', '--yes']).json.error.code).toBe('REVIEW_NOT_FOUND')
    expect(as(env, 'rex', ['retention', 'sweep', '--review', 'nope', '--yes']).code).toBe(2)
    expect(as(env, 'rex', ['retention', 'sweep', '--review', 'R000000001', '--as-of', DUE, '--yes']).code).toBe(2)
    // Without --yes and without a terminal: exit 2, nothing destroyed (after a second review is approved).
    as(env, 'ria', ['retention', 'review', 'submit', '--as-of', DUE])
    expect(as(env, 'admin', ['retention', 'review', 'approve', 'R000000002']).json).toMatchObject({status: 'approved', submittedBy: 'ria', approvedBy: 'admin'})
    expect(as(env, 'rex', ['retention', 'sweep', '--review', 'R000000002']).json.error.code).toBe('CONFIRMATION_REQUIRED')
    expect(count(env, 'timecards')).toBe(6)
    expect(count(env, 'disposals')).toBe(0)

    // The two-person rule holds in the store itself: the submitter's name never stands as approver or rejecter.
    expect(() => storeExec(env, "UPDATE disposal_reviews SET status = 'approved', approved_by = submitted_by, approved_at = 'x' WHERE review_id = 'R000000001'")).toThrow()
    expect(as(env, 'aud', ['retention', 'review', 'list']).json.reviews.map((r: any) => [r.reviewId, r.status, r.submittedBy, r.approvedBy, r.rejectedBy]))
      .toEqual([['R000000001', 'rejected', 'rex', null, 'ria'], ['R000000002', 'approved', 'ria', 'admin', null]])
    const reasons = as(env, 'aud', ['audit', 'log', '--action', 'retention.review.reject']).json.entries
    expect(reasons).toEqual([expect.objectContaining({actor: 'ria', recordId: 'R000000001', digest: expect.stringMatching(/^[0-9a-f]{64}$/)})])
  }, 240_000)

  it('policy --two-person on (admin) refuses an unreviewed sweep (exit 4) and allows a reviewed one', () => {
    const env = reviewStore()
    expect(as(env, 'aud', ['retention', 'policy']).json).toEqual({twoPerson: false})
    const denied = as(env, 'rex', ['retention', 'policy', '--two-person', 'on'])
    expect(denied.code).toBe(4)
    expect(as(env, 'rex', ['retention', 'policy', '--two-person', 'maybe']).code).toBe(2)
    const on = as(env, 'admin', ['retention', 'policy', '--two-person', 'on'])
    expect(on.code, on.stdout).toBe(0)
    expect(on.json).toEqual({twoPerson: true, previous: {twoPerson: false}})
    expect(as(env, 'rex', ['retention', 'policy']).json).toEqual({twoPerson: true})
    expect(as(env, 'admin', ['settings', 'list']).json.settings.find((s: any) => s.key === 'retention.two_person').value).toBe('on')

    const unreviewed = as(env, 'rex', ['retention', 'sweep', '--as-of', DUE, '--yes'])
    expect(unreviewed.code).toBe(4)
    expect(unreviewed.json.error.code).toBe('REVIEW_REQUIRED')
    // Refused before the confirmation too.
    expect(as(env, 'rex', ['retention', 'sweep', '--as-of', DUE]).json.error.code).toBe('REVIEW_REQUIRED')
    expect(count(env, 'timecards')).toBe(6)
    expect(count(env, 'disposals')).toBe(0)

    as(env, 'rex', ['retention', 'review', 'submit', '--as-of', DUE])
    as(env, 'ria', ['retention', 'review', 'approve', 'R000000001'])
    const reviewed = as(env, 'ria', ['retention', 'sweep', '--review', 'R000000001', '--yes'])
    expect(reviewed.code, reviewed.stdout).toBe(0)
    expect(reviewed.json).toMatchObject({reviewId: 'R000000001', destroyed: {timecard: 6, employee: 1}})
    expect(count(env, 'timecards')).toBe(0)

    expect(as(env, 'admin', ['retention', 'policy', '--two-person', 'off']).json).toEqual({twoPerson: false, previous: {twoPerson: true}})
    const policyLog = as(env, 'aud', ['audit', 'log', '--action', 'retention.policy.set']).json.entries
    expect(policyLog.map((e: any) => [e.actor, e.recordId])).toEqual([['admin', 'retention.two_person'], ['admin', 'retention.two_person']])
  }, 240_000)

  it.runIf(onPostgres)('on PostgreSQL the server refuses a review approved by its submitter, whatever the client', async () => {
    const env = reviewStore()
    expect(as(env, 'rex', ['retention', 'review', 'submit', '--as-of', DUE]).code).toBe(0)
    const asLogin = async (login: string, text: string) => {
      const client = new pg.Client({connectionString: connectAs({...env, operator: login})})
      await client.connect()
      try {
        return await client.query(text)
      } finally {
        await client.end()
      }
    }
    const approve = (by: string) => `UPDATE disposal_reviews SET status = 'approved', approved_by = '${by}', approved_at = '2029-11-15T00:00:00.000Z' WHERE review_id = 'R000000001'`
    // The submitter's own login: as itself, or in another officer's name.
    await expect(asLogin('rex', approve('rex'))).rejects.toMatchObject({code: '42501'})
    await expect(asLogin('rex', approve('ria'))).rejects.toMatchObject({code: '42501'})
    // Another officer in a third name, or adding frozen records; an auditor writes nothing; nobody deletes.
    await expect(asLogin('ria', approve('admin'))).rejects.toMatchObject({code: '42501'})
    await expect(asLogin('ria', "INSERT INTO disposal_review_items (review_ref, record_type, code, record_id) VALUES (1, 'request', 'GRS-4.2-020', 999)")).rejects.toMatchObject({code: '42501'})
    await expect(asLogin('aud', approve('aud'))).rejects.toMatchObject({code: '42501'})
    await expect(asLogin('admin', 'DELETE FROM disposal_reviews')).rejects.toMatchObject({code: '42501'})
    await expect(asLogin('tk', 'SELECT count(*) FROM disposal_reviews')).rejects.toMatchObject({code: '42501'})
    expect(storeRows(env, "SELECT status FROM disposal_reviews WHERE review_id = 'R000000001'")[0].status).toBe('submitted')
    // The other officer, in their own name: allowed.
    await asLogin('ria', approve('ria'))
    expect(storeRows(env, "SELECT status, approved_by FROM disposal_reviews WHERE review_id = 'R000000001'")[0]).toEqual({status: 'approved', approved_by: 'ria'})
    expect((await asLogin('aud', 'SELECT count(*) AS n FROM disposal_review_items')).rows[0].n).not.toBe('0')
  }, 240_000)
})
