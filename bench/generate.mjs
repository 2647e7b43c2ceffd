// Seeded, streaming generators of large CSV inputs for the benchmarks (plain ESM, no dependencies).
//
// Every generator writes through fs.createWriteStream in ~64 KB chunks and waits for 'drain' when the
// stream's buffer is full, so memory stays constant whatever the row count. The same seed always gives the
// same bytes (mulberry32 PRNG, no Date.now, no Math.random).
//
// CLI:
//   node bench/generate.mjs personnel <rows> <out.csv> [--seed N] [--bad-every N] [--orgs N] [--tour FT|PT|INT] [--min-leave H]
//   node bench/generate.mjs timesheets <rows> <employees> <out.csv> [--seed N]
//   node bench/generate.mjs timesheet-period <employees> <YYYY-MM-DD sunday> <out.csv> [--seed N]
//   node bench/generate.mjs signins <rows> <users> <out.csv> [--seed N]

import fs from 'node:fs'
import {once} from 'node:events'
import {finished} from 'node:stream/promises'
import {pathToFileURL} from 'node:url'

// ---------------------------------------------------------------------------------------------------------
// Plumbing

/** mulberry32: a tiny, fast, seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0
  return function next() {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const CHUNK = 64 * 1024

/**
 * Writes every line a (sync) generator yields, '\n'-terminated, in CHUNK-sized writes with backpressure.
 * Returns {path, bytes}.
 */
async function writeLines(path, lines) {
  const ws = fs.createWriteStream(path, {encoding: 'utf8'})
  let buf = ''
  try {
    for (const line of lines) {
      buf += line + '\n'
      if (buf.length >= CHUNK) {
        const ok = ws.write(buf)
        buf = ''
        if (!ok) await once(ws, 'drain')
      }
    }
    if (buf) ws.write(buf)
    ws.end()
    await finished(ws)
  } catch (error) {
    ws.destroy()
    throw error
  }
  return {path, bytes: ws.bytesWritten}
}

const pad = (n, w) => String(n).padStart(w, '0')
const pick = (rand, list) => list[Math.floor(rand() * list.length)]
const int = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)) // inclusive
const csvCell = (v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)

const DAY_MS = 86_400_000
/** Days since 1970-01-01 (UTC civil date) → "YYYY-MM-DD". */
const isoDay = (days) => new Date(days * DAY_MS).toISOString().slice(0, 10)
/** "YYYY-MM-DD" → days since 1970-01-01, via Date.UTC (throws on a malformed date). */
function dayNumber(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${iso}`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (isoDay(ms / DAY_MS) !== iso) throw new Error(`not a real date: ${iso}`)
  return ms / DAY_MS
}

export const employeeId = (n) => `E${pad(n, 7)}`

// ---------------------------------------------------------------------------------------------------------
// Personnel

export const PERSONNEL_HEADER = [
  'employee_id', 'ssn', 'last_name', 'first_name', 'middle_name', 'email', 'pay_plan', 'grade', 'step',
  'tour_of_duty', 'scheduled_hours', 'agency_code', 'org_code', 'supervisor_id', 'service_comp_date',
  'hire_date', 'separation_date', 'annual_leave_balance', 'sick_leave_balance', 'comp_time_balance',
]

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Garcia', 'Nguyen', 'Okafor', 'Lindqvist', 'Núñez', "O'Brien", 'Zoë-Hart',
  'Kealoha', 'Castellanos', 'Mbeki', 'Brennan', 'Chen', 'Patel', 'Kim', 'Johansson', 'Dubois', 'Haddad',
  'Novák', 'Müller', "D'Angelo", 'Van der Berg', 'St. John', 'Øberg', 'Brontë', 'Ibáñez', 'Łukasiewicz',
  'Nakamura', 'Okonkwo', 'Rossi', 'Fernández', 'MacDonald', "O'Connor", 'Schröder', 'Yilmaz', 'Kowalski',
]
const FIRST_NAMES = [
  'James', 'Mary', 'José', 'Zoë', 'Siobhán', 'Adaeze', 'Maren', 'Tomás', 'Thandiwe', 'Malia', 'Pieter',
  'Rafael', 'François', 'Aoife', 'Björn', 'Chloé', 'Renée', 'Jürgen', 'Li', 'Priya', 'Mohammed', 'Ana',
  'Søren', 'Noël', 'Eleanor', 'Robert', 'Linda', 'Michael', 'Patricia', 'David', 'Jennifer', "D'Andre",
  'Mary-Kate', 'Sinéad', 'Ingrid', 'Kwame',
]
const MIDDLE_NAMES = ['', '', '', '', 'A.', 'M.', 'J.', 'Luis', 'Mae', 'Ann', 'Lee', 'Théo']

/** A name → ASCII local-part material for an e-mail address. */
const emailPart = (s) => s.replace(/[øØ]/g, 'o').replace(/[łŁ]/g, 'l').replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '')

/**
 * Valid SSNs: areas 001-665 and 667-899 (898), groups 01-99, serials 0001-9999. Row n gets index
 * (A*n + B) mod N with gcd(A, N) = 1, a bijection, so every row's SSN is distinct and looks scattered.
 */
const SSN_AREAS = 898
const SSN_SPACE = SSN_AREAS * 99 * 9999 // 888,931,098 (< 2^53 / 2^31: A*n stays exact for n < 4M)
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b))
function ssnMapper(seed) {
  const rand = mulberry32(seed ^ 0x5eed55)
  let a = 1 + Math.floor(rand() * 2_000_000_000)
  while (gcd(a, SSN_SPACE) !== 1) a++
  const b = Math.floor(rand() * SSN_SPACE)
  return (n) => {
    let k = (a * n + b) % SSN_SPACE
    const serial = 1 + (k % 9999)
    k = Math.floor(k / 9999)
    const group = 1 + (k % 99)
    const areaIndex = Math.floor(k / 99) // 0..897
    const area = areaIndex < 665 ? areaIndex + 1 : areaIndex + 2 // skip 666
    return `${pad(area, 3)}-${pad(group, 2)}-${pad(serial, 4)}`
  }
}

/** `count` distinct 6-digit hierarchical org codes like 030105 (division 03.., branch, section). */
export function orgCodes(count) {
  const out = []
  for (let k = 0; k < count; k++) {
    out.push(`${pad(3 + Math.floor(k / 9801), 2)}${pad(1 + (Math.floor(k / 99) % 99), 2)}${pad(1 + (k % 99), 2)}`)
  }
  return out
}

/** Ways a row is made invalid (each yields at least one error, never only a warning). */
const BAD_KINDS = [
  ['PE-SSN', (r) => { r.ssn = `666-${r.ssn.slice(4)}` }],
  ['PE-SSN-DUP', (r, ctx) => { if (ctx.lastSsn) r.ssn = ctx.lastSsn; else r.ssn = `000-${r.ssn.slice(4)}` }],
  ['PE-GRADE', (r) => { r.pay_plan = 'GS'; r.grade = '17'; r.step = '2' }],
  ['PE-STEP', (r) => { r.pay_plan = 'GS'; r.grade = '12'; r.step = '11' }],
  ['PE-EMAIL', (r) => { r.email = 'first last@agency' }],
  ['PE-HOURS', (r) => { r.tour_of_duty = 'FT'; r.scheduled_hours = '72'; r.service_comp_date ||= r.hire_date }],
  ['PE-DATE', (r) => { r.hire_date = '2023-02-30' }],
  ['PE-DATE', (r) => { r.tour_of_duty = 'FT'; r.scheduled_hours = '80'; r.service_comp_date = '2099-01-01' }],
  ['PE-TOUR', (r) => { r.tour_of_duty = 'XT' }],
  ['PE-REQUIRED', (r) => { r.last_name = '' }],
  ['PE-DUP-ROW', (r, ctx) => { r.employee_id = employeeId(ctx.n - 1) }],
  ['PE-BALANCE', (r) => { r.annual_leave_balance = '-4.00' }],
  ['PE-NAME', (r) => { r.first_name = 'R2D2' }],
  ['PE-ORG', (r) => { r.org_code = '03-01' }],
]

/** Which check codes generatePersonnel's bad row number `n` (a multiple of badEvery) is built to trip. */
export function badKindFor(n, badEvery) {
  return BAD_KINDS[(n / badEvery - 1) % BAD_KINDS.length][0]
}

function* personnelLines({rows, seed = 1, orgs = 60, badEvery = 0, agency = 'HS', tour: onlyTour, minLeave = 0}) {
  if (badEvery === 1) throw new Error('badEvery must be 0 (none) or at least 2')
  if (onlyTour !== undefined && !['FT', 'PT', 'INT'].includes(onlyTour)) throw new Error(`tour must be FT, PT or INT (got ${onlyTour})`)
  if (!Number.isInteger(minLeave) || minLeave < 0 || minLeave > 240) throw new Error(`minLeave must be a whole number of hours 0-240 (got ${minLeave})`)
  const leave = (rand, maxQuarters) => Math.max(minLeave * 4, int(rand, 0, maxQuarters)) / 4
  const rand = mulberry32(seed)
  const ssn = ssnMapper(seed)
  const orgList = orgCodes(orgs)
  const isBad = (n) => badEvery > 0 && n % badEvery === 0
  const from = dayNumber('1990-01-01')
  const to = dayNumber('2024-12-31')
  let lastSsn = '' // the SSN of the latest valid row that has one (what PE-SSN-DUP rows copy)
  yield PERSONNEL_HEADER.join(',')
  for (let n = 1; n <= rows; n++) {
    const last = pick(rand, LAST_NAMES)
    const first = pick(rand, FIRST_NAMES)
    const middle = pick(rand, MIDDLE_NAMES)
    const planRoll = rand()
    let plan, grade, step
    if (planRoll < 0.85) [plan, grade, step] = ['GS', pad(int(rand, 1, 15), 2), String(int(rand, 1, 10))]
    else if (planRoll < 0.95) [plan, grade, step] = ['WG', pad(int(rand, 1, 15), 2), String(int(rand, 1, 5))]
    else if (planRoll < 0.98) [plan, grade, step] = ['GM', pad(int(rand, 13, 15), 2), '']
    else [plan, grade, step] = ['ES', '', '']
    const tourRoll = rand()
    const tour = onlyTour ?? (tourRoll < 0.88 ? 'FT' : tourRoll < 0.96 ? 'PT' : 'INT')
    const hire = int(rand, from, to)
    // Prior federal service sometimes moves the SCD earlier than the hire date.
    const scd = rand() < 0.2 ? Math.max(from - 3650, hire - int(rand, 30, 3650)) : hire
    let supervisor = ''
    if (n > 1 && rand() >= 0.15) {
      let j = 1 + Math.floor(rand() * (n - 1))
      if (isBad(j)) j-- // a bad row may not be stored; point at the (valid) row before it
      supervisor = employeeId(j)
    }
    const r = {
      employee_id: employeeId(n),
      ssn: rand() < 0.03 ? '' : ssn(n),
      last_name: last,
      first_name: first,
      middle_name: middle,
      email: rand() < 0.1 ? '' : `${emailPart(first)}.${emailPart(last)}${n}@agency.example.gov`,
      pay_plan: plan,
      grade,
      step,
      tour_of_duty: tour,
      scheduled_hours: tour === 'FT' ? '80' : tour === 'PT' ? '40' : '0',
      agency_code: agency,
      org_code: pick(rand, orgList),
      supervisor_id: supervisor,
      service_comp_date: tour === 'INT' ? '' : isoDay(scd),
      hire_date: isoDay(hire),
      separation_date: '',
      annual_leave_balance: leave(rand, 960).toFixed(2),
      sick_leave_balance: leave(rand, 4000).toFixed(2),
      comp_time_balance: rand() < 0.8 ? '0.00' : (int(rand, 1, 160) / 4).toFixed(2),
    }
    if (r.ssn === '' && isBad(n)) r.ssn = ssn(n) // the SSN kinds need one to spoil
    if (isBad(n)) BAD_KINDS[(n / badEvery - 1) % BAD_KINDS.length][1](r, {n, lastSsn})
    else if (r.ssn) lastSsn = r.ssn
    let line = ''
    for (let c = 0; c < PERSONNEL_HEADER.length; c++) line += (c ? ',' : '') + csvCell(r[PERSONNEL_HEADER[c]])
    yield line
  }
}

/**
 * Streams `rows` personnel rows (plus header) to `path`. Valid unless badEvery > 0: then rows badEvery,
 * 2*badEvery, ... each carry one error (cycling through PE-SSN, PE-SSN-DUP, PE-GRADE, ...).
 * tour ('FT', 'PT' or 'INT') gives every employee that tour (default: 88% FT, 8% PT, 4% INT); minLeave
 * (hours) is a floor for the annual and sick leave balances (default 0), so that a pay period's leave never
 * exceeds them. Neither option changes the other columns (the same random numbers are drawn).
 * Resolves to {path, rows, bytes, bad}.
 */
export async function generatePersonnel(path, {rows, seed = 1, orgs = 60, badEvery = 0, agency = 'HS', tour, minLeave = 0} = {}) {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive integer (got ${rows})`)
  if (rows > 4_000_000) throw new Error('rows above 4,000,000 are not supported (SSN mapping precision)')
  const {bytes} = await writeLines(path, personnelLines({rows, seed, orgs, badEvery, agency, tour, minLeave}))
  return {path, rows, bytes, bad: badEvery > 0 ? Math.floor(rows / badEvery) : 0}
}

// ---------------------------------------------------------------------------------------------------------
// Timesheets

export const TIMESHEET_HEADER = ['employee_id', 'work_date', 'hour_type', 'hours', 'accounting_code']
/** Mon-Fri of both weeks of a pay period, as day offsets from its first Sunday. */
const WORK_DAY_OFFSETS = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
export const FIRST_BENCH_PERIOD = '2026-01-11'

/** A stable accounting code per employee (independent of the line order), e.g. HS-0301-A1. */
function accountingCode(seed, e) {
  const r = mulberry32((seed ^ Math.imul(e, 0x9e3779b1)) >>> 0)
  return `HS-${pad(3 + Math.floor(r() * 3), 2)}${pad(1 + Math.floor(r() * 12), 2)}-${'ABCDEF'[Math.floor(r() * 6)]}${1 + Math.floor(r() * 9)}`
}

function hourType(rand) {
  const x = rand()
  return x < 0.9 ? 'REG' : x < 0.96 ? 'AL' : 'SL'
}

/** The nth (1-based) weekday (0 = Sunday) of a month, or the last one with n = -1, as a day number. */
function nthWeekday(year, month, weekday, n) {
  if (n < 0) {
    const last = Date.UTC(year, month, 0) / DAY_MS // day 0 of the next month
    return last - ((new Date(last * DAY_MS).getUTCDay() - weekday + 7) % 7)
  }
  const first = Date.UTC(year, month - 1, 1) / DAY_MS
  return first + ((weekday - new Date(first * DAY_MS).getUTCDay() + 7) % 7) + 7 * (n - 1)
}

const holidayCache = new Map()
/**
 * The observed federal holidays (5 U.S.C. 6103, RULES.md "Calendar") of `year` as a Set of day numbers: a
 * holiday on Saturday is observed the Friday before, on Sunday the Monday after.
 */
export function observedHolidays(year) {
  let set = holidayCache.get(year)
  if (!set) {
    const fixed = (m, d) => Date.UTC(year, m - 1, d) / DAY_MS
    const days = [
      fixed(1, 1), nthWeekday(year, 1, 1, 3), nthWeekday(year, 2, 1, 3), nthWeekday(year, 5, 1, -1),
      ...(year >= 2021 ? [fixed(6, 19)] : []), fixed(7, 4), nthWeekday(year, 9, 1, 1), nthWeekday(year, 10, 1, 2),
      fixed(11, 11), nthWeekday(year, 11, 4, 4), fixed(12, 25),
    ]
    set = new Set(days.map((d) => {
      const dow = new Date(d * DAY_MS).getUTCDay()
      return dow === 6 ? d - 1 : dow === 0 ? d + 1 : d
    }))
    holidayCache.set(year, set)
  }
  return set
}
const isObservedHoliday = (day) => {
  const year = new Date(day * DAY_MS).getUTCFullYear()
  // New Year's Day on a Saturday is observed on Dec 31 of the year before.
  return observedHolidays(year).has(day) || observedHolidays(year + 1).has(day)
}

/**
 * Every employee is full-time: 10 lines of 8 hours (80 toward the tour). A work day that is an observed
 * federal holiday is HOL (not REG, which validate would flag as TC-HOL-REG); the other days are REG, AL or SL.
 * accountsPerCard 1 (default): every line carries the employee's accounting code (e.g. HS-0301-A1); N in
 * 2..10: work day i (0-based) carries HS-0301-D{01 + i mod N} (the employee's HS-0301 part), so a card spreads
 * over N accounting codes (with N = 10 every line is its own payroll detail record).
 */
function* periodLines(startDay, employees, seed, rand, accountsPerCard = 1) {
  const days = WORK_DAY_OFFSETS.map((off) => ({date: isoDay(startDay + off), holiday: isObservedHoliday(startDay + off)}))
  const suffixes = WORK_DAY_OFFSETS.map((_, i) => `-D${pad(1 + (i % accountsPerCard), 2)}`)
  for (let e = 1; e <= employees; e++) {
    const id = employeeId(e)
    const acct = accountingCode(seed, e)
    const base = acct.slice(0, acct.lastIndexOf('-'))
    for (let i = 0; i < days.length; i++) {
      const {date, holiday} = days[i]
      const type = hourType(rand) // drawn on holidays too, so the other days do not depend on the calendar
      yield `${id},${date},${holiday ? 'HOL' : type},8,${accountsPerCard > 1 ? base + suffixes[i] : acct}`
    }
  }
}

/**
 * One 14-day pay period for employees E0000001..E{employees}: 10 lines each (Mon-Fri of both weeks, HOL on
 * an observed holiday), exactly the 80 hours toward the tour of an FT employee. payPeriodStart must be a Sunday.
 * accountsPerCard (1-10, default 1: one code per employee) spreads each card over that many accounting codes
 * (see periodLines); the hour types drawn are the same either way. Resolves to {path, rows, bytes}.
 */
export async function generateTimesheets(path, {employees, payPeriodStart = FIRST_BENCH_PERIOD, seed = 1, accountsPerCard = 1} = {}) {
  if (!Number.isInteger(employees) || employees < 1) throw new Error(`employees must be a positive integer (got ${employees})`)
  if (!Number.isInteger(accountsPerCard) || accountsPerCard < 1 || accountsPerCard > WORK_DAY_OFFSETS.length) {
    throw new Error(`accountsPerCard must be a whole number 1-${WORK_DAY_OFFSETS.length} (got ${accountsPerCard})`)
  }
  const start = dayNumber(payPeriodStart)
  if (new Date(start * DAY_MS).getUTCDay() !== 0) throw new Error(`payPeriodStart ${payPeriodStart} is not a Sunday`)
  const rand = mulberry32(seed)
  function* lines() {
    yield TIMESHEET_HEADER.join(',')
    yield* periodLines(start, employees, seed, rand, accountsPerCard)
  }
  const {bytes} = await writeLines(path, lines())
  return {path, rows: employees * WORK_DAY_OFFSETS.length, bytes}
}

/**
 * Exactly `rows` data lines (plus header): pay period after pay period from 2026-01-11 (every 14 days),
 * each covering employees E0000001..E{employees} x 10 work days, cut off at `rows`. No line repeats
 * (employee, date, hour type, accounting code). Resolves to {path, rows, bytes, periods}.
 */
export async function generateTimesheetRows(path, {rows, employees, seed = 1, firstPeriod = FIRST_BENCH_PERIOD} = {}) {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive integer (got ${rows})`)
  if (!Number.isInteger(employees) || employees < 1) throw new Error(`employees must be a positive integer (got ${employees})`)
  const first = dayNumber(firstPeriod)
  const rand = mulberry32(seed)
  const perPeriod = employees * WORK_DAY_OFFSETS.length
  const periods = Math.ceil(rows / perPeriod)
  function* lines() {
    yield TIMESHEET_HEADER.join(',')
    let left = rows
    for (let p = 0; left > 0; p++) {
      for (const line of periodLines(first + 14 * p, employees, seed, rand)) {
        yield line
        if (--left === 0) return
      }
    }
  }
  const {bytes} = await writeLines(path, lines())
  return {path, rows, bytes, periods}
}

// ---------------------------------------------------------------------------------------------------------
// Sign-in logs (accounts import)

export const SIGN_IN_HEADER = ['user_id', 'name', 'email', 'signed_in_at', 'department', 'user_role', 'employee_id', 'ip_address', 'application']
const DEPARTMENTS = ['Finance', 'Human Capital', 'Logistics', 'Legal', 'IT Operations', 'Facilities', 'Engineering', 'Customer Relations']
const USER_ROLES = ['user', 'user', 'user', 'supervisor', 'contractor', 'admin']
const APPLICATIONS = ['Mail', 'Timekeeping', 'Documents', 'Admin Console', 'VPN', 'Work Orders']
const FIRST_SIGN_IN = Date.UTC(2026, 0, 1)

/**
 * A sign-in log of `rows` valid sign-ins by `users` users (each row a random user, with the user's own name,
 * email, department and role), times strictly increasing from 2026-01-01 by 1-30 seconds (so no two rows share
 * a user and an instant), every 4th written with a -05:00 offset instead of Z; IPv4 mostly, IPv6 every 10th.
 * No employee_id: the bench store has no employees, and a warning per row would only be counted.
 */
export async function generateSignIns(path, {rows, users, seed = 1} = {}) {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive integer (got ${rows})`)
  if (!Number.isInteger(users) || users < 1) throw new Error(`users must be a positive integer (got ${users})`)
  const rand = mulberry32(seed)
  const person = (u) => {
    const r = mulberry32(seed * 7919 + u)
    const first = pick(r, FIRST_NAMES)
    const last = pick(r, LAST_NAMES)
    return {
      id: `${emailPart(first).slice(0, 1)}${emailPart(last)}.${pad(u, 6)}`,
      name: `${first} ${last}`,
      email: `${emailPart(first)}.${emailPart(last)}.${pad(u, 6)}@agency.example.gov`,
      department: pick(r, DEPARTMENTS),
      role: pick(r, USER_ROLES),
    }
  }
  const stamp = (ms, i) => {
    if (i % 4 !== 3) return `${new Date(ms).toISOString().slice(0, 19)}Z`
    return `${new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`
  }
  function* lines() {
    yield SIGN_IN_HEADER.join(',')
    let ms = FIRST_SIGN_IN
    for (let i = 0; i < rows; i++) {
      ms += 1000 * int(rand, 1, 30)
      const p = person(int(rand, 1, users))
      const ip = i % 10 === 9 ? `2001:db8:${int(rand, 0, 65535).toString(16)}::${int(rand, 1, 65535).toString(16)}` : `10.${int(rand, 0, 255)}.${int(rand, 0, 255)}.${int(rand, 1, 254)}`
      yield [p.id, csvCell(p.name), p.email, stamp(ms, i), p.department, p.role, '', ip, pick(rand, APPLICATIONS)].join(',')
    }
  }
  const {bytes} = await writeLines(path, lines())
  return {path, rows, bytes, users}
}

// ---------------------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage:
  node bench/generate.mjs personnel <rows> <out.csv> [--seed N] [--bad-every N] [--orgs N] [--tour FT|PT|INT] [--min-leave H]
  node bench/generate.mjs timesheets <rows> <employees> <out.csv> [--seed N]
  node bench/generate.mjs timesheet-period <employees> <YYYY-MM-DD sunday> <out.csv> [--seed N] [--accounts-per-card N]
  node bench/generate.mjs signins <rows> <users> <out.csv> [--seed N]`

function parseCli(argv) {
  const positional = []
  const opts = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2)
      const v = inline ?? argv[++i]
      if (v === undefined) throw new Error(`--${k} needs a value`)
      opts[k] = v
    } else positional.push(a)
  }
  return {positional, opts}
}

function count(s, what) {
  const n = Number(String(s).replaceAll('_', ''))
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number (got ${s})`)
  return n
}

async function main(argv) {
  const {positional: [cmd, ...rest], opts} = parseCli(argv)
  const seed = opts.seed === undefined ? 1 : count(opts.seed, '--seed')
  const t0 = performance.now()
  let result
  if (cmd === 'personnel' && rest.length === 2) {
    result = await generatePersonnel(rest[1], {
      rows: count(rest[0], 'rows'), seed,
      badEvery: opts['bad-every'] === undefined ? 0 : count(opts['bad-every'], '--bad-every'),
      orgs: opts.orgs === undefined ? 60 : count(opts.orgs, '--orgs'),
      tour: opts.tour?.toUpperCase(),
      minLeave: opts['min-leave'] === undefined ? 0 : count(opts['min-leave'], '--min-leave'),
    })
  } else if (cmd === 'timesheets' && rest.length === 3) {
    result = await generateTimesheetRows(rest[2], {rows: count(rest[0], 'rows'), employees: count(rest[1], 'employees'), seed})
  } else if (cmd === 'timesheet-period' && rest.length === 3) {
    result = await generateTimesheets(rest[2], {
      employees: count(rest[0], 'employees'), payPeriodStart: rest[1], seed,
      accountsPerCard: opts['accounts-per-card'] === undefined ? 1 : count(opts['accounts-per-card'], '--accounts-per-card'),
    })
  } else if (cmd === 'signins' && rest.length === 3) {
    result = await generateSignIns(rest[2], {rows: count(rest[0], 'rows'), users: count(rest[1], 'users'), seed})
  } else {
    process.stderr.write(`${USAGE}\n`)
    process.exitCode = 2
    return
  }
  const seconds = (performance.now() - t0) / 1000
  process.stdout.write(`${JSON.stringify({...result, seconds: Number(seconds.toFixed(3))})}\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`generate: ${error.message}\n`)
    process.exitCode = 1
  })
}
