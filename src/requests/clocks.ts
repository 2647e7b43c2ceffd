import type {CivilDate} from '../calendar/dates.js'
import {addWorkingDays} from '../calendar/workdays.js'

/**
 * Privacy Act request clocks (RULES.md): pure functions over civil dates. Counting starts the first
 * working day after the received date (day 1); working days come from calendar/ (weekends, observed
 * federal holidays, the store's closure days).
 */
export const REQUEST_TYPES = ['access', 'amendment', 'accounting'] as const
export type RequestType = (typeof REQUEST_TYPES)[number]

export interface ClockDays {
  /** The working day by which receipt is acknowledged. */
  acknowledge: number
  /** The working day by which the request is answered. */
  due: number
}

/** Built-in working-day periods; the store setting `requests.clocks` (JSON, same shape) may change them. */
export const DEFAULT_CLOCKS: Record<RequestType, ClockDays> = {
  // No statutory access deadline: the FOIA-style 20 working days most agencies adopt.
  access: {acknowledge: 10, due: 20},
  // 5 U.S.C. 552a(d)(2)(A): acknowledge within 10 working days.
  amendment: {acknowledge: 10, due: 30},
  accounting: {acknowledge: 10, due: 20},
}

export interface Clocks {
  acknowledgeBy: CivilDate
  dueBy: CivilDate
}

export function requestClocks(type: RequestType, received: CivilDate, closures: ReadonlySet<CivilDate> = new Set(), days: Record<RequestType, ClockDays> = DEFAULT_CLOCKS): Clocks {
  const d = days[type]
  return {acknowledgeBy: addWorkingDays(received, d.acknowledge, closures), dueBy: addWorkingDays(received, d.due, closures)}
}

/** The due date moved by an extension of n working days, counted from the current due date. */
export function extendDue(dueBy: CivilDate, workingDays: number, closures: ReadonlySet<CivilDate> = new Set()): CivilDate {
  return addWorkingDays(dueBy, workingDays, closures)
}

/** A request is overdue when it is still open after its due date. */
export function isOverdue(r: {status: string; dueBy: CivilDate}, asOf: CivilDate): boolean {
  return r.status === 'open' && asOf > r.dueBy
}

/** Reads the `requests.clocks` setting (partial overrides allowed); invalid content falls back to the defaults. */
export function clockDays(setting: string | undefined): Record<RequestType, ClockDays> {
  if (!setting) return DEFAULT_CLOCKS
  let parsed: unknown
  try {
    parsed = JSON.parse(setting)
  } catch {
    return DEFAULT_CLOCKS
  }
  const out = {...DEFAULT_CLOCKS}
  for (const type of REQUEST_TYPES) {
    const v = (parsed as Record<string, Partial<ClockDays>> | null)?.[type]
    const ok = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 365
    if (v && ok(v.acknowledge) && ok(v.due)) out[type] = {acknowledge: v.acknowledge!, due: v.due!}
  }
  return out
}
