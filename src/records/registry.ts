import type {Store} from '../store/index.js'
import {type RecordTypeEntry, type RetentionCandidate, type SubjectKeys, REACH_REQUESTED, candidatesOf, subjectKeys} from './kit.js'
import {REGISTRY, type RecordType} from './types/index.js'

export {REGISTRY}
export type {RecordTypeEntry, RetentionCandidate, SubjectKeys}
export {REACH_REQUESTED, candidatesOf, subjectKeys}

/**
 * The registry's questions, answered from the record type modules (types/index.ts): which names are record
 * types, how a record is named on the command line, and which record of a subject a name means.
 */

export const RECORD_TYPES: readonly RecordType[] = REGISTRY.map((e) => e.type)
export type {RecordType}

export function isRecordType(value: string): value is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(value)
}

/** The types named in a module's afterGone or carries: names of registered types (held so by a test). */
export const typesNamed = (names: readonly string[] | undefined): RecordType[] => (names ?? []).filter(isRecordType)

/** The record type whose id is the subject's own employee_id: their profile. */
export const PROFILE: RecordTypeEntry<RecordType> = REGISTRY.find((e) => e.idIsSubject === true)!

/** How a record is named on the command line, for messages. */
export const RECORD_REF_FORM = `<recordType>:<id>, recordType one of ${RECORD_TYPES.join(', ')} (e.g. ${PROFILE.type}:E1001)`

/** A record named `<recordType>:<id>` (the id may be empty: the caller decides whether it may); null when the type is unknown. */
export function parseRecordRef(text: string): {type: RecordType; id: string} | null {
  const [type = '', ...rest] = text.trim().split(':')
  return isRecordType(type) ? {type, id: rest.join(':').trim()} : null
}

export function registryEntry(type: RecordType): RecordTypeEntry<RecordType> {
  return REGISTRY.find((e) => e.type === type)!
}

/**
 * The record `<type>:<id>` among the records about the subject, as `find` returns it; undefined when the
 * subject has no such record. Ids compare without regard to case (E1001, e1001).
 */
export async function findSubjectRecord(store: Store, subject: SubjectKeys, ref: {type: RecordType; id: string}): Promise<Record<string, unknown> | undefined> {
  const entry = registryEntry(ref.type)
  const wanted = ref.id.toUpperCase()
  return (await entry.find(store, subject)).find((record) => entry.refOf(record).toUpperCase() === wanted)
}
