// Control characters (C0, DEL, C1) and bidirectional overrides would let an echoed value rewrite the
// terminal or reorder the sentence around it.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Text with its control characters and bidirectional overrides shown as \uXXXX escapes. */
export function escapeUnprintable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A value quoted in a message: shortened, printable, and never anything shaped like an SSN. */
export function quoteValue(s: string, max = 40): string {
  const safe = escapeUnprintable(s.replaceAll(/\d{3}\D{0,3}\d{2}\D{0,3}\d{4}/g, '[number withheld]'))
  return safe.length > max ? `${safe.slice(0, max)}…` : safe
}
