import {escapeUnprintable} from './text/redact.js'

/** Exit codes of the command contract (CLI.md). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  checksFailed: 3,
  notPermitted: 4,
  notFound: 5,
  conflict: 6,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * The one error type domain code throws. It carries a machine code (shown as error.code in --json),
 * a sentence for people, optional details (merged into the JSON error object) and the exit code.
 * Messages must never contain personal data such as SSNs.
 */
export class CustodianError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exit: ExitCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'CustodianError'
  }
}

export const usage = (message: string, details?: Record<string, unknown>) =>
  new CustodianError('USAGE', message, ExitCode.usage, details)
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new CustodianError(code, message, ExitCode.notFound, details)
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new CustodianError(code, message, ExitCode.conflict, details)
export const notPermitted = (code: string, message: string, details?: Record<string, unknown>) =>
  new CustodianError(code, message, ExitCode.notPermitted, details)
export const checksFailed = (code: string, message: string, details?: Record<string, unknown>) =>
  new CustodianError(code, message, ExitCode.checksFailed, details)

const MAX_TOKEN = 160
const MAX_MESSAGE = 800

/**
 * A message as it may leave the process: no control characters, no word longer than 160 characters (an
 * echoed 1 MB value becomes its first 60 characters and its length) and at most 800 characters in all.
 * The base command applies it to every error message, so no call site can forget.
 */
export function printable(message: string): string {
  let text = escapeUnprintable(message)
  text = text.replace(new RegExp(`\\S{${MAX_TOKEN + 1},}`, 'gu'), (word) => `${word.slice(0, 60)}…(${word.length} characters)`)
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text
}

/** Error details as they may leave the process: strings made printable, long lists cut to their first 20. */
export function printableDetails(details: Record<string, unknown>): Record<string, unknown> {
  const clean = (v: unknown): unknown =>
    typeof v === 'string' ? printable(v)
    : Array.isArray(v) ? v.slice(0, 20).map(clean)
    : v
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, clean(v)]))
}
