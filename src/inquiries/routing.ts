/**
 * Routing of an inquiry to a participating agency (RULES.md "Public inquiries"): pure. A ZIP-prefix rule
 * wins over a state rule, the longest matching prefix first; no rule sends it to DOL-NATIONAL.
 */
export const DEFAULT_AGENCY = 'DOL-NATIONAL'

export interface Route {
  kind: 'zip-prefix' | 'state'
  value: string
  agency: string
}

/** The rules in the order they are decided: ZIP prefixes longest first, then states; ties by value. */
export function decisionOrder<R extends Route>(routes: readonly R[]): R[] {
  const rank = (r: Route) => (r.kind === 'zip-prefix' ? -r.value.length : 1)
  return [...routes].sort((a, b) => rank(a) - rank(b) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
}

/** The agency an inquiry goes to, and the rule that sent it there (null: none matched). */
export function routeInquiry(routes: readonly Route[], workplace: {zip: string | null; state: string | null}): {agency: string; rule: Route | null} {
  const zip = workplace.zip?.slice(0, 5) ?? ''
  const state = workplace.state?.toUpperCase() ?? ''
  const rule = decisionOrder(routes).find((r) => (r.kind === 'zip-prefix' ? zip !== '' && zip.startsWith(r.value) : state !== '' && r.value === state))
  return {agency: rule?.agency ?? DEFAULT_AGENCY, rule: rule ?? null}
}

const AGENCY = /^[A-Z0-9][A-Z0-9-]{1,29}$/

/** An agency code as the table keeps it (upper case), or the sentence saying why it is not one. */
export function checkAgency(value: string): string | null {
  return AGENCY.test(value.trim().toUpperCase()) ? null : `--agency "${value.slice(0, 40)}" must be 2-30 of A-Z, 0-9 and "-" (e.g. OFCCP-NE).`
}

export function checkZipPrefix(value: string): string | null {
  return /^\d{1,5}$/.test(value.trim()) ? null : `--zip-prefix "${value.slice(0, 12)}" must be 1 to 5 digits (the start of a ZIP code).`
}
