import {type Operator, authorize, inScope} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {assertSealed} from '../audit/seals.js'
import {type CivilDate, todayUtc} from '../calendar/dates.js'
import {conflict, notFound, notPermitted, usage} from '../errors.js'
import {REACH_REQUESTED, REGISTRY, type RecordType, candidatesOf, isRecordType, RECORD_TYPES, registryEntry, subjectKeys, typesNamed} from '../records/registry.js'
import {compactStore, markCompactionPending} from '../store/compact.js'
import {crashPoint, prepareOutput, writeDurable} from '../store/outputs.js'
import {type Store, inTransaction} from '../store/index.js'
import {twoPersonRequired} from '../admin/settings.js'
import {employeeById} from '../personnel/queries.js'
import {openRequestSubjectIds} from '../requests/queries.js'
import {type ActiveHold, type TypeDecision, decide} from './checks.js'
import {
  disposalById, disposalRows, holdRows, insertDisposal, insertHold, nextDisposalNumber, releaseHoldRow, scheduleByCode, scheduleRows, setRetainMonths,
} from './queries.js'

/**
 * Retention use cases: schedules, plans, legal holds, sweeps and their disposal certificates. Every sweep,
 * plan and certificate iterates the record-type registry; the rules themselves are in checks.ts.
 */

// ---------------------------------------------------------------------------------------------------------
// Schedules

export interface ScheduleView {
  code: string
  title: string
  recordType: string
  trigger: string
  retainMonths: number
  action: string
  authority: string
  updatedAt: string | null
  updatedBy: string | null
}

export async function readSchedules(store: Store): Promise<ScheduleView[]> {
  const rows = await scheduleRows(store)
  const order = (code: string) => REGISTRY.findIndex((e) => e.schedule === code)
  return rows
    .map((r) => ({
      code: r.code, title: r.title, recordType: r.record_type, trigger: r.trigger, retainMonths: r.retain_months, action: r.action,
      authority: r.authority, updatedAt: r.updated_at, updatedBy: r.updated_by,
    }))
    .sort((a, b) => order(a.code) - order(b.code))
}

export async function listSchedules(store: Store, operator: Operator): Promise<ScheduleView[]> {
  authorize(operator, 'retention.schedules')
  const schedules = await readSchedules(store)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'retention.schedules', recordType: 'retention_schedule'}))
  return schedules
}

/** Longest period a schedule may be set to (100 years); records kept "permanently" are not in this system. */
export const MAX_RETAIN_MONTHS = 1200

/** Changes a schedule's retention period (records officer). The old and new periods are in the audit digest. */
export async function setScheduleMonths(store: Store, operator: Operator, code: string, months: number): Promise<ScheduleView> {
  authorize(operator, 'retention.schedules.set')
  if (!Number.isInteger(months) || months < 1 || months > MAX_RETAIN_MONTHS) {
    throw usage(`--retain-months must be a whole number of months from 1 to ${MAX_RETAIN_MONTHS}.`)
  }
  const wanted = code.trim().toUpperCase()
  return inTransaction(store, async () => {
    const row = await scheduleByCode(store, wanted)
    if (!row) {
      const codes = (await readSchedules(store)).map((s) => s.code).join(', ')
      throw notFound('SCHEDULE_NOT_FOUND', `No retention schedule ${wanted}. Schedules: ${codes}.`, {schedule: wanted})
    }
    const now = new Date().toISOString()
    await setRetainMonths(store, wanted, months, {at: now, operator: operator.name})
    await appendAudit(store, operator.name, {
      action: 'retention.schedules.set', recordType: 'retention_schedule', recordId: wanted, digest: sha256(`${row.retain_months}->${months}`),
    }, now)
    return (await readSchedules(store)).find((s) => s.code === wanted)!
  })
}

// ---------------------------------------------------------------------------------------------------------
// Plans

export interface PlanItem {
  code: string
  recordType: RecordType
  retainMonths: number
  /** Records a sweep as of this date destroys. */
  eligible: number
  held: number
  blockedByRequest: number
  /** Due, but other records of the subject must be gone first (a profile waits for its timecards). */
  waiting: number
}

export interface PlanResult {
  asOf: CivilDate
  items: PlanItem[]
}

export async function activeHolds(store: Store): Promise<ActiveHold[]> {
  return (await readHolds(store)).filter((h) => h.active).map((h) => ({id: h.holdId, recordType: h.recordType, employeeIds: h.employees}))
}

/** The retention subjects of open requests: their employee_ids, and what the registry says their other identifiers stand for. */
export async function openRequestSubjects(store: Store): Promise<Set<string>> {
  const ids = await openRequestSubjectIds(store)
  const keys = subjectKeys({
    employeeIds: ids.employeeIds.map((id) => id.toUpperCase()), userIds: ids.userIds.map((id) => id.toLowerCase()), caseNumbers: ids.caseNumbers.map((c) => c.toUpperCase()),
    // A request's email as given (any case), its phone as digits: the types' subjectsOf put them in one form.
    emails: ids.emails.map((e) => e.trim().toLowerCase()), phones: ids.phones.map((p) => p.replaceAll(/\D/g, '')),
  })
  // REACH_REQUESTED: the records the server says an open request names by email or phone, when this session
  // could not read those (records/kit.ts reachRequested); no record carries it otherwise.
  return new Set([...keys.employeeIds, ...REGISTRY.flatMap((entry) => entry.subjectsOf?.(keys) ?? []), REACH_REQUESTED])
}

/** The decision for every record of every registered type as of a date. Reads only. */
export async function decideAll(store: Store, asOf: CivilDate, only?: ReadonlyMap<RecordType, ReadonlySet<number>>): Promise<TypeDecision[]> {
  const schedules = new Map((await readSchedules(store)).map((s) => [s.code, s]))
  const types = await Promise.all(REGISTRY.map(async (entry) => {
    const schedule = schedules.get(entry.schedule)
    if (!schedule) throw new Error(`retention schedule ${entry.schedule} of ${entry.type} is missing from the store`)
    return {type: entry.type, code: schedule.code, retainMonths: schedule.retainMonths, afterGone: typesNamed(entry.afterGone), candidates: await candidatesOf(entry, store)}
  }))
  return decide({asOf, types, holds: await activeHolds(store), openRequestSubjects: await openRequestSubjects(store), ...(only ? {only} : {})})
}

export function planItems(decisions: readonly TypeDecision[]): PlanItem[] {
  return decisions.map((d) => ({
    code: d.code, recordType: d.type, retainMonths: d.retainMonths, eligible: d.eligible.length, held: d.held,
    blockedByRequest: d.blockedByRequest, waiting: d.waiting,
  }))
}

/** What a sweep as of the date would do, per schedule; changes nothing (the reading is audited). */
export async function retentionPlan(store: Store, operator: Operator, asOf: CivilDate): Promise<PlanResult> {
  authorize(operator, 'retention.plan')
  const items = planItems(await decideAll(store, asOf))
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'retention.plan', recordType: 'retention_schedule', digest: sha256(JSON.stringify({asOf, items}))}))
  return {asOf, items}
}

// ---------------------------------------------------------------------------------------------------------
// Sweeps and certificates

/** The disposal certificate: counts and digests of surrogate ids, never personal data. */
export interface Certificate {
  disposalId: string
  asOf: CivilDate
  operator: string
  at: string
  schedules: {
    code: string
    recordType: RecordType
    retainMonths: number
    destroyed: number
    /** sha256 of the destroyed records' surrogate ids, ascending, as decimal text joined by "\n". */
    idsSha256: string
    held: number
    blockedByRequest: number
    waiting: number
  }[]
  totals: {destroyed: number; held: number; blockedByRequest: number}
  method: string
  /** Why the records were destroyed when not by their schedules (e.g. the individual asked not to be contacted). */
  occasion?: string
  /** What free text outside the destroyed records stays in the store, and why. */
  survives?: string
  /** The disposition review the disposal carried out, and the two people who put it between plan and destruction. */
  review?: CertificateReview
}

/** A certificate's disposition review: who froze the records (submitter) and who approved their destruction. */
export interface CertificateReview {
  reviewId: string
  asOf: CivilDate
  submittedBy: string
  submittedAt: string
  approvedBy: string
  approvedAt: string
}

export interface SweepResult {
  disposalId: string
  asOf: CivilDate
  destroyed: Record<RecordType, number>
  held: number
  blockedByRequest: number
  certificateSha256: string
  /** False when another process kept the write-ahead log from being emptied (run the sweep again). */
  compacted: boolean
  /** What the operator should know: an as-of date after today, a write-ahead log that could not be emptied. */
  warnings: string[]
  /** The disposition review swept (`retention sweep --review`). */
  reviewId?: string
}

/** How the records were destroyed, by engine (the certificate says it). */
const METHOD = {
  sqlite: 'Deleted in one transaction with secure_delete (freed bytes overwritten with zeros), history rows with their records; '
    + 'then the write-ahead log checkpointed and truncated, and the store rebuilt with VACUUM.',
  postgres: 'Deleted in one transaction on the PostgreSQL server, history rows with their records; then every table deleted from '
    + 'rewritten (CLUSTER: new files holding only the live rows, indexes rebuilt) and the server checkpointed, so the table files '
    + 'hold no byte of the destroyed records.',
} as const

/** What a PostgreSQL server may keep of destroyed records until it is recycled, beyond what SURVIVES names. */
const SERVER_COPIES = ' On this PostgreSQL server, copies may remain until recycled: write-ahead-log segments (wal_keep_size, replication '
  + 'slots, WAL archives), base backups, and the planner\'s column statistics until the next ANALYZE. The agency governs their '
  + 'retention; they should be destroyed on the same schedule as the records.'

/** Hold and release reasons outlive the records they held (see SURVIVES): short, and meant for case numbers. */
export const MAX_REASON = 500

const SURVIVES = 'Kept after this disposal, outside the destroyed records: legal hold and release reasons, the names of imported files '
  + '(import batches), disposal certificates, and the audit trail (actions, operators, times and surrogate ids, never personal data). '
  + 'They document what the agency did and are kept under their own schedules; they should never name a person, and custodian limits '
  + `reasons to ${MAX_REASON} characters.`

const disposalName = (n: number) => `D${String(n).padStart(9, '0')}`

/** sha256 over the ascending surrogate ids as decimal text joined by "\n" (the empty list hashes ""). */
export function idsSha256(ids: readonly number[]): string {
  return sha256([...ids].sort((a, b) => a - b).join('\n'))
}

/** The warning a sweep as of a date after today carries (shown before its confirmation, and in its result). */
export function futureAsOfWarning(asOf: CivilDate, now = new Date()): string | null {
  return asOf > todayUtc(now) ? `--as-of ${asOf} is after today: records were destroyed before their retention period ends in real time.` : null
}

/** Sweeps (and their disposition reviews) can only be agency-wide: a scoped records officer may plan but not sweep. */
export function assertAgencyWide(operator: Operator, action = 'retention.sweep'): void {
  if (operator.orgPrefix !== null) {
    const what = action === 'retention.sweep' ? 'a retention sweep' : 'a disposition review'
    throw notPermitted('NOT_PERMITTED', `Operator "${operator.name}" is limited to org ${operator.orgPrefix}; ${what} covers the whole agency and needs an agency-wide records officer.`, {action})
  }
}

/**
 * When the store's two-person policy is on (`retention policy --two-person on`), a sweep destroys only an
 * approved disposition review's records: a sweep without --review is exit 4, REVIEW_REQUIRED, and nothing is destroyed.
 */
export async function assertSweepWithoutReview(store: Store): Promise<void> {
  if (await twoPersonRequired(store)) {
    throw notPermitted('REVIEW_REQUIRED', 'This store\'s policy requires two-person destruction: submit a disposition review (custodian retention review submit), have another records officer approve it, '
      + 'then run custodian retention sweep --review <reviewId>. Nothing was destroyed.', {action: 'retention.sweep'})
  }
}

/** What a disposal did: its certificate, the certificate's digest, and whether the store's files were compacted. */
export interface Disposal {
  cert: Certificate
  digest: string
  compacted: boolean
  warnings: string[]
}

export interface DisposeOptions {
  asOf: CivilDate
  now: Date
  /** The audit action (retention.sweep, contacts.forget, ...). */
  action: string
  /** Why the records go, on the certificate, when it is not their schedules (no personal data). */
  occasion?: string
  /** The records to destroy, decided inside the write transaction (what is destroyed is what is true then). */
  decide: () => Promise<TypeDecision[]>
  /** Runs in the same transaction once the records are destroyed and the certificate is numbered. */
  alongside?: (cert: Certificate) => Promise<void>
  /** The disposition review carried out, named on the certificate. */
  review?: CertificateReview
}

/**
 * The one way records are destroyed (a sweep, a forgotten contact): in ONE write transaction (BEGIN
 * IMMEDIATE: it waits for or refuses a concurrent writer) the decided records go, with their history rows, and
 * the certificate and the audit entry are written; then the bytes go away: checkpoint the WAL, VACUUM, and
 * truncate the WAL (on PostgreSQL: rewrite the tables deleted from, and checkpoint).
 */
export async function dispose(store: Store, operator: Operator, opts: DisposeOptions): Promise<Disposal> {
  const {asOf, now} = opts
  const at = now.toISOString()
  const {cert, digest} = await inTransaction(store, async () => {
    const decisions = await opts.decide()
    for (const d of decisions) {
      if (d.eligible.length > 0) await registryEntry(d.type).destroy(store, d.eligible)
    }
    const next = await nextDisposalNumber(store)
    const cert: Certificate = {
      disposalId: disposalName(next),
      asOf,
      operator: operator.name,
      at,
      ...(opts.occasion === undefined ? {} : {occasion: opts.occasion}),
      schedules: decisions.map((d) => ({
        code: d.code, recordType: d.type, retainMonths: d.retainMonths, destroyed: d.eligible.length, idsSha256: idsSha256(d.eligible),
        held: d.held, blockedByRequest: d.blockedByRequest, waiting: d.waiting,
      })),
      totals: {
        destroyed: decisions.reduce((s, d) => s + d.eligible.length, 0),
        held: decisions.reduce((s, d) => s + d.held, 0),
        blockedByRequest: decisions.reduce((s, d) => s + d.blockedByRequest, 0),
      },
      method: METHOD[store.engine],
      survives: store.engine === 'postgres' ? `${SURVIVES}${SERVER_COPIES}` : SURVIVES,
      ...(opts.review === undefined ? {} : {review: opts.review}),
    }
    const text = JSON.stringify(cert)
    const digest = sha256(text)
    await insertDisposal(store, {disposal_id: cert.disposalId, as_of: asOf, operator: operator.name, at, certificate: text, sha256: digest})
    await opts.alongside?.(cert)
    await appendAudit(store, operator.name, {action: opts.action, recordType: 'disposal', recordId: cert.disposalId, digest}, at)
    // The tables of the types destroyed; on PostgreSQL only those a row actually left (a rewrite costs a copy of
    // the table: one the sweep did not change is not rewritten).
    const tables = [...new Set(decisions.filter((d) => d.eligible.length > 0).flatMap((d) => registryEntry(d.type).tables))]
    await markCompactionPending(store, cert.disposalId, store.engine === 'postgres' ? await (await import('../store/postgres-disposal.js')).tablesDeletedFrom(store, tables) : tables)
    return {cert, digest}
  })
  crashPoint(`${opts.action}:after-commit`)
  const compaction = await compactStore(store)
  const warnings: string[] = []
  if (!compaction.compacted) {
    warnings.push(`disposal ${cert.disposalId} is committed, but compaction is pending: ${compaction.reason}, so bytes of the destroyed records may remain in the store's files. `
      + 'The next custodian command finishes it; or run: custodian doctor')
  }
  return {cert, digest, compacted: compaction.compacted, warnings}
}

/** Destroys every eligible record as of the date (dispose, with the schedules' decisions). */
export async function sweep(store: Store, operator: Operator, asOf: CivilDate, now = new Date()): Promise<SweepResult> {
  authorize(operator, 'retention.sweep')
  assertAgencyWide(operator)
  await assertSweepWithoutReview(store)
  // Decided again inside the write lock: what is destroyed is what is true now, not what a prompt showed (the
  // policy too: one turned on meanwhile refuses the sweep, and the transaction rolls back).
  const disposal = await dispose(store, operator, {asOf, now, action: 'retention.sweep', decide: async () => {
    await assertSweepWithoutReview(store)
    return decideAll(store, asOf)
  }})
  return sweepResult(asOf, now, disposal)
}

/** A sweep's JSON from its disposal: counts by type, the certificate's digest, warnings. */
export function sweepResult(asOf: CivilDate, now: Date, {cert, digest, compacted, warnings: late}: Disposal): SweepResult {
  const warnings: string[] = []
  const future = futureAsOfWarning(asOf, now)
  if (future) warnings.push(future)
  warnings.push(...late)
  return {
    disposalId: cert.disposalId,
    asOf,
    destroyed: Object.fromEntries(cert.schedules.map((s) => [s.recordType, s.destroyed])) as Record<RecordType, number>,
    held: cert.totals.held,
    blockedByRequest: cert.totals.blockedByRequest,
    certificateSha256: digest,
    compacted,
    warnings,
    ...(cert.review ? {reviewId: cert.review.reviewId} : {}),
  }
}

export interface DisposalView {
  disposalId: string
  asOf: CivilDate
  operator: string
  at: string
  destroyed: number
  sha256: string
}

export async function listDisposals(store: Store, operator: Operator): Promise<DisposalView[]> {
  authorize(operator, 'retention.disposals')
  const rows = await disposalRows(store)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'retention.disposals', recordType: 'disposal'}))
  return rows.map((r) => ({
    disposalId: r.disposal_id, asOf: r.as_of, operator: r.operator, at: r.at,
    destroyed: (JSON.parse(r.certificate) as Certificate).totals.destroyed, sha256: r.sha256,
  }))
}

export interface CertificateResult {
  disposalId: string
  sha256: string
  /** The file written with --out (the stored certificate text, byte for byte), else null. */
  file: string | null
  certificate: Certificate
}

/** A stored certificate; with `out`, written atomically (0600) exactly as stored, so its sha256 matches. */
export async function getCertificate(store: Store, operator: Operator, disposalId: string, out?: string): Promise<CertificateResult> {
  authorize(operator, 'retention.certificate')
  const short = /^D?(\d{1,9})$/i.exec(disposalId.trim())
  const id = short ? disposalName(Number(short[1])) : disposalId.trim().toUpperCase()
  const row = await disposalById(store, id)
  if (!row) throw notFound('DISPOSAL_NOT_FOUND', `No disposal ${id}. List them with: custodian retention disposals`, {disposalId: id})
  // A certificate changed since the sweep sealed it is never shown or written as it is (SEAL_BROKEN, exit 3).
  await assertSealed(store, operator, 'certificate', id)
  const output = out ? await prepareOutput(store, out, {label: '--out', kind: 'file', replace: true, purpose: 'retention.certificate'}) : undefined
  try {
    if (output) writeDurable(output.tmp, row.certificate)
    await inTransaction(store, async () => {
      await appendAudit(store, operator.name, {action: 'retention.certificate', recordType: 'disposal', recordId: id, digest: row.sha256})
      await output?.commitWith()
    })
    await output?.publish()
  } catch (error) {
    await output?.discard()
    throw error
  }
  return {disposalId: id, sha256: row.sha256, file: out ?? null, certificate: JSON.parse(row.certificate) as Certificate}
}

// ---------------------------------------------------------------------------------------------------------
// Legal holds

function checkReason(flag: string, text: string): string {
  const reason = text.trim()
  if ([...reason].length > MAX_REASON) {
    throw usage(`${flag} is ${[...reason].length} characters; keep it to ${MAX_REASON} (a matter or case number and a few words). It outlives the records it holds, so never put a person's name or details in it.`)
  }
  return reason
}

export interface HoldView {
  holdId: number
  reason: string
  recordType: string | null
  employees: string[]
  placedBy: string
  placedAt: string
  active: boolean
  releasedBy: string | null
  releasedAt: string | null
  releaseReason: string | null
}

async function readHolds(store: Store, id?: number): Promise<HoldView[]> {
  return (await holdRows(store, id)).map(({hold: h, employees}) => ({
    holdId: h.id, reason: h.reason, recordType: h.record_type, employees,
    placedBy: h.placed_by, placedAt: h.placed_at, active: h.released_at === null, releasedBy: h.released_by, releasedAt: h.released_at,
    releaseReason: h.release_reason,
  }))
}

export interface PlaceHoldInput {
  reason: string
  employeeIds?: readonly string[]
  recordType?: string
}

/**
 * Places a legal hold on employees' records, on a record type, or on one type of the employees' records.
 * Every employee must exist in the operator's scope (otherwise exit 5, and nothing is placed).
 */
export async function placeHold(store: Store, operator: Operator, input: PlaceHoldInput): Promise<HoldView> {
  authorize(operator, 'holds.place')
  const reason = checkReason('--reason', input.reason)
  if (reason === '') throw usage('--reason must say why the records are held (e.g. the matter or case number).')
  const employeeIds = [...new Set((input.employeeIds ?? []).map((e) => e.trim().toUpperCase()))]
  const recordType = input.recordType?.trim().toLowerCase()
  if (employeeIds.length === 0 && !recordType) throw usage('A hold names at least one --employee or a --record-type.')
  if (recordType !== undefined && !isRecordType(recordType)) {
    throw usage(`--record-type "${input.recordType}" is not a record type. Types: ${RECORD_TYPES.join(', ')}.`)
  }
  return inTransaction(store, async () => {
    for (const employeeId of employeeIds) {
      const row = await employeeById(store, employeeId)
      if (!row || !inScope(operator, row.org_code)) throw notFound('EMPLOYEE_NOT_FOUND', `No employee ${employeeId} in your scope; no hold was placed.`, {employeeId})
    }
    const now = new Date().toISOString()
    const id = await insertHold(store, {
      reason, record_type: recordType ?? null, placed_by: operator.name, placed_at: now, released_by: null, released_at: null, release_reason: null,
    }, employeeIds)
    await appendAudit(store, operator.name, {action: 'holds.place', recordType: 'hold', recordId: id}, now)
    return (await readHolds(store, id))[0]
  })
}

/** Parses a hold id argument ("7" or "H7"). */
export function parseHoldId(value: string): number {
  const m = /^h?(\d{1,12})$/i.exec(value.trim())
  if (!m) throw usage(`"${value}" is not a hold id; hold ids are numbers (see custodian holds list).`)
  return Number(m[1])
}

/** Releases an active hold; it stays listed with who released it and when. Released already: exit 6. */
export async function releaseHold(store: Store, operator: Operator, holdId: number, reason?: string): Promise<HoldView> {
  authorize(operator, 'holds.release')
  if (reason !== undefined) checkReason('--reason', reason)
  return inTransaction(store, async () => {
    const [hold] = await readHolds(store, holdId)
    if (!hold) throw notFound('HOLD_NOT_FOUND', `No hold ${holdId}. List them with: custodian holds list`, {holdId})
    if (!hold.active) throw conflict('HOLD_RELEASED', `Hold ${holdId} was already released on ${hold.releasedAt} by ${hold.releasedBy}.`, {holdId})
    const now = new Date().toISOString()
    await releaseHoldRow(store, holdId, {by: operator.name, at: now, reason: reason?.trim() || null})
    await appendAudit(store, operator.name, {action: 'holds.release', recordType: 'hold', recordId: holdId}, now)
    return (await readHolds(store, holdId))[0]
  })
}

/** Every hold, active and released, oldest first. */
export async function listHolds(store: Store, operator: Operator): Promise<HoldView[]> {
  authorize(operator, 'holds.list')
  const holds = await readHolds(store)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'holds.list', recordType: 'hold'}))
  return holds
}
