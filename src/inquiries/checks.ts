import {isPlausibleEmail} from '../personnel/checks.js'
import {phoneDigits} from '../requests/checks.js'
import {type CodeInfo, type ColumnRule, runColumnRules} from '../rules.js'
import {quoteValue as clip} from '../text/redact.js'

/**
 * Intake checks of a public inquiry (IQ-*, RULES.md "Public inquiries"): one table of codes and one entry per
 * rule, pure functions of the form's fields (and the store's category list). The flags of `inquiries open`
 * and its interactive form (each answer checked as it is typed) run the same rules.
 */
export const INQUIRY_CODES = {
  'IQ-REQUIRED': {severity: 'error', title: 'a required field is empty (first and last name, home ZIP, contact method, category, description, and the phone or email the contact method names)'},
  'IQ-NAME': {severity: 'error', title: 'a name is longer than 50 characters, or holds characters other than letters, spaces, apostrophes, hyphens and periods'},
  'IQ-ZIP': {severity: 'error', title: 'a ZIP code is not 5 digits or ZIP+4 (12345-6789)'},
  'IQ-CONTACT': {severity: 'error', title: 'the contact method is not email or phone'},
  'IQ-PHONE': {severity: 'error', title: 'the phone number does not have 10 digits after removing punctuation (a leading 1 is dropped)'},
  'IQ-EMAIL': {severity: 'error', title: 'the email is not a plausible address'},
  'IQ-STATE': {severity: 'error', title: 'the state is not a USPS state or territory code'},
  'IQ-CATEGORY': {severity: 'error', title: 'the category is not one of the store\'s list'},
  'IQ-DESCRIPTION': {severity: 'error', title: 'the description is longer than 4000 characters or holds control characters'},
  'IQ-TEXT': {severity: 'error', title: 'company, street, city or county is longer than 100 characters or holds control characters'},
} as const satisfies Record<string, CodeInfo>

export type InquiryCode = keyof typeof INQUIRY_CODES

/** The intake form's fields, in the form's order. */
export const INQUIRY_FIELDS = [
  'first_name', 'last_name', 'home_zip', 'contact_method', 'phone', 'email',
  'company', 'street', 'city', 'county', 'state', 'workplace_zip', 'category', 'description',
] as const
export type InquiryField = (typeof INQUIRY_FIELDS)[number]
/** The form as entered: every field trimmed, '' when empty. */
export type InquiryForm = Partial<Record<InquiryField, string>>

export const CONTACT_METHODS = ['email', 'phone'] as const

/** USPS codes of the states, the District of Columbia, the territories, the freely associated states and the armed forces. */
export const USPS_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD',
  'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC',
  'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'DC',
  'AS', 'GU', 'MP', 'PR', 'VI', 'UM', 'FM', 'MH', 'PW', 'AA', 'AE', 'AP',
] as const

export const MAX_DESCRIPTION = 4000
const MAX_NAME = 50
const MAX_TEXT = 100
const ZIP = /^\d{5}(-\d{4})?$/
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f]/u

export const isUspsState = (v: string): boolean => (USPS_STATES as readonly string[]).includes(v.toUpperCase())
export const isZip = (v: string): boolean => ZIP.test(v)

/** What the rules need besides the form: the store's categories. */
export interface InquiryContext {
  categories: readonly string[]
}

const named = (row: InquiryForm, method: string) => (row.contact_method ?? '').toLowerCase() === method

/** The intake checks, one entry per rule, in report order. */
export const INQUIRY_RULES: readonly ColumnRule<InquiryCode, InquiryForm, InquiryContext>[] = [
  {
    code: 'IQ-REQUIRED',
    columns: ['first_name', 'last_name', 'home_zip', 'contact_method', 'category', 'description'],
    check: (v, c) => (v === '' ? `${c} is required but empty.` : null),
  },
  {
    code: 'IQ-REQUIRED',
    columns: ['phone', 'email'],
    check: (v, c, row) => (v === '' && named(row, c) ? `${c} is required: the contact method is ${c}.` : null),
  },
  {
    code: 'IQ-NAME',
    columns: ['first_name', 'last_name'],
    check(v, c) {
      if (v === '') return null
      if ([...v].length > MAX_NAME) return `${c} is ${[...v].length} characters; at most ${MAX_NAME}.`
      return NAME.test(v) ? null : `${c} "${clip(v)}" holds characters a name does not (letters, spaces, apostrophes, hyphens and periods only).`
    },
  },
  {
    code: 'IQ-ZIP',
    columns: ['home_zip', 'workplace_zip'],
    check: (v, c) => (v !== '' && !ZIP.test(v) ? `${c} "${clip(v, 12)}" is not a ZIP code: 5 digits, or ZIP+4 (12345-6789).` : null),
  },
  {
    code: 'IQ-CONTACT',
    columns: ['contact_method'],
    check: (v) => (v !== '' && !(CONTACT_METHODS as readonly string[]).includes(v.toLowerCase()) ? `contact_method "${clip(v, 12)}" must be email or phone.` : null),
  },
  {
    code: 'IQ-PHONE',
    columns: ['phone'],
    check: (v) => (v !== '' && !phoneDigits(v) ? 'phone must have 10 digits after removing punctuation (a leading 1 is dropped), e.g. 202-555-0143.' : null),
  },
  {
    code: 'IQ-EMAIL',
    columns: ['email'],
    check: (v) => (v !== '' && !isPlausibleEmail(v) ? `email "${clip(v)}" is not a plausible address (one @, a dot in the domain, no spaces).` : null),
  },
  {
    code: 'IQ-STATE',
    columns: ['state'],
    check: (v) => (v !== '' && !isUspsState(v) ? `state "${clip(v, 12)}" is not a USPS state or territory code (e.g. PA, DC, PR).` : null),
  },
  {
    code: 'IQ-CATEGORY',
    columns: ['category'],
    check: (v, _c, _row, {categories}) => (v !== '' && !categories.includes(v.toLowerCase()) ? `category "${clip(v, 30)}" is not one of: ${categories.join(', ')}.` : null),
  },
  {
    code: 'IQ-DESCRIPTION',
    columns: ['description'],
    check(v) {
      const length = [...v].length
      if (length > MAX_DESCRIPTION) return `description is ${length} characters; at most ${MAX_DESCRIPTION}.`
      return CONTROL.test(v) ? 'description holds control characters; it is plain text (line breaks and tabs are fine).' : null
    },
  },
  {
    code: 'IQ-TEXT',
    columns: ['company', 'street', 'city', 'county'],
    check(v, c) {
      if ([...v].length > MAX_TEXT) return `${c} is ${[...v].length} characters; at most ${MAX_TEXT}.`
      return CONTROL_OR_BREAK.test(v) ? `${c} holds control characters or line breaks.` : null
    },
  },
]

export interface InquiryFinding {
  code: InquiryCode
  column: InquiryField
  message: string
}

/** Every finding on the form, in rule order. */
export function checkInquiry(form: InquiryForm, ctx: InquiryContext): InquiryFinding[] {
  return runColumnRules(INQUIRY_RULES, form, ctx) as InquiryFinding[]
}

/** The first finding on one field, for the interactive form (checked as typed); null when the answer is acceptable. */
export function checkInquiryField(field: InquiryField, form: InquiryForm, ctx: InquiryContext): string | null {
  const rules = INQUIRY_RULES.filter((r) => r.columns.includes(field))
  return runColumnRules(rules, form, ctx).find((f) => f.column === field)?.message ?? null
}

/** The form as stored, once it passed the checks: names NFC, email lower case, phone its 10 digits, codes upper/lower case, empty optional fields null. */
export function toInquiryValues(form: InquiryForm) {
  const text = (f: InquiryField) => {
    const v = (form[f] ?? '').trim()
    return v === '' ? null : v.normalize('NFC')
  }
  return {
    first_name: text('first_name')!,
    last_name: text('last_name')!,
    home_zip: text('home_zip')!,
    contact_method: text('contact_method')!.toLowerCase() as 'email' | 'phone',
    phone: form.phone ? phoneDigits(form.phone) : null,
    email: text('email')?.toLowerCase() ?? null,
    company: text('company'),
    street: text('street'),
    city: text('city'),
    county: text('county'),
    state: text('state')?.toUpperCase() ?? null,
    workplace_zip: text('workplace_zip'),
    category: text('category')!.toLowerCase(),
    description: (form.description ?? '').trim().normalize('NFC'),
  }
}
