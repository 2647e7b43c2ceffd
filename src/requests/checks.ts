import {isRealDate} from '../calendar/dates.js'
import {USER} from '../accounts/checks.js'
import {isPlausibleEmail} from '../personnel/checks.js'

/**
 * Intake checks of a Privacy Act request: pure, shared by the flags of `requests open` and its interactive
 * intake form (which checks each answer as it is typed). Each returns null when the value is acceptable,
 * else the sentence to show.
 */
export function checkRequester(value: string): string | null {
  const v = value.trim()
  if (v === '') return 'The requester\'s name is required.'
  if (v.length > 200) return 'The requester\'s name is longer than 200 characters.'
  return null
}

export function checkEmail(value: string): string | null {
  return isPlausibleEmail(value.trim()) ? null : 'Not a plausible email address (one @, a dot in the domain, no spaces).'
}

/** Phone numbers keep their digits: 10 (US) or 11 starting with 1; spaces, dots, dashes, parentheses and + are allowed. */
export function phoneDigits(value: string): string | null {
  if (!/^[\d\s().+-]+$/.test(value.trim())) return null
  const digits = value.replaceAll(/\D/g, '')
  if (digits.length === 10) return digits
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1)
  return null
}

export function checkPhone(value: string): string | null {
  return phoneDigits(value) ? null : 'A phone number has 10 digits (or 11 starting with 1), e.g. 202-555-0143.'
}

export function checkDate(value: string): string | null {
  return isRealDate(value.trim()) ? null : 'Not a real date; write it as YYYY-MM-DD.'
}

/** A mailing address for the letter: printable, at most 300 characters (lines separated by " | "). */
export function checkAddress(value: string): string | null {
  const v = value.trim()
  if (v === '') return null
  if ([...v].length > 300) return 'An address has at most 300 characters.'
  if (/[\u0000-\u001f\u007f]/u.test(v)) return 'An address holds no control characters; separate its lines with " | ".'
  return null
}

/** An information-system user id (USPS 550.000), as the sign-in log holds it (AA-USER). */
export function checkUserId(value: string): string | null {
  return USER.test(value.trim()) ? null : 'A user id is 1-64 of letters, digits, ".", "_" and "-".'
}

/** A DOL CRM inquiry case number: INQ-YYYY-NNNNNN (any case). */
export const CASE_NUMBER = /^INQ-\d{4}-\d{6}$/i

export function checkCaseNumber(value: string): string | null {
  return CASE_NUMBER.test(value.trim()) ? null : 'A case number is INQ-YYYY-NNNNNN (e.g. INQ-2026-000042).'
}
