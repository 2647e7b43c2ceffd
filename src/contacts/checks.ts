import type {Selectable} from 'kysely'

import {isRealDate} from '../calendar/dates.js'
import {isPlausibleEmail} from '../personnel/checks.js'
import {type CodeInfo, type ColumnRule, type Severity, runColumnRules} from '../rules.js'
import type {ContactTable} from '../store/schema.js'
import {quoteValue as clip} from '../text/redact.js'
import {screen} from './screening.js'

/**
 * Stakeholder contact checks (CT-*, RULES.md "Stakeholder contacts"): one table of codes, and pure functions
 * from a row (with the --as-of date) to findings; `contacts add` and `contacts import` run the same rules.
 * CT-OWNER and CT-DO-NOT-CONTACT need the store (and the key): the service decides them.
 */
export const CONTACT_CODES = {
  'CT-REQUIRED': {severity: 'error', title: 'name is empty'},
  'CT-EMAIL': {severity: 'error', title: 'email is not a plausible address'},
  'CT-PHONE': {severity: 'error', title: 'a phone is not 10 US digits (any punctuation; a leading 1 is dropped) or "+" and 8-15 digits'},
  'CT-DATE': {severity: 'error', title: 'last_contacted is not a real date (YYYY-MM-DD) or is after the --as-of day'},
  'CT-NOTES': {severity: 'error', title: 'notes or interests record race, ethnicity or national origin, religion, sexual orientation, health or political affiliation (the message names the category, never the words)'},
  'CT-OWNER': {severity: 'error', title: 'owner is not an operator of the store', decidedBy: 'the service, against the store', columns: ['owner']},
  'CT-DO-NOT-CONTACT': {severity: 'error', title: 'the person asked not to be contacted: their email or phone is on the do-not-contact list (contacts forget)', decidedBy: 'the service, against the keyed hashes of the do-not-contact list', columns: ['email', 'work_phone', 'cell_phone']},
} as const satisfies Record<string, CodeInfo>

export type ContactCode = keyof typeof CONTACT_CODES
export type {Severity}

export const CONTACT_COLUMNS = [
  {name: 'name', required: true},
  {name: 'salutation', required: false},
  {name: 'organization', required: false},
  {name: 'title', required: false},
  {name: 'email', required: false},
  {name: 'work_phone', required: false},
  {name: 'cell_phone', required: false},
  {name: 'work_address', required: false},
  {name: 'issues', required: false},
  {name: 'interests', required: false},
  {name: 'notes', required: false},
  {name: 'owner', required: false},
  {name: 'last_contacted', required: false},
] as const

export type ContactColumn = (typeof CONTACT_COLUMNS)[number]['name']
/** A row as read (or a contact as added): every value trimmed, '' when empty. */
export type ContactRow = Partial<Record<ContactColumn, string>>

/**
 * A phone as stored: 10 US digits (any punctuation; a leading 1 before 10 digits is dropped, with or without
 * "+"), or "+" and 8-15 digits; null when it is not one (letters, too few or too many digits).
 */
export function normalizePhone(value: string): string | null {
  const v = value.trim()
  if (!/^\+?[\d\s().\-/]+$/.test(v)) return null
  const digits = v.replaceAll(/\D/g, '')
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1)
  if (v.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null
  return digits.length === 10 ? digits : null
}

/** The screening's finding for free text (notes, interests, an interaction's note): the categories, never the words. */
export function notesFinding(column: string, value: string): string | null {
  const found = screen(value)
  return found.length === 0 ? null
    : `${column} records the person's ${found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} and ${found.at(-1)}`}, which DHS/ALL-002 never keeps; describe the engagement, not the person.`
}

/** The contact checks that need nothing but the row and the --as-of date, one entry per rule, in report order. */
export const CONTACT_RULES: readonly ColumnRule<ContactCode, ContactRow, {today: string}>[] = [
  {
    code: 'CT-REQUIRED',
    columns: ['name'],
    check: (v, c) => (v === '' ? `${c} is required but empty.` : null),
  },
  {
    code: 'CT-EMAIL',
    columns: ['email'],
    check: (v) => (v !== '' && !isPlausibleEmail(v) ? `email "${clip(v)}" is not a plausible address (one @, a dot in the domain, no spaces).` : null),
  },
  {
    code: 'CT-PHONE',
    columns: ['work_phone', 'cell_phone'],
    check: (v, c) => (v !== '' && normalizePhone(v) === null ? `${c} "${clip(v)}" is not a phone number: 10 US digits (e.g. 202-555-0143) or "+" and 8-15 digits.` : null),
  },
  {
    code: 'CT-DATE',
    columns: ['last_contacted'],
    check(v, c, _row, {today}) {
      if (v === '') return null
      if (!isRealDate(v)) return `${c} "${clip(v)}" is not a real date; write it as YYYY-MM-DD.`
      return v > today ? `${c} ${v} is after ${today}, the --as-of day.` : null
    },
  },
  {
    code: 'CT-NOTES',
    columns: ['notes', 'interests'],
    check: (v, c) => (v === '' ? null : notesFinding(c, v)),
  },
]

export interface Finding {
  code: ContactCode
  column: string
  message: string
  severity: Severity
}

export function checkContactRow(row: ContactRow, today: string): Finding[] {
  return runColumnRules(CONTACT_RULES, row, {today}).map((f) => ({...f, severity: CONTACT_CODES[f.code].severity}))
}

/** A contact as stored (the contacts table's values but its surrogate id, times and batch): empty values null, phones normalized, text NFC; owner null when the row names none. */
export type ContactValues = Omit<Selectable<ContactTable>, 'id' | 'created_at' | 'updated_at' | 'batch_id' | 'owner'> & {owner: string | null}

/** The stored form of a row that passed checkContactRow. */
export function toContactValues(row: ContactRow): ContactValues {
  const text = (c: ContactColumn) => {
    const s = (row[c] ?? '').trim()
    return s === '' ? null : s.normalize('NFC')
  }
  const phone = (c: ContactColumn) => {
    const s = text(c)
    return s === null ? null : normalizePhone(s)
  }
  return {
    name: text('name') ?? '', salutation: text('salutation'), organization: text('organization'), title: text('title'), email: text('email'),
    work_phone: phone('work_phone'), cell_phone: phone('cell_phone'), work_address: text('work_address'), issues: text('issues'),
    interests: text('interests'), notes: text('notes'), owner: text('owner'), last_contacted: text('last_contacted'),
  }
}

/** The values of a contact the do-not-contact list is keyed by: its email in lower case, its phones as stored. */
export function suppressionKeys(v: Pick<ContactValues, 'email' | 'work_phone' | 'cell_phone'>): {kind: 'email' | 'phone'; value: string; column: ContactColumn}[] {
  const keys: {kind: 'email' | 'phone'; value: string; column: ContactColumn}[] = []
  if (v.email) keys.push({kind: 'email', value: v.email.toLowerCase(), column: 'email'})
  if (v.work_phone) keys.push({kind: 'phone', value: v.work_phone, column: 'work_phone'})
  if (v.cell_phone) keys.push({kind: 'phone', value: v.cell_phone, column: 'cell_phone'})
  return keys
}
