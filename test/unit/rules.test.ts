import {describe, expect, it} from 'vitest'

import {ACCOUNT_CODES, SIGN_IN_RULES, type SignInRow, toUtcInstant} from '../../src/accounts/checks.js'
import {PERSONNEL_CODES, PERSONNEL_RULES, type PersonnelRow} from '../../src/personnel/checks.js'
import type {ColumnRule} from '../../src/rules.js'
import {type CardContext, type CardDay, TIMECARD_CODES, TIMECARD_RULES, TIMESHEET_CODES, TIMESHEET_RULES, type TimesheetRow} from '../../src/timecards/checks.js'

// One table per rule: rows (or days, or cards) that must make the rule report, and rows that must not. A rule
// added without its cases fails the "every rule has cases" test.

const TODAY = '2026-11-01'
const pe: PersonnelRow = {
  employee_id: 'E1001', ssn: '123-45-6789', last_name: 'Okafor', first_name: 'Ada', middle_name: '', email: 'ada@example.gov',
  pay_plan: 'GS', grade: '11', step: '3', tour_of_duty: 'FT', scheduled_hours: '80', agency_code: 'DT', org_code: 'DT01',
  service_comp_date: '2015-06-01', hire_date: '2015-06-01', separation_date: '', annual_leave_balance: '40', sick_leave_balance: '-8', comp_time_balance: '0',
}
const row = (patch: PersonnelRow): PersonnelRow => ({...pe, ...patch})

const PERSONNEL_CASES: Record<string, {hit: PersonnelRow[]; pass: PersonnelRow[]}> = {
  'PE-REQUIRED employee_id': {hit: [row({employee_id: ''}), row({org_code: ''}), row({last_name: ''})], pass: [pe, row({middle_name: '', email: ''})]},
  'PE-ID employee_id': {hit: [row({employee_id: 'E1'}), row({employee_id: 'E_1001'}), row({employee_id: '123-45-6789'})], pass: [pe, row({employee_id: 'e-1001'}), row({employee_id: ''})]},
  'PE-SSN ssn': {hit: [row({ssn: '000-12-3456'}), row({ssn: '666123456'}), row({ssn: '123-456789'}), row({ssn: '12345678'})], pass: [pe, row({ssn: ''}), row({ssn: '123456789'})]},
  'PE-NAME last_name': {hit: [row({last_name: 'O\'Brien2'}), row({first_name: '---'}), row({middle_name: 'x'.repeat(36)})], pass: [pe, row({last_name: 'Wiśniewski-Łukasz'}), row({first_name: 'J.'})]},
  'PE-EMAIL email': {hit: [row({email: 'ada'}), row({email: 'a@b'}), row({email: 'a b@c.gov'}), row({email: 'a@@b.gov'})], pass: [pe, row({email: ''})]},
  'PE-PAYPLAN pay_plan': {hit: [row({pay_plan: 'XX'})], pass: [pe, row({pay_plan: 'gs'}), row({pay_plan: ''})]},
  'PE-REQUIRED grade': {hit: [row({grade: ''}), row({pay_plan: 'SV', grade: '', step: ''})], pass: [pe, row({pay_plan: 'ES', grade: '', step: ''}), row({pay_plan: 'XX', grade: ''})]},
  'PE-GRADE grade': {hit: [row({grade: '16'}), row({grade: '0'}), row({pay_plan: 'SV', grade: 'N', step: ''}), row({pay_plan: 'ES', grade: '1', step: ''})], pass: [pe, row({grade: '7'}), row({pay_plan: 'SV', grade: 'k', step: ''}), row({grade: ''})]},
  'PE-REQUIRED step': {hit: [row({step: ''}), row({pay_plan: 'WG', grade: '5', step: ''})], pass: [pe, row({pay_plan: 'GM', step: ''}), row({pay_plan: 'XX', step: ''})]},
  'PE-STEP step': {hit: [row({step: '11'}), row({pay_plan: 'WG', step: '6'}), row({pay_plan: 'GM', step: '1'}), row({step: 'x'})], pass: [pe, row({step: '10'}), row({pay_plan: 'GM', step: ''})]},
  'PE-TOUR tour_of_duty': {hit: [row({tour_of_duty: 'XT'})], pass: [pe, row({tour_of_duty: 'pt'}), row({tour_of_duty: ''})]},
  'PE-HOURS scheduled_hours': {hit: [row({scheduled_hours: '79.75'}), row({tour_of_duty: 'PT', scheduled_hours: '30'}), row({tour_of_duty: 'INT', scheduled_hours: '8'}), row({scheduled_hours: 'x'})], pass: [pe, row({tour_of_duty: 'PT', scheduled_hours: '64'}), row({tour_of_duty: 'INT', scheduled_hours: '0'})]},
  'PE-AGENCY agency_code': {hit: [row({agency_code: 'D'}), row({agency_code: 'D-'})], pass: [pe, row({agency_code: 'd7'})]},
  'PE-ORG org_code': {hit: [row({org_code: 'D'}), row({org_code: 'DT-01'})], pass: [pe, row({org_code: 'dt0102030405'})]},
  'PE-REQUIRED service_comp_date': {hit: [row({service_comp_date: ''}), row({tour_of_duty: 'PT', scheduled_hours: '40', service_comp_date: ''})], pass: [pe, row({tour_of_duty: 'INT', scheduled_hours: '0', service_comp_date: ''})]},
  'PE-DATE service_comp_date': {hit: [row({hire_date: '2026-02-30'}), row({service_comp_date: '2027-01-01'}), row({separation_date: '2015-05-31'})], pass: [pe, row({separation_date: '2030-01-01'}), row({hire_date: TODAY})]},
  'PE-BALANCE annual_leave_balance': {hit: [row({annual_leave_balance: '-1'}), row({comp_time_balance: '1.234'}), row({sick_leave_balance: 'x'})], pass: [pe, row({sick_leave_balance: '-40.5'}), row({annual_leave_balance: ''})]},
}

const ts: TimesheetRow = {employee_id: 'E1001', work_date: '2026-11-03', hour_type: 'REG', hours: '8', accounting_code: 'A1', pay_period_start: ''}
const line = (patch: TimesheetRow): TimesheetRow => ({...ts, ...patch})
const tsContext = {hourTypes: new Set(['REG', 'OT', 'AL']), anchor: '2026-01-11'}
const TIMESHEET_CASES: Record<string, {hit: TimesheetRow[]; pass: TimesheetRow[]}> = {
  'TS-REQUIRED employee_id': {hit: [line({employee_id: ''}), line({hours: ''})], pass: [ts]},
  'TS-DATE work_date': {hit: [line({work_date: '2026-11-31'}), line({work_date: '11/03/2026'})], pass: [ts, line({work_date: ''})]},
  'TS-TYPE hour_type': {hit: [line({hour_type: 'XYZ'})], pass: [ts, line({hour_type: 'ot'})]},
  'TS-HOURS hours': {hit: [line({hours: '0'}), line({hours: '24.25'}), line({hours: '1.1'}), line({hours: '-1'})], pass: [ts, line({hours: '0.25'}), line({hours: '24'})]},
  'TS-ACCOUNT accounting_code': {hit: [line({accounting_code: 'A 1'}), line({accounting_code: 'A'.repeat(21)})], pass: [ts, line({accounting_code: 'fy26.ops-1'})]},
  'TS-PERIOD pay_period_start': {hit: [line({pay_period_start: '2026-11-08'})], pass: [ts, line({pay_period_start: '2026-11-01'}), line({work_date: 'x', pay_period_start: '2026-11-08'})]},
}

const card: CardContext = {
  tour: 'FT', scheduledHours: 8000, hireDate: '2015-06-01', separationDate: null, payPeriodStart: '2026-11-01',
  available: {annual: 800, sick: 800, compTime: 0}, towardTour: new Set(['REG', 'AL', 'SL', 'HOL', 'HOLW', 'CTU']), holidays: new Map([['2026-11-11', 'Veterans Day']]),
}
const day = (date: string, hours: Record<string, number>): CardDay => ({date, hours: new Map(Object.entries(hours))})
const cardOf = (hours: Record<string, number>) => new Map(Object.entries(hours))
type DayCase = {day: CardDay; ctx?: Partial<CardContext>}
type TotalCase = {total: Map<string, number>; ctx?: Partial<CardContext>}
const TIMECARD_CASES: Record<string, {hit: (DayCase | TotalCase)[]; pass: (DayCase | TotalCase)[]}> = {
  'TC-DAY-24': {hit: [{day: day('2026-11-03', {REG: 800, OT: 1700})}], pass: [{day: day('2026-11-03', {REG: 800, OT: 1600})}]},
  'TC-HOLIDAY': {hit: [{day: day('2026-11-03', {HOL: 800})}, {day: day('2026-11-04', {HOLW: 800})}], pass: [{day: day('2026-11-11', {HOL: 800})}]},
  'TC-HOL-REG': {hit: [{day: day('2026-11-11', {REG: 800})}], pass: [{day: day('2026-11-11', {REG: 800}), ctx: {tour: 'PT'}}, {day: day('2026-11-12', {REG: 800})}]},
  'TC-EMPLOYMENT': {hit: [{day: day('2026-11-03', {REG: 800}), ctx: {hireDate: '2026-11-04'}}, {day: day('2026-11-05', {REG: 800}), ctx: {separationDate: '2026-11-04'}}], pass: [{day: day('2026-11-04', {REG: 800}), ctx: {hireDate: '2026-11-04', separationDate: '2026-11-04'}}]},
  'TC-PREMIUM': {hit: [{day: day('2026-11-03', {REG: 400, ND: 500})}, {day: day('2026-11-03', {REG: 800, SUN: 800})}], pass: [{day: day('2026-11-01', {REG: 800, SUN: 800, ND: 800})}]},
  'TC-INT-LEAVE': {hit: [{day: day('2026-11-03', {AL: 400}), ctx: {tour: 'INT'}}], pass: [{day: day('2026-11-03', {AL: 400})}, {day: day('2026-11-03', {REG: 400}), ctx: {tour: 'INT'}}]},
  'TC-TOUR': {hit: [{total: cardOf({REG: 7200})}, {total: cardOf({REG: 8800}), ctx: {hireDate: '2026-11-05'}}], pass: [{total: cardOf({REG: 7200, AL: 800})}, {total: cardOf({REG: 4000}), ctx: {hireDate: '2026-11-05'}}, {total: cardOf({REG: 100}), ctx: {tour: 'INT'}}]},
  'TC-LEAVE-AL': {hit: [{total: cardOf({AL: 801})}], pass: [{total: cardOf({AL: 800})}]},
  'TC-LEAVE-CT': {hit: [{total: cardOf({CTU: 25})}], pass: [{total: cardOf({CTU: 25}), ctx: {available: {annual: 0, sick: 0, compTime: 25}}}]},
  'TC-LEAVE-SL': {hit: [{total: cardOf({SL: 801})}], pass: [{total: cardOf({SL: 800})}]},
}

const si: SignInRow = {
  user_id: 'aokafor', name: 'Adaeze Okafor', email: 'adaeze.okafor@agency.example.gov', signed_in_at: '2026-10-05T13:02:11Z',
  department: 'Human Capital', user_role: 'user', employee_id: 'E1001', ip_address: '10.20.4.17', application: 'Mail',
}
const signIn = (patch: SignInRow): SignInRow => ({...si, ...patch})
const SIGN_IN_CASES: Record<string, {hit: SignInRow[]; pass: SignInRow[]}> = {
  'AA-REQUIRED user_id': {hit: [signIn({user_id: ''}), signIn({name: ''}), signIn({email: ''}), signIn({signed_in_at: ''})], pass: [si, signIn({department: '', user_role: '', employee_id: '', ip_address: '', application: ''})]},
  'AA-USER user_id': {hit: [signIn({user_id: 'a okafor'}), signIn({user_id: 'a@okafor'}), signIn({user_id: 'x'.repeat(65)}), signIn({user_id: 'ádaeze'})], pass: [si, signIn({user_id: 'A.Okafor_2-x'}), signIn({user_id: 'x'.repeat(64)}), signIn({user_id: ''})]},
  'AA-EMAIL email': {hit: [signIn({email: 'adaeze'}), signIn({email: 'a@b'}), signIn({email: 'a b@agency.gov'}), signIn({email: 'a@@agency.gov'})], pass: [si, signIn({email: ''})]},
  'AA-TIME signed_in_at': {
    hit: [signIn({signed_in_at: '2026-10-05 13:02:11'}), signIn({signed_in_at: '2026-10-05T13:02:11'}), signIn({signed_in_at: '2026-02-30T10:00:00Z'}),
      signIn({signed_in_at: '2026-10-05T24:00:00Z'}), signIn({signed_in_at: '10/05/2026 13:02'}), signIn({signed_in_at: `${'2026-11-02'}T00:00:00Z`}),
      signIn({signed_in_at: '2026-11-01T20:00:00-05:00'})],
    pass: [si, signIn({signed_in_at: '2026-11-01T23:59:59.999Z'}), signIn({signed_in_at: '2026-11-02T01:00:00+02:00'}), signIn({signed_in_at: '2026-10-05T09:15:40-0400'}), signIn({signed_in_at: ''})],
  },
  'AA-IP ip_address': {hit: [signIn({ip_address: '10.20.4.256'}), signIn({ip_address: 'localhost'}), signIn({ip_address: '2001:db8::g'}), signIn({ip_address: '10.20.4'})], pass: [si, signIn({ip_address: '2001:db8:4a::17'}), signIn({ip_address: '::1'}), signIn({ip_address: ''})]},
}

const columnRuleKey = (rule: ColumnRule<string, never, never>) => `${rule.code} ${rule.columns[0]}`
const runColumn = <R, X>(rule: ColumnRule<string, R, X>, r: R, ctx: X) =>
  rule.columns.map((c) => rule.check((r as Record<string, string | undefined>)[c] ?? '', c, r, ctx)).filter((m) => m !== null)

describe('every rule has its own table of cases', () => {
  it('personnel, timesheet and timecard rules each have rows that hit and rows that pass', () => {
    expect(PERSONNEL_RULES.map((r) => columnRuleKey(r as never)).sort()).toEqual(Object.keys(PERSONNEL_CASES).sort())
    expect(TIMESHEET_RULES.map((r) => columnRuleKey(r as never)).sort()).toEqual(Object.keys(TIMESHEET_CASES).sort())
    expect(TIMECARD_RULES.map((r) => r.code).sort()).toEqual(Object.keys(TIMECARD_CASES).sort())
    expect(SIGN_IN_RULES.map((r) => columnRuleKey(r as never)).sort()).toEqual(Object.keys(SIGN_IN_CASES).sort())
    for (const cases of [...Object.values(PERSONNEL_CASES), ...Object.values(TIMESHEET_CASES), ...Object.values(TIMECARD_CASES), ...Object.values(SIGN_IN_CASES)]) {
      expect(cases.hit.length).toBeGreaterThan(0)
      expect(cases.pass.length).toBeGreaterThan(0)
    }
  })

  it('every code a rule reports is in its codes table, and every code without a rule says where it is decided', () => {
    for (const [codes, rules] of [[PERSONNEL_CODES, PERSONNEL_RULES], [TIMESHEET_CODES, TIMESHEET_RULES], [TIMECARD_CODES, TIMECARD_RULES], [ACCOUNT_CODES, SIGN_IN_RULES]] as const) {
      const ruled = new Set<string>(rules.map((r) => r.code))
      for (const [code, info] of Object.entries(codes)) expect(ruled.has(code) || 'decidedBy' in info, `${code} has no rule and no decidedBy`).toBe(true)
    }
  })
})

describe.each(PERSONNEL_RULES.map((rule) => [columnRuleKey(rule as never), rule] as const))('personnel rule %s', (key, rule) => {
  it.each(PERSONNEL_CASES[key].hit.map((r, i) => [i, r] as const))('reports hit row %i', (_i, r) => {
    expect(runColumn(rule, r, {today: TODAY}).length).toBeGreaterThan(0)
  })
  it.each(PERSONNEL_CASES[key].pass.map((r, i) => [i, r] as const))('passes row %i', (_i, r) => {
    expect(runColumn(rule, r, {today: TODAY})).toEqual([])
  })
})

describe.each(TIMESHEET_RULES.map((rule) => [columnRuleKey(rule as never), rule] as const))('timesheet rule %s', (key, rule) => {
  it.each(TIMESHEET_CASES[key].hit.map((r, i) => [i, r] as const))('reports hit row %i', (_i, r) => {
    expect(runColumn(rule, r, tsContext).length).toBeGreaterThan(0)
  })
  it.each(TIMESHEET_CASES[key].pass.map((r, i) => [i, r] as const))('passes row %i', (_i, r) => {
    expect(runColumn(rule, r, tsContext)).toEqual([])
  })
})

describe.each(TIMECARD_RULES.map((rule) => [rule.code, rule] as const))('timecard rule %s', (code, rule) => {
  const run = (c: DayCase | TotalCase) => {
    const ctx = {...card, ...c.ctx}
    if (rule.scope === 'day') return rule.check((c as DayCase).day, ctx)
    const message = rule.check((c as TotalCase).total, ctx)
    return message === null ? [] : [message]
  }
  it.each(TIMECARD_CASES[code].hit.map((c, i) => [i, c] as const))('reports case %i', (_i, c) => {
    expect(run(c).length).toBeGreaterThan(0)
  })
  it.each(TIMECARD_CASES[code].pass.map((c, i) => [i, c] as const))('passes case %i', (_i, c) => {
    expect(run(c)).toEqual([])
  })
})

describe.each(SIGN_IN_RULES.map((rule) => [columnRuleKey(rule as never), rule] as const))('sign-in rule %s', (key, rule) => {
  it.each(SIGN_IN_CASES[key].hit.map((r, i) => [i, r] as const))('reports hit row %i', (_i, r) => {
    expect(runColumn(rule, r, {today: TODAY}).length).toBeGreaterThan(0)
  })
  it.each(SIGN_IN_CASES[key].pass.map((r, i) => [i, r] as const))('passes row %i', (_i, r) => {
    expect(runColumn(rule, r, {today: TODAY})).toEqual([])
  })
})

describe('sign-in times', () => {
  it('are the instant in UTC, whatever offset the log wrote', () => {
    expect(toUtcInstant('2026-10-05T09:15:40-04:00')).toBe('2026-10-05T13:15:40.000Z')
    expect(toUtcInstant('2026-10-05T09:15:40-0400')).toBe('2026-10-05T13:15:40.000Z')
    expect(toUtcInstant('2026-10-06T22:47:05+05:30')).toBe('2026-10-06T17:17:05.000Z')
    expect(toUtcInstant('2026-11-10T16:45:12.250Z')).toBe('2026-11-10T16:45:12.250Z')
    expect(toUtcInstant('2026-11-10T16:45:12.25Z')).toBe('2026-11-10T16:45:12.250Z')
    expect(toUtcInstant('2026-11-10T16:45:12.123456Z')).toBe('2026-11-10T16:45:12.123Z')
    expect(toUtcInstant('2026-11-10T16:45:12.5+01:00')).toBe('2026-11-10T15:45:12.500Z')
    expect(toUtcInstant('2026-11-10t16:45z')).toBe('2026-11-10T16:45:00.000Z')
    expect(toUtcInstant('2026-11-10T16:45:12')).toBeNull()
  })
})
