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
