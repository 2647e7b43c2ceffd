import {addMonths, type CivilDate} from '../calendar/dates.js'
import type {RecordType, RetentionCandidate} from '../records/registry.js'

/**
 * The retention rules as pure functions (RULES.md, "Retention schedules"): when a record is due, what blocks
 * it, and the decision for every record of every type. The service reads the store and applies the result.
 */

/** The first day a record may be destroyed: its trigger date plus the retention period (end-of-month clamped). */
export function dueOn(trigger: CivilDate, retainMonths: number): CivilDate {
  return addMonths(trigger, retainMonths)
}

/** Eligibility by date: trigger + retain months ≤ as-of. A record whose clock has not started is never due. */
export function isDue(trigger: CivilDate | null, retainMonths: number, asOf: CivilDate): boolean {
  return trigger !== null && dueOn(trigger, retainMonths) <= asOf
}

/** An active (not released) legal hold: on a record type, on employees, or on one type of records of employees. */
export interface ActiveHold {
  id: number
  recordType: string | null
  employeeIds: readonly string[]
}

/** Whether the hold keeps a record of this type about these subjects. */
export function holdCovers(hold: ActiveHold, type: RecordType, subjects: readonly string[]): boolean {
  if (hold.recordType !== null && hold.recordType !== type) return false
  return hold.employeeIds.length === 0 || subjects.some((s) => hold.employeeIds.includes(s))
}

export interface TypeInput {
  type: RecordType
  /** The schedule governing the type. */
  code: string
  retainMonths: number
  /** Types that must hold no surviving record of any of the subjects first (decided earlier in the list). */
  afterGone: readonly RecordType[]
  candidates: readonly RetentionCandidate[]
}

export interface TypeDecision {
  type: RecordType
  code: string
  retainMonths: number
  /** Surrogate ids of the records a sweep destroys: due, not held, no open request, nothing left to wait for. */
  eligible: number[]
  /** Due, but under an active legal hold. */
  held: number
  /** Due and not held, but a subject has an open Privacy Act request. */
  blockedByRequest: number
  /** Due and free, but other records of a subject survive that must be gone first (e.g. a profile's timecards). */
  waiting: number
}

/**
 * Decides every record, type by type in the order given (the registry's order). Each record falls in exactly
 * one class: not due, held, blocked by request, waiting, or eligible; all but eligible survive the sweep, and
 * a survivor's subjects make later `afterGone` types wait.
 */
export function decide(input: {
  asOf: CivilDate
  types: readonly TypeInput[]
  holds: readonly ActiveHold[]
  openRequestSubjects: ReadonlySet<string>
  /**
   * When given, only these records (surrogate ids by type: a disposition review's frozen set) may be
   * destroyed; every other record is kept as one not yet due is, uncounted, and makes later types wait.
   */
  only?: ReadonlyMap<RecordType, ReadonlySet<number>>
}): TypeDecision[] {
  const survivors = new Map<RecordType, Set<string>>()
  const decisions: TypeDecision[] = []
  for (const t of input.types) {
    for (const before of t.afterGone) {
      if (!survivors.has(before)) throw new Error(`retention order: ${t.type} waits for ${before}, which is decided later`)
    }
    const kept = new Set<string>()
    const d: TypeDecision = {type: t.type, code: t.code, retainMonths: t.retainMonths, eligible: [], held: 0, blockedByRequest: 0, waiting: 0}
    for (const c of t.candidates) {
      let survives = true
      if (!isDue(c.trigger, t.retainMonths, input.asOf) || (input.only && !input.only.get(t.type)?.has(c.id))) {
        // Not due yet (or not among the records a review froze): kept without being counted.
      } else if (input.holds.some((h) => holdCovers(h, t.type, c.subjects))) {
        d.held++
      } else if (c.subjects.some((s) => input.openRequestSubjects.has(s))) {
        d.blockedByRequest++
      } else if (t.afterGone.some((before) => c.subjects.some((s) => survivors.get(before)!.has(s)))) {
        d.waiting++
      } else {
        d.eligible.push(c.id)
        survives = false
      }
      if (survives) for (const s of c.subjects) kept.add(s)
    }
    survivors.set(t.type, kept)
    decisions.push(d)
  }
  return decisions
}
