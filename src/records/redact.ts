/** A value quoted in a message: shortened, and never anything shaped like an SSN. */
export function quoteValue(s: string, max = 40): string {
  const safe = s.replaceAll(/\d{3}\D{0,3}\d{2}\D{0,3}\d{4}/g, '[number withheld]')
  return safe.length > max ? `${safe.slice(0, max)}…` : safe
}
