import Database from 'better-sqlite3'
import {createHash} from 'node:crypto'
import {prng} from './prng.js'

/**
 * Strings that have broken software before: control characters, bidirectional overrides, emoji and
 * combining marks, SQL and shell metacharacters, spreadsheet formula prefixes, format strings, numbers and
 * dates that are not, path traversal, and very long values. (NUL is left out: no shell or exec can pass it
 * in an argument; the file tests carry it.)
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '   leading and trailing   ',
  '\t',
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\nline',
  'bell\u0007 backspace\u0008 escape\u001b[31mred\u001b[0m',
  'delete\u007f',
  'C1 control\u0085\u009b',
  'right-to-left \u202eoverride\u202c',
  'Arabic \u0627\u0644\u0639\u0631\u0628\u064a\u0629 mixed',
  'Hebrew \u05e9\u05dc\u05d5\u05dd',
  'zero\u200bwidth\u200dspace\u2060joiner',
  '\ufeffbyte order mark',
  'emoji 👩‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍💻',
  'Z̴̡̪̫͖̟͎̈́̀̑͗a̸̢̛̰̞͕͋̓l̵͍̲̓g̶̙͎̾o̷̧͔̐',
  'Zoë Ñúñez-Ångström',
  '李小龙',
  '\u00e9 precomposed vs e\u0301 decomposed',
  "O'Brien",
  '"double quoted"',
  'comma, separated, values',
  "'; DROP TABLE employees; --",
  '" OR 1=1 --',
  "Robert'); DELETE FROM audit_log WHERE ('1'='1",
  '1; SELECT sqlite_version()',
  '%s%s%s%n%x%d',
  '{{7*7}} ${7*7} #{7*7}',
  '$(touch /tmp/custodian-pwned)',
  '`id`',
  '; rm -rf / ;',
  '| cat /etc/passwd',
  '&& echo pwned',
  '> /tmp/out',
  '../../../../etc/passwd',
  'C:\\Windows\\System32',
  '=CMD|\' /C calc\'!A0',
  '=HYPERLINK("http://evil.example","click")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '<script>alert(1)</script>',
  '{"json": true}',
  '[object Object]',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '0x1F',
  '٣٤٥',
  '2026-02-30',
  '2026-13-01',
  '0000-01-01',
  '9999-12-31',
  ' 2026-01-11 ',
  '2026-1-11',
  '11/01/2026',
  '--json',
  '-h',
  '--db=/tmp/elsewhere.db',
  'A'.repeat(300),
  `${'Ω'.repeat(5000)}`,
  'x'.repeat(100_000),
]

/** A short label for a hostile string (test names must stay readable). */
export function label(s: string): string {
  const shown = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…(${s.length})` : s)
  return shown
}

/**
 * A digest of every row of every table of the store: equal digests mean nothing changed. Rows are
 * compared as sets (sorted JSON), so table order on disk does not matter.
 */
export function storeDigest(file: string, options: {ignoreAudit?: boolean} = {}): string {
  const db = new Database(file, {readonly: true, fileMustExist: true})
  try {
    const hash = createHash('sha256')
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]
    for (const table of tables) {
      // Reads are audited: with ignoreAudit, the chain and its head pointer are left out.
      if (options.ignoreAudit && table === 'audit_log') continue
      const where = options.ignoreAudit && table === 'settings' ? " WHERE key <> 'audit.head'" : ''
      const rows = (db.prepare(`SELECT * FROM "${table}"${where}`).all() as unknown[]).map((r) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
      rows.sort()
      hash.update(`${table}\n${rows.join('\n')}\n`)
    }
    return hash.digest('hex')
  } finally {
    db.close()
  }
}

/** A deterministic pseudo-random byte source (mulberry32), so a failing case can be reproduced. */
export function randomBytes(seed: number, length: number): Buffer {
  const next = prng(seed)
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 4294967296) & 0xff
  return out
}
