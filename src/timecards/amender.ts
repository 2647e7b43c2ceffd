import {payPeriodEnd} from '../calendar/payperiods.js'
import {conflict, notFound, usage} from '../errors.js'
import type {Amender} from '../records/kit.js'
import {timecard as timecardRecord} from '../records/types/index.js'
import type {Store} from '../store/index.js'
import {type CardLine, parseQuarterHours} from './checks.js'
import {type CardRow, cardById, hourTypeCodes, linesOfCard} from './queries.js'
import {replaceCardLines} from './service.js'

/**
 * A Privacy Act amendment of a timecard: one line, named `line:<workDate>:<hourType>[:<accountingCode>]`, its
 * value the hours it should hold (quarter hours; 0 takes the line off the card). A grant amends the card as
 * `timecards amend` does (replaceCardLines): a new draft version, which validate and certify must pass again
 * before an export takes it. The accounting code is needed only to add a line or to tell apart lines of the
 * same day and hour type.
 */
const LINE = /^line:(\d{4}-\d{2}-\d{2}):([A-Za-z0-9]{1,8})(?::([^:\s]{1,32}))?$/i

interface LineField {
  workDate: string
  hourType: string
  accountingCode: string | null
}

function parseField(field: string): LineField {
  const m = LINE.exec(field.trim())
  if (!m) throw usage(`--field ${field} is not amendable on ${timecardRecord.type} records; amendable fields: ${(timecardRecord.amendable ?? []).join(', ')} (e.g. line:2026-11-12:REG, the value being its hours).`)
  return {workDate: m[1], hourType: m[2].toUpperCase(), accountingCode: m[3]?.toUpperCase() ?? null}
}

/** Hours as hundredths: a quarter hour from 0 (no line) to 24. */
function parseHours(value: string): number {
  const v = value.trim()
  if (/^0+(\.0+)?$/.test(v)) return 0
  const h = parseQuarterHours(v)
  if (h === null) throw usage(`--value ${value} is not hours a timecard line holds: 0 (no line) to 24 in quarter hours (8, 7.5, 0.25).`)
  return h
}

async function card(store: Store, record: Record<string, unknown>): Promise<CardRow> {
  const c = await cardById(store, Number(record.id))
  if (!c) throw notFound('RECORD_NOT_FOUND', `No ${timecardRecord.type} record ${String(record.id)}.`)
  return c
}

/** The card's lines (or `from`) with the one named set to `hours`; the line's current hours (hundredths) or null. */
async function changedLines(store: Store, c: CardRow, f: LineField, hours: number, from?: CardLine[]): Promise<{lines: CardLine[]; current: number | null; key: string}> {
  if (f.workDate < c.pay_period_start || f.workDate > payPeriodEnd(c.pay_period_start)) {
    throw usage(`${f.workDate} is outside the card's pay period ${c.pay_period_start} – ${payPeriodEnd(c.pay_period_start)}.`)
  }
  if (!(await hourTypeCodes(store)).has(f.hourType)) throw usage(`${f.hourType} is not an hour type (hour_types).`)
  const lines: CardLine[] = from ?? (await linesOfCard(store, c.id)).map((l) => ({workDate: l.work_date, hourType: l.hour_type, hours: l.hours, accountingCode: l.accounting_code}))
  const same = lines.filter((l) => l.workDate === f.workDate && l.hourType === f.hourType && (f.accountingCode === null || l.accountingCode === f.accountingCode))
  if (same.length > 1) throw usage(`The card has ${same.length} ${f.hourType} lines on ${f.workDate}; name one: ${same.map((l) => `line:${f.workDate}:${f.hourType}:${l.accountingCode}`).join(', ')}.`)
  const [line] = same
  if (!line && f.accountingCode === null) throw usage(`The card has no ${f.hourType} line on ${f.workDate}; to add one, name its accounting code: line:${f.workDate}:${f.hourType}:<accountingCode>.`)
  const accountingCode = line?.accountingCode ?? f.accountingCode!
  const rest = lines.filter((l) => l !== line)
  const next = hours === 0 ? rest : [...rest, {workDate: f.workDate, hourType: f.hourType, hours, accountingCode}]
  if (next.length === 0) throw usage('The amendment would leave the card with no line; a card holds at least one.')
  return {lines: next, current: line?.hours ?? null, key: `line:${f.workDate}:${f.hourType}:${accountingCode}`}
}

const hoursText = (h: number) => String(h / 100)

const amender: Amender = {
  async check(store, record, field, value) {
    const f = parseField(field)
    const hours = parseHours(value)
    const c = await card(store, record)
    if (c.is_current !== 1) throw usage(`${timecardRecord.type}:${c.id} is version ${c.version} of its card, not the current one; amend the current version (requests search lists them).`)
    const {current, key} = await changedLines(store, c, f, hours)
    if (current === hours) throw usage(`The line ${key} already holds ${hoursText(hours)} hours.`)
    return {field: key, current: current === null ? null : hoursText(current), requested: hoursText(hours)}
  },
  async apply(store, operator, record, changes, opts) {
    const c = await card(store, record)
    if (c.is_current !== 1) throw conflict('CARD_NOT_CURRENT', `${timecardRecord.type}:${c.id} was amended since the amendment was stated (it is no longer the current version); state it again on the current version.`)
    let lines: CardLine[] | undefined
    for (const {field, value} of changes) lines = (await changedLines(store, c, parseField(field), parseHours(value), lines)).lines
    await replaceCardLines(store, operator, c, lines!, opts.reason, opts.at)
  },
}

export default amender
