/**
 * Name folding for access search: "María  GARCÍA" and "maria garcia" are the same person to a requester.
 * The stored key (employees.name_key) is `fold(last)|fold(first)`; migration 0004 holds a frozen copy.
 */
export function foldName(s: string | null | undefined): string {
  return (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
}

export function nameKey(lastName: string, firstName: string): string {
  return `${foldName(lastName)}|${foldName(firstName)}`
}
