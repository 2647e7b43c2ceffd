import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {isRealDate} from '../calendar/dates.js'
import {closureDays} from '../closures/service.js'
import {observedHolidaysBetween} from '../calendar/holidays.js'
import {isPayPeriodStart, payPeriodEnd, payPeriodNumber, payPeriodStartOf} from '../calendar/payperiods.js'
import {CustodianError, ExitCode, conflict, notFound, usage} from '../errors.js'
import {fileError, mapHeader, readCsv, assertReadableFile} from '../csv/read.js'
import {findEmployeeInScope} from '../personnel/service.js'
import {quoteValue} from '../text/redact.js'
import {type Store, getSetting, inTransaction} from '../store/index.js'
import {appendCardHistory} from './history.js'
import {type CardRow, type CardStatus, cardOf, cardSummaries, historyOfCard, hourTypeCodes, insertCard, insertLines, linesOfCard, updateCard} from './queries.js'
import {type PendingLeave, sqliteValidateJob} from './validate-sqlite.js'
import {warmUpCardLinesWorker} from './card-lines-worker.js'
import type {DraftCard} from './draft-cards.js'
import {sqliteCertifyJob} from './certify-sqlite.js'
import {type CardContext, type CardFinding, type CardLine, TIMESHEET_COLUMNS, type TimesheetRow, checkTimesheetRow, parseQuarterHours} from './checks.js'
import {timecard as timecardRecord} from '../records/types/index.js'

/** The PostgreSQL engine, loaded only for a PostgreSQL store. */
const postgresValidateJob = async (store: Store) => (await import('./validate-postgres.js')).postgresValidateJob(store)
const postgresCertifyJob = async (store: Store) => (await import('./certify-postgres.js')).postgresCertifyJob(store)

export type {CardStatus} from './queries.js'

export async function payPeriodAnchor(store: Store): Promise<string> {
  return (await getSetting(store, 'payperiod.anchor')) ?? '2026-01-11'
}

/** Validates a --pay-period flag: a real date that starts a pay period. */
export async function parsePayPeriod(store: Store, value: string): Promise<string> {
  const anchor = await payPeriodAnchor(store)
  const v = value.trim()
  if (!isRealDate(v)) throw usage(`--pay-period "${value}" is not a real date; give the pay period's start date (YYYY-MM-DD).`)
  if (!isPayPeriodStart(v, anchor)) throw usage(`--pay-period ${v} is not the start of a pay period; the period containing it starts ${payPeriodStartOf(v, anchor)}.`)
  return v
}

/** Observed holidays and the store's closure days of one pay period: date → name. */
export async function daysOff(store: Store, periodStart: string): Promise<Map<string, string>> {
  const end = payPeriodEnd(periodStart)
  const days = new Map(observedHolidaysBetween(periodStart, end))
  for (const [date, reason] of await closureDays(store)) if (date >= periodStart && date <= end) days.set(date, `closure: ${reason}`)
  return days
}

// ---------------------------------------------------------------------------------------------------------
// validate

export interface ValidateFinding {
  employeeId: string
  payPeriod: string
  version: number
  code: string
  severity: 'error' | 'warning'
  message: string
  workDate?: string
}

export interface ValidateResult {
  checked: number
  validated: number
  failed: number
  findings: ValidateFinding[]
}

/**
 * Runs the TC-* checks on draft cards in scope. Cards without an error become validated; every card's
 * findings are kept on it (timecards show). One transaction; the cards' lines are read a run of cards at a time.
 */
export async function validateCards(store: Store, operator: Operator, opts: {payPeriod?: string; employeeId?: string}): Promise<ValidateResult> {
  authorize(operator, 'timecards.validate')
  // A worker thread reads the cards' lines (validate-sqlite.ts): started while this one starts.
  if (store.engine === 'sqlite' && !opts.employeeId) warmUpCardLinesWorker()
  const employeeId = opts.employeeId ? (await findEmployeeInScope(store, operator, opts.employeeId)).employee_id : undefined
  const now = new Date().toISOString()
  const result: ValidateResult = {checked: 0, validated: 0, failed: 0, findings: []}
  return inTransaction(store, async () => {
    const job = store.engine === 'sqlite' ? sqliteValidateJob(store) : await postgresValidateJob(store)
    let cards: DraftCard[] = []
    try {
      const towardTour = await job.towardTour()
      cards = await job.draftCards({payPeriod: opts.payPeriod, employeeId, orgPrefix: operator.orgPrefix})
      const periods = [...new Set(cards.map((c) => c.pay_period_start))].sort()
      const pending = periods.length > 0 ? await job.pendingLeave(periods.at(-1)!) : new Map<number, PendingLeave[]>()
      const holidaysByPeriod = new Map<string, Map<string, string>>()
      for (const period of periods) holidaysByPeriod.set(period, await daysOff(store, period))
      await job.start()
      const contextOf = (card: DraftCard): CardContext => {
        const earlier = (pending.get(card.employee_ref) ?? []).filter((p) => p.period < card.pay_period_start)
        // An amendment of an exported card replaces leave that export already debited: count it back.
        const back = card.version > 1 ? job.exportedLeave(card) : {al: 0, sl: 0, ct: 0}
        const used = (k: 'al' | 'sl' | 'ct') => earlier.reduce((s, p) => s + p[k], 0) - back[k]
        return {
          tour: card.tour_of_duty, scheduledHours: card.scheduled_hours, hireDate: card.hire_date, separationDate: card.separation_date,
          payPeriodStart: card.pay_period_start, towardTour, holidays: holidaysByPeriod.get(card.pay_period_start)!,
          available: {annual: card.annual_leave_balance - used('al'), sick: card.sick_leave_balance - used('sl'), compTime: card.comp_time_balance - used('ct')},
        }
      }
      let i = 0
      for await (const run of job.check(cards, contextOf)) {
        for (const findings of run) {
          const card = cards[i++]
          result.checked++
          const failed = findings.some((f) => f.severity === 'error')
          if (failed) result.failed++
          else result.validated++
          job.record(card, {failed, findings, at: now, actor: operator.name})
          for (const f of findings) result.findings.push({employeeId: card.employee_id, payPeriod: card.pay_period_start, version: card.version, ...f})
        }
      }
    } finally {
      await job.finish() // also ends the engine's reading of lines when something failed, before the ROLLBACK
    }
    await appendAudit(store, operator.name, {action: 'timecards.validate', recordType: timecardRecord.type, digest: sha256(cards.map((c) => c.id).join(','))}, now)
    return result
  })
}

// ---------------------------------------------------------------------------------------------------------
// certify

export interface CertifyResult {
  certified: number
  skipped: {employeeId: string; reason: string}[]
}

/**
 * A supervisor certifies validated cards in scope; never their own. Set-wise (certify-sqlite.ts,
 * certify-postgres.ts): the cards it leaves alone are listed with why, then the rest are certified, sealed
 * (seal-text.ts) and given their history in one statement each.
 */
export async function certifyCards(store: Store, operator: Operator, opts: {payPeriod: string; employeeIds?: string[]}): Promise<CertifyResult> {
  authorize(operator, 'timecards.certify')
  const requested = opts.employeeIds?.map((e) => e.trim().toUpperCase())
  const now = new Date().toISOString()
  return inTransaction(store, async () => {
    const job = store.engine === 'sqlite' ? sqliteCertifyJob(store) : await postgresCertifyJob(store)
    const query = {payPeriod: opts.payPeriod, requested, orgPrefix: operator.orgPrefix, ownEmployeeId: operator.employeeId || null}
    const result: CertifyResult = {certified: 0, skipped: await job.skipped(query)}
    const certified = await job.certify(query, {at: now, actor: operator.name})
    result.certified = certified.length
    if (requested?.length) {
      const withCards = await job.withCards(opts.payPeriod, requested)
      for (const id of requested) if (!withCards.has(id)) result.skipped.push({employeeId: id, reason: 'no-card'})
    }
    await appendAudit(store, operator.name, {action: 'timecards.certify', recordType: timecardRecord.type, digest: sha256(certified.join(','))}, now)
    return result
  })
}

// ---------------------------------------------------------------------------------------------------------
// show, list, history

export interface TimecardView {
  employeeId: string
  payPeriod: string
  payPeriodNumber: string
  version: number
  status: CardStatus
  lines: {workDate: string; hourType: string; hours: number; accountingCode: string}[]
  totals: Record<string, number>
  findings: CardFinding[]
  certifiedBy: string | null
  reason: string | null
}

async function currentCard(store: Store, operator: Operator, employeeId: string, payPeriod: string, version?: number) {
  const e = await findEmployeeInScope(store, operator, employeeId)
  const card = await cardOf(store, e.id, payPeriod, version)
  if (!card) throw notFound('TIMECARD_NOT_FOUND', `No timecard${version ? ` version ${version}` : ''} for ${e.employee_id} in the pay period starting ${payPeriod}.`)
  return {employee: e, card}
}

export async function showCard(store: Store, operator: Operator, employeeId: string, payPeriod: string, version?: number): Promise<TimecardView> {
  authorize(operator, 'timecards.show')
  const {employee, card} = await currentCard(store, operator, employeeId, payPeriod, version)
  const lines = await linesOfCard(store, card.id)
  const totals: Record<string, number> = {}
  for (const l of lines) totals[l.hour_type] = ((totals[l.hour_type] ?? 0) * 100 + l.hours) / 100
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'timecards.show', recordType: timecardRecord.type, recordId: card.id}))
  return {
    employeeId: employee.employee_id, payPeriod: card.pay_period_start, payPeriodNumber: payPeriodNumber(card.pay_period_start, await payPeriodAnchor(store)),
    version: card.version, status: card.status,
    lines: lines.map((l) => ({workDate: l.work_date, hourType: l.hour_type, hours: l.hours / 100, accountingCode: l.accounting_code})),
    totals, findings: JSON.parse(card.findings) as CardFinding[], certifiedBy: card.certified_by, reason: card.reason,
  }
}

export interface TimecardSummary {
  employeeId: string
  payPeriod: string
  version: number
  status: CardStatus
  totalHours: number
}

export async function listCards(store: Store, operator: Operator, opts: {payPeriod?: string; status?: CardStatus}): Promise<TimecardSummary[]> {
  authorize(operator, 'timecards.list')
  const rows = await cardSummaries(store, {payPeriod: opts.payPeriod, status: opts.status, orgPrefix: operator.orgPrefix})
  return rows.map((r) => ({employeeId: r.employee_id, payPeriod: r.pay_period_start, version: r.version, status: r.status, totalHours: Number(r.total) / 100}))
}

export interface HistoryEntry {
  at: string
  actor: string
  action: string
  version: number
  changes: {field: string; from: unknown; to: unknown}[]
  reason: string | null
}

export async function cardHistory(store: Store, operator: Operator, employeeId: string, payPeriod: string): Promise<HistoryEntry[]> {
  authorize(operator, 'timecards.history')
  const e = await findEmployeeInScope(store, operator, employeeId)
  const rows = await historyOfCard(store, e.id, payPeriod)
  if (rows.length === 0) throw notFound('TIMECARD_NOT_FOUND', `No timecard for ${e.employee_id} in the pay period starting ${payPeriod}.`)
  return rows.map((r) => ({at: r.at, actor: r.actor, action: r.action, version: r.version, changes: JSON.parse(r.changes), reason: r.reason}))
}

// ---------------------------------------------------------------------------------------------------------
// amend

export interface AmendResult {
  employeeId: string
  payPeriod: string
  version: number
  status: CardStatus
}

/** Reads an amendment's lines file: all lines valid and inside the pay period, or nothing (exit 3). */
async function readAmendLines(store: Store, file: string, employeeId: string, payPeriod: string): Promise<CardLine[]> {
  assertReadableFile(file)
  const anchor = await payPeriodAnchor(store)
  const hourTypes = await hourTypeCodes(store)
  const columns = TIMESHEET_COLUMNS.map((c) => ({...c, required: c.name !== 'employee_id' && c.required}))
  const lines: CardLine[] = []
  const errors: {row: number; column: string; code: string; message: string}[] = []
  const seen = new Set<string>()
  let fields: [string, number][] | undefined
  for await (const {row, cells} of readCsv(file)) {
    if (!fields) {
      fields = [...mapHeader(cells, columns, false).index.entries()]
      continue
    }
    const v: TimesheetRow = {employee_id: employeeId}
    for (const [name, i] of fields) (v as Record<string, string>)[name] = cells[i].trim()
    const rowErrors = checkTimesheetRow(v, hourTypes, anchor).map((f) => ({row, ...f}))
    if ((v.employee_id ?? '').toUpperCase() !== employeeId) rowErrors.push({row, column: 'employee_id', code: 'TS-EMPLOYEE', message: `employee_id ${quoteValue(v.employee_id ?? '')} is not the employee being amended (${employeeId}).`})
    if (rowErrors.length === 0 && payPeriodStartOf(v.work_date!, anchor) !== payPeriod) {
      rowErrors.push({row, column: 'work_date', code: 'TS-PERIOD', message: `work_date ${v.work_date} is outside the pay period ${payPeriod} – ${payPeriodEnd(payPeriod)}.`})
    }
    if (rowErrors.length === 0) {
      const line = {workDate: v.work_date!, hourType: v.hour_type!.toUpperCase(), hours: parseQuarterHours(v.hours!)!, accountingCode: v.accounting_code!.toUpperCase()}
      const key = `${line.workDate} ${line.hourType} ${line.accountingCode}`
      if (seen.has(key)) rowErrors.push({row, column: 'hour_type', code: 'TS-DUP-ROW', message: `${key} appears earlier in this file.`})
      seen.add(key)
      lines.push(line)
    }
    errors.push(...rowErrors)
  }
  if (!fields) throw fileError('CSV-EMPTY', `${file} is empty: it has no header row.`)
  if (errors.length > 0) {
    throw new CustodianError('AMEND_REJECTED', `${errors.length} problem${errors.length > 1 ? 's' : ''} in ${file}; the card was not amended. First: row ${errors[0].row} ${errors[0].code} ${errors[0].message}`, ExitCode.checksFailed, {errors: errors.slice(0, 100)})
  }
  if (lines.length === 0) throw fileError('CSV-EMPTY', `${file} has a header but no lines; an amendment replaces the card's lines, so give all of them.`)
  return lines
}

/** Replaces the lines of a certified or exported card with a new draft version; earlier versions stay. */
export async function amendCard(store: Store, operator: Operator, opts: {employeeId: string; payPeriod: string; linesFile: string; reason: string}): Promise<AmendResult> {
  authorize(operator, 'timecards.amend')
  const reason = opts.reason.trim()
  if (reason === '') throw usage('--reason must say why the card is amended.')
  const employee = await findEmployeeInScope(store, operator, opts.employeeId)
  const lines = await readAmendLines(store, opts.linesFile, employee.employee_id, opts.payPeriod)
  const now = new Date().toISOString()
  return inTransaction(store, async () => {
    const {card} = await currentCard(store, operator, employee.employee_id, opts.payPeriod)
    const version = await replaceCardLines(store, operator, card, lines, reason, now)
    return {employeeId: employee.employee_id, payPeriod: card.pay_period_start, version, status: 'draft' as const}
  })
}

/**
 * The amendment of a certified or exported card (one home: `timecards amend` and a granted Privacy Act
 * amendment): its lines are replaced by a new draft version, which must be validated and certified again
 * before an export takes it; earlier versions stay, read-only, and the history names the changed lines and
 * the reason. Returns the new version. Inside the caller's transaction; the caller authorizes.
 */
export async function replaceCardLines(store: Store, operator: Operator, card: CardRow, lines: readonly CardLine[], reason: string, now: string): Promise<number> {
  if (card.status !== 'certified' && card.status !== 'exported') {
    throw conflict('CARD_NOT_AMENDABLE', `The card is ${card.status}; only certified or exported cards are amended. Correct a ${card.status} card by importing its lines again.`)
  }
  const old = await linesOfCard(store, card.id)
  const version = card.version + 1
  await updateCard(store, card.id, {is_current: 0})
  const id = await insertCard(store, {
    employee_ref: card.employee_ref, pay_period_start: card.pay_period_start, version, status: 'draft', is_current: 1, reason,
    created_at: now, updated_at: now, certified_by: null, certified_at: null, export_batch_id: null,
  })
  await insertLines(store, lines.map((l) => ({
    timecard_id: id, work_date: l.workDate, hour_type: l.hourType, hours: l.hours, accounting_code: l.accountingCode, batch_id: null,
  })))
  const before = new Map(old.map((l) => [`${l.work_date} ${l.hour_type} ${l.accounting_code}`, l.hours / 100]))
  const after = new Map(lines.map((l) => [`${l.workDate} ${l.hourType} ${l.accountingCode}`, l.hours / 100]))
  const changes = [...new Set([...before.keys(), ...after.keys()])].sort()
    .filter((k) => before.get(k) !== after.get(k))
    .map((k) => ({field: k, from: before.get(k) ?? null, to: after.get(k) ?? null}))
  await appendCardHistory(store, {timecardId: id, at: now, actor: operator.name, action: 'amend', version, changes, reason})
  await appendAudit(store, operator.name, {action: 'timecards.amend', recordType: timecardRecord.type, recordId: id, digest: sha256(JSON.stringify(changes))}, now)
  return version
}
