import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {CustodianError, ExitCode, notFound, usage} from '../errors.js'
import {SYSTEM_IDS, type SystemId} from '../records/kit.js'
import {REGISTRY} from '../records/registry.js'
import {scheduleRows} from '../retention/queries.js'
import {type Store, inTransaction} from '../store/index.js'
import {prepareOutput, writeDurable} from '../store/outputs.js'
import {quoteValue} from '../text/redact.js'
import {type NoticeCategory, renderNotice} from './notice.js'
import {type RoutineUseRow, type SystemRow, putRoutineUse, routineUseByCode, routineUsesOf, systemRows} from './queries.js'

/**
 * The systems of records (RULES.md "Systems of records"): their notice texts and routine uses are data in the
 * store (migration 0008); which record types each holds, what they are retrieved by and how long they are
 * kept come from the record-type registry and the retention schedules, so a notice says what the store does.
 */

export interface SystemSummary {
  id: string
  name: string
  sorn: string
  recordTypes: string[]
}

export interface CategoryOfRecords {
  recordType: string
  description: string
  retrievedBy: string[]
  schedule: string
  retainMonths: number
  trigger: string
}

export interface RoutineUseView {
  code: string
  description: string
}

export interface SystemView {
  id: string
  name: string
  sorn: string
  authority: string
  purposes: string
  categoriesOfIndividuals: string
  categoriesOfRecords: CategoryOfRecords[]
  routineUses: RoutineUseView[]
  safeguards: string
  recordAccessProcedures: string
  contestingProcedures: string
  notificationProcedures: string
}

/** Built-in systems first, in RULES.md's order; any other after them by id. */
function bySystemOrder(a: {id: string}, b: {id: string}): number {
  const rank = (id: string) => {
    const i = (SYSTEM_IDS as readonly string[]).indexOf(id)
    return i === -1 ? SYSTEM_IDS.length : i
  }
  return rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Routine-use codes in their order: a number in the code compares as a number (-2 before -10), names after. */
export function byRoutineUseCode(a: {code: string}, b: {code: string}): number {
  return a.code.localeCompare(b.code, 'en', {numeric: true})
}

const recordTypesOf = (systemId: string) => REGISTRY.filter((e) => e.system === systemId)

export async function listSystems(store: Store, operator: Operator): Promise<{systems: SystemSummary[]}> {
  authorize(operator, 'systems.list')
  const rows = (await systemRows(store)).sort(bySystemOrder)
  return {systems: rows.map((r) => ({id: r.id, name: r.name, sorn: r.sorn, recordTypes: recordTypesOf(r.id).map((e) => e.type)}))}
}

/** The system named by id (any case); exit 5, SYSTEM_NOT_FOUND, naming the systems there are. */
async function findSystem(store: Store, id: string): Promise<SystemRow> {
  const rows = await systemRows(store)
  const wanted = id.trim().toUpperCase()
  const row = rows.find((r) => r.id.toUpperCase() === wanted)
  if (!row) throw notFound('SYSTEM_NOT_FOUND', `No system of records "${quoteValue(id)}". Systems: ${rows.sort(bySystemOrder).map((r) => r.id).join(', ')}.`, {system: id})
  return row
}

/** The record types the store keeps in the system, each with its retention schedule as the store has it. */
async function categoriesOf(store: Store, systemId: string): Promise<NoticeCategory[]> {
  const schedules = new Map((await scheduleRows(store)).map((s) => [s.code, s]))
  return recordTypesOf(systemId).map((e) => {
    const s = schedules.get(e.schedule)
    if (!s) throw new CustodianError('SCHEDULE_MISSING', `The store has no retention schedule ${e.schedule} for ${e.type}; run custodian init to migrate it.`, ExitCode.internal)
    return {recordType: e.type, description: e.title, retrievedBy: [...e.retrievedBy], schedule: s.code, retainMonths: s.retain_months, trigger: s.trigger, action: s.action, authority: s.authority}
  })
}

async function routineUses(store: Store, systemId: string): Promise<RoutineUseView[]> {
  return (await routineUsesOf(store, systemId)).sort(byRoutineUseCode).map((u) => ({code: u.code, description: u.description}))
}

export async function showSystem(store: Store, operator: Operator, id: string): Promise<SystemView> {
  authorize(operator, 'systems.show')
  const row = await findSystem(store, id)
  const categories = await categoriesOf(store, row.id)
  return {
    id: row.id, name: row.name, sorn: row.sorn, authority: row.authority, purposes: row.purposes,
    categoriesOfIndividuals: row.categories_of_individuals,
    categoriesOfRecords: categories.map(({action: _a, authority: _u, retrievedBy, ...c}) => ({...c, retrievedBy: [...retrievedBy]})),
    routineUses: await routineUses(store, row.id),
    safeguards: row.safeguards, recordAccessProcedures: row.record_access, contestingProcedures: row.contesting,
    notificationProcedures: row.notification,
  }
}

export interface NoticeResult {
  id: string
  /** The file written with --out, else null. */
  file: string | null
  sha256: string
  /** The notice, when it was not written to a file. */
  markdown: string | null
}

/** The system's notice, generated from the store; with `out`, written through the output protocol (0600). */
export async function systemNotice(store: Store, operator: Operator, id: string, out?: string): Promise<NoticeResult> {
  authorize(operator, 'systems.notice')
  const row = await findSystem(store, id)
  const markdown = renderNotice({
    id: row.id, name: row.name, sorn: row.sorn, securityClassification: row.security_classification, location: row.location,
    manager: row.manager, authority: row.authority, purposes: row.purposes, categoriesOfIndividuals: row.categories_of_individuals,
    categoriesOfRecords: row.categories_of_records, recordSources: row.record_sources, storage: row.storage, safeguards: row.safeguards,
    recordAccessProcedures: row.record_access, contestingProcedures: row.contesting, notificationProcedures: row.notification,
    exemptions: row.exemptions, history: row.history,
    categories: await categoriesOf(store, row.id), routineUses: await routineUses(store, row.id),
  })
  const digest = sha256(markdown)
  if (!out) return {id: row.id, file: null, sha256: digest, markdown}
  const output = await prepareOutput(store, out, {label: '--out', kind: 'file', replace: true, purpose: 'systems.notice'})
  try {
    writeDurable(output.tmp, markdown)
    await inTransaction(store, async () => {
      await appendAudit(store, operator.name, {action: 'systems.notice', recordType: 'system', recordId: row.id, digest})
      await output.commitWith()
    })
    await output.publish()
  } catch (error) {
    await output.discard()
    throw error
  }
  return {id: row.id, file: out, sha256: digest, markdown: null}
}

/** The routine use payroll exports of a system are accounted under (RULES.md: `OPM/GOVT-1-PAY`). */
export const payrollRoutineUse = (system: SystemId): string => `${system}-PAY`

/**
 * The routine use, as stored, that a disclosure of a record of `system` cites: `code` (any case) must be one
 * of that system's routine uses; otherwise exit 2, ROUTINE_USE_UNKNOWN, listing the valid codes.
 */
export async function routineUseOfSystem(store: Store, system: SystemId, code: string): Promise<string> {
  const uses = (await routineUsesOf(store, system)).sort(byRoutineUseCode)
  const found = uses.find((u) => u.code.toUpperCase() === code.trim().toUpperCase())
  if (found) return found.code
  const valid = uses.map((u) => u.code)
  throw new CustodianError('ROUTINE_USE_UNKNOWN',
    `"${quoteValue(code)}" is not a routine use of ${system}, the system of records that holds the disclosed record. ${
      valid.length === 0 ? `${system} has no routine uses.` : `Its routine uses: ${valid.join(', ')}.`} See: custodian systems show ${system}`,
    ExitCode.usage, {routineUse: code, system, validCodes: valid})
}

const CODE_TAIL = /^(?:\d{1,4}|[A-Z][A-Z0-9]{0,19})$/
const MAX_DESCRIPTION = 4000

export interface RoutineUseSetResult extends RoutineUseView {
  system: string
  /** The description it replaced; null for a new routine use. */
  previous: string | null
}

/** Adds a routine use to a system, or changes its description (admin); audited. */
export async function setRoutineUse(store: Store, operator: Operator, systemId: string, code: string, description: string): Promise<RoutineUseSetResult> {
  authorize(operator, 'systems.manage')
  const system = await findSystem(store, systemId)
  const wanted = code.trim().toUpperCase()
  const prefix = `${system.id.toUpperCase()}-`
  if (!wanted.startsWith(prefix) || !CODE_TAIL.test(wanted.slice(prefix.length))) {
    throw usage(`A routine use of ${system.id} is coded ${system.id}-<n> (a number) or ${system.id}-<NAME> (letters and digits, up to 20); not "${quoteValue(code)}".`, {routineUse: code})
  }
  const text = description.trim()
  if (text === '') throw usage('--description is required and may not be empty.')
  if ([...text].length > MAX_DESCRIPTION) throw usage(`--description is longer than ${MAX_DESCRIPTION} characters.`)
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) throw usage('--description may not contain control characters.')
  const finalCode = `${system.id}-${wanted.slice(prefix.length)}`
  return inTransaction(store, async () => {
    const existing: RoutineUseRow | undefined = await routineUseByCode(store, finalCode)
    if (existing && existing.system_id !== system.id) throw usage(`${finalCode} is a routine use of ${existing.system_id}.`)
    const at = new Date().toISOString()
    await putRoutineUse(store, {code: finalCode, system_id: system.id, description: text, updated_at: at, updated_by: operator.name}, existing !== undefined)
    await appendAudit(store, operator.name, {action: 'systems.routine-use.set', recordType: 'routine_use', recordId: finalCode, digest: sha256(text)}, at)
    return {system: system.id, code: finalCode, description: text, previous: existing?.description ?? null}
  })
}
