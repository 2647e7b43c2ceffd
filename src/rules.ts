/**
 * The shape of edit checks (PE-*, TS-*, TC-*, …): a table of codes, each with its severity and meaning, and
 * a table of rules, one entry per rule, run in order. A rule names the code it reports and the columns it
 * reads (each checked in turn), and its check returns the finding's message, or null when the value passes.
 * Codes a service decides against the store (duplicates, scope, locks) are in the codes table with `decidedBy`.
 */

export type Severity = 'error' | 'warning'

export interface CodeInfo {
  severity: Severity
  /** What the code means, in a phrase (docs/check-codes.md, reports). */
  title: string
  /** Set when no pure rule reports it: where it is decided (the check needs the store or the whole file). */
  decidedBy?: string
  /** The columns a decided code is reported on (a rule's code takes them from its rules). */
  columns?: readonly string[]
}

export interface ColumnRule<Code extends string, Row, Ctx> {
  code: Code
  /** The columns the rule reads; it is checked for each, in this order. */
  columns: readonly string[]
  check: (value: string, column: string, row: Row, ctx: Ctx) => string | null
}

/** Every finding of the rules on one row, in rule order, then column order. */
export function runColumnRules<Code extends string, Row extends Partial<Record<string, string>>, Ctx>(
  rules: readonly ColumnRule<Code, Row, Ctx>[], row: Row, ctx: Ctx,
): {code: Code; column: string; message: string}[] {
  const out: {code: Code; column: string; message: string}[] = []
  for (const rule of rules) {
    for (const column of rule.columns) {
      const message = rule.check(row[column] ?? '', column, row, ctx)
      if (message !== null) out.push({code: rule.code, column, message})
    }
  }
  return out
}
