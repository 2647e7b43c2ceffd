import {parse} from 'csv-parse/sync'
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {type CliResult, FIXTURES, PERSONNEL_HEADER, addOperator, cli, csvCell, freshStore, personnelLine, writeFile} from '../helpers/cli.js'
import {HOSTILE_STRINGS, label, randomBytes, storeDigest} from '../helpers/hostile.js'
import {runInProcess} from '../helpers/inprocess.js'

/**
 * The hostile-input suite: hostile files through every import, hostile strings through every import column
 * and every free-text flag. Each case must end in a clear error or a correct acceptance: never exit 1, a
 * stack trace, a hang, output that is not one JSON document, or a changed store when the command failed.
 */

const PP = '2026-11-01'
const AS_OF = ['--as-of', '2026-11-23']
type Store = ReturnType<typeof freshStore>

/** What every outcome must satisfy, success or failure. */
function expectClean(r: CliResult, what: string): void {
  expect([0, 2, 3, 4, 5, 6], `${what}: exit ${r.code}\n${r.stdout.slice(0, 500)}\n${r.stderr.slice(0, 500)}`).toContain(r.code)
  expect(r.stderr, `${what}: stack trace on stderr`).not.toMatch(/\n\s+at .+:\d+:\d+/)
  // Exit 3 without an error object is a result: checks ran and found problems (validate, verify).
  if (r.code !== 0 && !(r.code === 3 && r.json && !r.json.error)) {
    expect(r.json?.error?.code, `${what}: no error code`).toMatch(/^[A-Z][A-Z0-9_-]+$/)
    expect(typeof r.json.error.message).toBe('string')
    // A message names the problem; it does not echo a megabyte back.
    expect(r.json.error.message.length, `${what}: message of ${r.json.error.message.length} chars`).toBeLessThan(1000)
  }
}

/** A store with the fixtures imported and one certified card (E1001) ready to be amended. */
function setUp(): Store {
  const env = freshStore()
  addOperator(env, 'tk', 'timekeeper')
  addOperator(env, 'sam', 'supervisor', ['--org', '0301', '--employee', 'E1000'])
  const tk = {...env, operator: 'tk'}
  expect(cli(tk, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', ...AS_OF]).code).toBe(0)
  expect(cli(tk, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv'), '--json', ...AS_OF]).code).toBe(0)
  cli(tk, ['timecards', 'validate', '--pay-period', PP, '--json'])
  expect(cli({...env, operator: 'sam'}, ['timecards', 'certify', '--pay-period', PP, '--employee', 'E1001', '--json']).json.certified).toBe(1)
  return env
}

describe('hostile files through every import', () => {
  let env: Store
  beforeAll(() => {
    env = setUp()
  })

  const validPersonnel = fs.readFileSync(path.join(FIXTURES, 'personnel.csv'), 'utf8')
  const validTimesheet = fs.readFileSync(path.join(FIXTURES, 'timesheets.csv'), 'utf8')
  const validLines = fs.readFileSync(path.join(FIXTURES, 'amend-E1001.csv'), 'utf8')

  /** Hostile variants of one valid file (header + rows). */
  function hostileFiles(valid: string, textColumn: number): Record<string, Buffer> {
    const [header, ...rows] = valid.trimEnd().split('\n')
    const first = rows[0]!.split(',')
    const withCell = (cell: string) => {
      const cells = [...first]
      cells[textColumn] = csvCell(cell)
      return `${header}\n${cells.join(',')}\n`
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')])
    return {
      'random bytes': randomBytes(7, 64 * 1024),
      'random bytes after a valid header': Buffer.concat([Buffer.from(`${header}\n`), randomBytes(11, 16 * 1024)]),
      'an empty file': Buffer.alloc(0),
      'only a byte order mark': Buffer.from([0xef, 0xbb, 0xbf]),
      'only a header': Buffer.from(`${header}\n`),
      'truncated inside a quoted field': Buffer.from(`${header}\n${rows[0]}\n${rows[1]!.slice(0, 8)}"unterminated, field\n`),
      'truncated mid-row': Buffer.from(`${header}\n${rows[0]}\n${rows[1]!.slice(0, 12)}`),
      'a 1 MB cell': Buffer.from(withCell('x'.repeat(1024 * 1024))),
      '100,000 columns in the header': Buffer.from(`${header},${Array.from({length: 100_000}, (_, i) => `c${i}`).join(',')}\n${rows[0]}\n`),
      '100,000 cells in a row': Buffer.from(`${header}\n${rows[0]}${','.repeat(100_000)}\n`),
      'UTF-16 with a byte order mark': utf16,
      'Latin-1 bytes (not UTF-8)': Buffer.concat([Buffer.from(`${header}\n`), Buffer.from(withCell('Zo\u00eb').split('\n')[1]!, 'latin1'), Buffer.from('\n')]),
      'a NUL byte inside a cell': Buffer.from(withCell('ab\u0000cd')),
      'a gzip header': Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), randomBytes(3, 1000)]),
      'mismatched quotes': Buffer.from(`${header}\n"a"b,c\n`),
      'CR-only line endings': Buffer.from(valid.replaceAll('\n', '\r')),
    }
  }

  const importers: {name: string; valid: string; textColumn: number; args: (file: string) => string[]}[] = [
    {name: 'personnel import', valid: validPersonnel, textColumn: 2, args: (f) => ['personnel', 'import', f, '--force', ...AS_OF]},
    {name: 'timesheets import', valid: validTimesheet, textColumn: 4, args: (f) => ['timesheets', 'import', f, '--force', ...AS_OF]},
    {name: 'timecards amend --lines', valid: validLines, textColumn: 3, args: (f) => ['timecards', 'amend', 'E1001', '--pay-period', PP, '--lines', f, '--reason', 'hostile file']},
  ]

  for (const importer of importers) {
    describe(importer.name, () => {
      for (const [kind, bytes] of Object.entries(hostileFiles(importer.valid, importer.textColumn))) {
        it(`${kind}: a clear error or a correct acceptance`, () => {
          const file = writeFile(env.dir, `hostile-${importer.name.replace(/\W+/g, '-')}.csv`, bytes)
          const before = storeDigest(env.db)
          const r = cli({...env, operator: 'tk'}, [...importer.args(file), '--json'])
          expectClean(r, `${importer.name} / ${kind}`)
          if (r.code !== 0) {
            expect(storeDigest(env.db), 'a failed import changed the store').toBe(before)
          } else if (importer.name !== 'timecards amend --lines') {
            expect(r.json.rowsRead).toBeGreaterThanOrEqual(r.json.inserted + r.json.updated)
            for (const e of r.json.errors) expect(e.message.length).toBeLessThan(1000)
          }
          if (importer.name === 'timecards amend --lines' && r.code === 0) {
            // Put the card back to certified for the next case.
            cli({...env, operator: 'tk'}, ['timecards', 'validate', '--pay-period', PP, '--employee', 'E1001', '--json'])
            cli({...env, operator: 'sam'}, ['timecards', 'certify', '--pay-period', PP, '--employee', 'E1001', '--json'])
          }
        })
      }
    })
  }
})

describe('hostile strings in every personnel column', () => {
  it('each row is rejected with a reason or stored exactly as written; the rejects file neutralises formulas', () => {
    const env = freshStore()
    const columns = ['employee_id', 'ssn', 'last_name', 'first_name', 'middle_name', 'email', 'org_code', 'supervisor_id', 'hire_date', 'annual_leave_balance']
    const lines = [PERSONNEL_HEADER]
    const cases: {row: number; column: string; value: string; id: string}[] = []
    let n = 0
    for (const column of columns) {
      for (const value of HOSTILE_STRINGS) {
        n++
        const id = `H${String(n).padStart(5, '0')}`
        lines.push(personnelLine({employee_id: column === 'employee_id' ? value : id, ssn: '', email: '', [column]: value}))
        cases.push({row: n, column, value, id})
      }
    }
    const file = writeFile(env.dir, 'hostile-personnel.csv', `${lines.join('\n')}\n`)
    const rejects = path.join(env.dir, 'rejects.csv')
    const r = cli(env, ['personnel', 'import', file, '--rejects', rejects, '--json', ...AS_OF])
    expectClean(r, 'personnel import of hostile strings')
    expect(r.code).toBe(0)
    expect(r.json.rowsRead).toBe(cases.length)

    const rejected = new Map<number, string>()
    for (const rec of parse(fs.readFileSync(rejects), {columns: true, bom: true}) as Record<string, string>[]) rejected.set(Number(rec.row), rec.errors!)
    expect(rejected.size).toBe(r.json.rejected)
    // Formula cells in the rejects file carry a leading quote.
    for (const rec of parse(fs.readFileSync(rejects), {bom: true}) as string[][]) {
      for (const cell of rec) expect(cell, 'a formula cell in the rejects file').not.toMatch(/^[=+\-@\t\r]/)
    }

    const stored = new Map<string, Record<string, unknown>>()
    for (const e of cli(env, ['personnel', 'list', '--json', ...AS_OF]).json.employees) stored.set(e.employeeId, e)
    const camel = (c: string) => c.replace(/_(\w)/g, (_m, ch: string) => ch.toUpperCase())
    for (const c of cases) {
      const why = `${c.column} = ${label(c.value)}`
      if (rejected.has(c.row)) {
        expect(rejected.get(c.row), why).toMatch(/[A-Z]{2,}-[A-Z-]+/)
        continue
      }
      // Accepted: stored as written (trimmed; employee ids in capitals; empty optional cells are null).
      const id = c.column === 'employee_id' ? c.value.trim().toUpperCase() : c.id
      const employee = stored.get(id)
      expect(employee, `${why}: accepted but not stored`).toBeDefined()
      if (['last_name', 'first_name', 'middle_name'].includes(c.column)) {
        expect(employee![camel(c.column)] ?? '', why).toBe(c.value.trim().normalize('NFC'))
      }
    }
    // Names that are not names never get in.
    for (const c of cases.filter((x) => ['last_name', 'first_name'].includes(x.column))) {
      if (/[;`$|<>{}=@\\\u0000-\u001f\u007f-\u009f\u202e]/.test(c.value) || c.value.trim() === '' || c.value.length > 300) {
        expect(rejected.has(c.row), `${c.column} = ${label(c.value)} should be rejected`).toBe(true)
      }
    }
  })

  it('hostile strings in every timesheet column are rejected with a reason or stored exactly', () => {
    const env = freshStore()
    expect(cli(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', ...AS_OF]).code).toBe(0)
    const header = 'employee_id,work_date,hour_type,hours,accounting_code'
    const base: Record<string, string> = {employee_id: 'E1001', work_date: '2026-11-02', hour_type: 'REG', hours: '8', accounting_code: 'HS-030105-A1'}
    const lines = [header]
    const cases: {row: number; column: string; value: string}[] = []
    for (const column of Object.keys(base)) {
      for (const value of HOSTILE_STRINGS) {
        lines.push(Object.keys(base).map((k) => csvCell(k === column ? value : base[k]!)).join(','))
        cases.push({row: lines.length - 1, column, value})
      }
    }
    const file = writeFile(env.dir, 'hostile-timesheets.csv', `${lines.join('\n')}\n`)
    const rejects = path.join(env.dir, 'rejects.csv')
    const r = cli(env, ['timesheets', 'import', file, '--rejects', rejects, '--json', ...AS_OF])
    expectClean(r, 'timesheets import of hostile strings')
    expect(r.code).toBe(0)
    const rejected = new Set((parse(fs.readFileSync(rejects), {columns: true, bom: true}) as Record<string, string>[]).map((x) => Number(x.row)))
    expect(rejected.size).toBe(r.json.rejected)
    // Every stored line has a well-formed value in every column.
    const card = cli(env, ['timecards', 'show', 'E1001', '--pay-period', PP, '--json']).json
    for (const line of card.lines) {
      expect(line.workDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(line.accountingCode).toMatch(/^[A-Z0-9.-]{1,20}$/)
      expect(typeof line.hours).toBe('number')
    }
    // Only values that are valid as written (the base row itself, or a harmless variant) were accepted.
    for (const c of cases) {
      if (!rejected.has(c.row)) expect(c.value.trim().length, `${c.column} = ${label(c.value)} accepted`).toBeGreaterThan(0)
    }
  })
})

describe('hostile strings through every free-text flag', () => {
  let env: Store
  /** An open access request about E1002, replaced whenever a case closes it. */
  let requestId: string
  const openRequest = async () => {
    const r = await runInProcess(env, ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', '--employee', 'E1002', '--received', '2026-11-02'])
    expect(r.code).toBe(0)
    requestId = r.json.requestId
  }
  /** An amendment request about E1002 with one pending amendment of last_name. */
  let amendId: string
  const pendingAmendment = async () => {
    expect((await runInProcess(env, ['requests', 'amend', '--json', '--record', 'employee:E1002', '--field', 'last_name', '--value', 'Ito-Smith', '--', amendId])).code).toBe(0)
  }
  beforeAll(async () => {
    env = setUp()
    await openRequest()
    amendId = (await runInProcess(env, ['requests', 'open', '--json', '--type', 'amendment', '--requester', 'Hana Ito', '--employee', 'E1002', '--received', '2026-11-02'])).json.requestId
    await pendingAmendment()
  })

  /**
   * Each case: the command with the hostile string as a flag value (`--flag=value`, so a value that looks like
   * a flag stays a value) or as an argument after `--`; `readOnly` commands must leave everything
   * but the audit trail as it was; `accepted` checks a success round-trips the value and undoes it.
   */
  const cases: {name: string; argv: (s: string) => string[]; readOnly?: boolean; accepted?: (s: string, r: CliResult) => Promise<void>}[] = [
    {
      name: 'calendar --add-closure --reason',
      argv: (s) => ['calendar', '--json', '--add-closure', '2026-12-24', `--reason=${s}`],
      async accepted(s) {
        const cal = await runInProcess(env, ['calendar', '--year', '2026', '--json'])
        expect(JSON.stringify(cal.json)).toContain(JSON.stringify(s.trim()).slice(1, -1).slice(0, 200))
        expect((await runInProcess(env, ['calendar', '--remove-closure', '2026-12-24', '--json'])).code).toBe(0)
      },
    },
    {
      name: 'operators add <name>',
      argv: (s) => ['operators', 'add', '--json', '--role', 'auditor', '--', s],
      async accepted(s, r) {
        const name = r.json.name ?? s
        const list = await runInProcess(env, ['operators', 'list', '--json'])
        expect(list.json.operators.map((o: {name: string}) => o.name)).toContain(name)
        expect((await runInProcess(env, ['operators', 'remove', '--json', '--', name])).code).toBe(0)
      },
    },
    {
      name: 'operators add --org',
      argv: (s) => ['operators', 'add', 'hostile-org', '--json', '--role', 'auditor', `--org=${s}`],
      async accepted() {
        expect((await runInProcess(env, ['operators', 'remove', 'hostile-org', '--json'])).code).toBe(0)
      },
    },
    {name: 'operators add --employee', argv: (s) => ['operators', 'add', 'hostile-emp', '--json', '--role', 'auditor', `--employee=${s}`], async accepted() {
      expect((await runInProcess(env, ['operators', 'remove', 'hostile-emp', '--json'])).code).toBe(0)
    }},
    {name: 'operators remove <name>', argv: (s) => ['operators', 'remove', '--json', '--', s]},
    {name: 'audit log --actor', argv: (s) => ['audit', 'log', '--json', `--actor=${s}`], readOnly: true},
    {name: 'audit log --action', argv: (s) => ['audit', 'log', '--json', `--action=${s}`], readOnly: true},
    {name: 'audit log --since', argv: (s) => ['audit', 'log', '--json', `--since=${s}`], readOnly: true},
    {name: 'personnel show <employeeId>', argv: (s) => ['personnel', 'show', '--json', '--', s], readOnly: true},
    {name: 'personnel list --org', argv: (s) => ['personnel', 'list', '--json', `--org=${s}`], readOnly: true},
    {name: 'personnel list --as-of', argv: (s) => ['personnel', 'list', '--json', `--as-of=${s}`], readOnly: true},
    {name: 'personnel separate --date', argv: (s) => ['personnel', 'separate', 'E1003', '--json', `--date=${s}`, ...AS_OF]},
    {name: 'timecards show --pay-period', argv: (s) => ['timecards', 'show', 'E1001', '--json', `--pay-period=${s}`], readOnly: true},
    {name: 'timecards list --pay-period', argv: (s) => ['timecards', 'list', '--json', `--pay-period=${s}`], readOnly: true},
    {name: 'timecards history <employeeId>', argv: (s) => ['timecards', 'history', '--json', '--pay-period', PP, '--', s], readOnly: true},
    {name: 'timecards validate --employee', argv: (s) => ['timecards', 'validate', '--json', `--employee=${s}`]},
    {name: 'timecards certify --employee', argv: (s) => ['timecards', 'certify', '--json', '--pay-period', PP, `--employee=${s}`]},
    {
      name: 'timecards amend --reason',
      argv: (s) => ['timecards', 'amend', 'E1001', '--json', '--pay-period', PP, '--lines', path.join(FIXTURES, 'amend-E1001.csv'), `--reason=${s}`],
      async accepted(s) {
        const history = await runInProcess(env, ['timecards', 'history', 'E1001', '--pay-period', PP, '--json'])
        expect(history.json.history.at(-1).reason).toBe(s.trim())
        await runInProcess({...env, operator: 'tk'}, ['timecards', 'validate', '--pay-period', PP, '--employee', 'E1001', '--json'])
        expect((await runInProcess({...env, operator: 'sam'}, ['timecards', 'certify', '--pay-period', PP, '--employee', 'E1001', '--json'])).json.certified).toBe(1)
      },
    },
    {name: 'disclosures list --employee', argv: (s) => ['disclosures', 'list', '--json', `--employee=${s}`], readOnly: true},
    {name: 'payroll verify <file>', argv: (s) => ['payroll', 'verify', '--json', '--', s], readOnly: true},
    {
      name: 'holds place --reason',
      argv: (s) => ['holds', 'place', '--json', '--employee', 'E1002', `--reason=${s}`],
      async accepted(s, r) {
        const holds = await runInProcess(env, ['holds', 'list', '--json'])
        expect(holds.json.holds.find((h: {holdId: number}) => h.holdId === r.json.holdId).reason).toBe(s.trim())
        expect((await runInProcess(env, ['holds', 'release', '--json', '--reason', 'test done', '--', String(r.json.holdId)])).code).toBe(0)
      },
    },
    {name: 'holds place --employee', argv: (s) => ['holds', 'place', '--json', '--reason', 'litigation', `--employee=${s}`]},
    {name: 'holds place --record-type', argv: (s) => ['holds', 'place', '--json', '--reason', 'litigation', `--record-type=${s}`]},
    {name: 'holds release <holdId>', argv: (s) => ['holds', 'release', '--json', '--', s]},
    {name: 'holds release --reason', argv: (s) => ['holds', 'release', '--json', `--reason=${s}`, '--', '999999']},
    {name: 'retention plan --as-of', argv: (s) => ['retention', 'plan', '--json', `--as-of=${s}`], readOnly: true},
    {name: 'retention certificate <disposalId>', argv: (s) => ['retention', 'certificate', '--json', '--', s], readOnly: true},
    {name: 'retention certificate --out', argv: (s) => ['retention', 'certificate', '--json', `--out=${s}`, '--', '999999'], readOnly: true},
    {name: 'retention schedules set <code>', argv: (s) => ['retention', 'schedules', 'set', '--json', '--retain-months', '36', '--', s]},
    {name: 'retention schedules set --retain-months', argv: (s) => ['retention', 'schedules', 'set', '--json', `--retain-months=${s}`, '--', 'GRS-2.4-030'], async accepted() {
      expect((await runInProcess(env, ['retention', 'schedules', 'set', '--json', '--retain-months', '36', '--', 'GRS-2.4-030'])).code).toBe(0)
    }},
    {
      name: 'requests open --requester',
      argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--employee', 'E1002', '--received', '2026-11-02', `--requester=${s}`],
      async accepted(s, r) {
        const shown = await runInProcess(env, ['requests', 'show', '--json', '--', r.json.requestId])
        expect(shown.json.requester).toBe(s.trim())
      },
    },
    {name: 'requests open --email', argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', '--received', '2026-11-02', `--email=${s}`]},
    {name: 'requests open --phone', argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', '--received', '2026-11-02', `--phone=${s}`]},
    {name: 'requests open --ssn', argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', '--received', '2026-11-02', `--ssn=${s}`]},
    {name: 'requests open --employee', argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', '--received', '2026-11-02', `--employee=${s}`]},
    {name: 'requests open --received', argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', `--received=${s}`]},
    {name: 'requests open --verified', argv: (s) => ['requests', 'open', '--json', '--type', 'access', '--requester', 'Hana Ito', '--received', '2026-11-02', `--verified=${s}`]},
    {name: 'requests show <requestId>', argv: (s) => ['requests', 'show', '--json', '--', s], readOnly: true},
    {name: 'requests search <requestId>', argv: (s) => ['requests', 'search', '--json', '--', s], readOnly: true},
    {name: 'requests list --as-of', argv: (s) => ['requests', 'list', '--json', `--as-of=${s}`], readOnly: true},
    {name: 'requests extend --reason', argv: (s) => ['requests', 'extend', '--json', '--working-days', '5', `--reason=${s}`, '--', requestId]},
    {name: 'requests extend --working-days', argv: (s) => ['requests', 'extend', '--json', `--working-days=${s}`, '--reason', 'unusual circumstances', '--', requestId]},
    {name: 'requests amend --record', argv: (s) => ['requests', 'amend', '--json', `--record=${s}`, '--field', 'last_name', '--value', 'Ito', '--', amendId]},
    {name: 'requests amend --field', argv: (s) => ['requests', 'amend', '--json', '--record', 'employee:E1002', `--field=${s}`, '--value', 'Ito', '--', amendId]},
    {
      name: 'requests amend --value',
      argv: (s) => ['requests', 'amend', '--json', '--record', 'employee:E1002', '--field', 'last_name', `--value=${s}`, '--', amendId],
      async accepted(s, r) {
        expect(r.json.amendment.requestedValue).toBe(s.trim())
        expect((await runInProcess(env, ['requests', 'decide', '--json', '--deny', '--reason', 'not supported', '--amendment', String(r.json.amendment.amendmentId), '--', amendId])).code).toBe(0)
      },
    },
    {
      name: 'requests decide --reason',
      argv: (s) => ['requests', 'decide', '--json', '--deny', `--reason=${s}`, '--', amendId],
      async accepted(s) {
        const shown = await runInProcess(env, ['requests', 'show', '--json', '--', amendId])
        expect(JSON.stringify(shown.json.amendments)).toContain(JSON.stringify(s.trim()).slice(1, -1).slice(0, 100))
        await pendingAmendment()
      },
    },
    {name: 'requests disagree --statement', argv: (s) => ['requests', 'disagree', '--json', `--statement=${s}`, '--', amendId]},
    {
      name: 'requests close --note',
      argv: (s) => ['requests', 'close', '--json', `--note=${s}`, '--', requestId],
      async accepted(s, r) {
        expect(r.json.note).toBe(s.trim() || null)
        await openRequest()
      },
    },
    {name: 'requests close <requestId>', argv: (s) => ['requests', 'close', '--json', '--', s]},
    {
      name: 'disclosures record --recipient',
      argv: (s) => ['disclosures', 'record', '--json', '--employee', 'E1002', '--address', '1 Main St', '--purpose', 'audit', '--date', '2026-11-02', `--recipient=${s}`],
      async accepted(s) {
        const list = await runInProcess(env, ['disclosures', 'list', '--json', '--employee', 'E1002'])
        expect(list.json.disclosures.map((d: {recipient: string}) => d.recipient)).toContain(s.trim())
      },
    },
    {name: 'disclosures record --address', argv: (s) => ['disclosures', 'record', '--json', '--employee', 'E1002', '--recipient', 'GAO', '--purpose', 'audit', '--date', '2026-11-02', `--address=${s}`]},
    {name: 'disclosures record --purpose', argv: (s) => ['disclosures', 'record', '--json', '--employee', 'E1002', '--recipient', 'GAO', '--address', '1 Main St', '--date', '2026-11-02', `--purpose=${s}`]},
    {name: 'disclosures record --routine-use', argv: (s) => ['disclosures', 'record', '--json', '--employee', 'E1002', '--recipient', 'GAO', '--address', '1 Main St', '--purpose', 'audit', '--date', '2026-11-02', `--routine-use=${s}`]},
    {name: 'disclosures record --date', argv: (s) => ['disclosures', 'record', '--json', '--employee', 'E1002', '--recipient', 'GAO', '--address', '1 Main St', '--purpose', 'audit', `--date=${s}`]},
    {name: 'disclosures record --record', argv: (s) => ['disclosures', 'record', '--json', '--employee', 'E1002', '--recipient', 'GAO', '--address', '1 Main St', '--purpose', 'audit', '--date', '2026-11-02', `--record=${s}`]},
    {name: 'payroll reexport <batchId>', argv: (s) => ['payroll', 'reexport', '--json', '--out', path.join(env.dir, 'never.dat'), '--', s]},
    // Last: a far-future date destroys what is due, which the cases above need.
    {name: 'retention sweep --as-of', argv: (s) => ['retention', 'sweep', '--json', '--yes', `--as-of=${s}`]},
  ]

  for (const c of cases) {
    it(`${c.name}: every hostile string ends in a clear error or a correct acceptance`, async () => {
      for (const s of HOSTILE_STRINGS) {
        const before = storeDigest(env.db, {ignoreAudit: c.readOnly})
        const r = await runInProcess(env, c.argv(s))
        const what = `${c.name} ${label(s)}`
        expectClean(r, what)
        if (r.code !== 0 || c.readOnly) {
          expect(storeDigest(env.db, {ignoreAudit: c.readOnly}), `${what}: the store changed`).toBe(before)
        } else if (c.accepted) {
          await c.accepted(s, r)
        }
      }
    })
  }
})

describe('hostile strings in human output', () => {
  it('an echoed value cannot write control sequences to the terminal', async () => {
    const env = freshStore()
    for (const s of HOSTILE_STRINGS.filter((x) => /[\u0000-\u001f\u007f-\u009f\u202e]/.test(x))) {
      for (const argv of [['personnel', 'show', '--', s], ['operators', 'remove', '--', s], ['audit', 'log', `--since=${s}`]]) {
        const r = await runInProcess(env, argv)
        expect(r.code, label(s)).not.toBe(0)
        expect(r.stderr.replace(/\n$/, ''), `${argv.join(' ')}: raw control characters on stderr`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
      }
    }
  })
})

describe('hostile statement files (requests disagree --statement)', () => {
  it('each ends in a clear error or a filed statement, and a refused one changes nothing', async () => {
    const env = freshStore()
    expect(cli(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', ...AS_OF]).code).toBe(0)
    const id = cli(env, ['requests', 'open', '--json', '--type', 'amendment', '--requester', 'Hana Ito', '--employee', 'E1002', '--received', '2026-11-02']).json.requestId
    expect(cli(env, ['requests', 'amend', id, '--json', '--record', 'employee:E1002', '--field', 'hire_date', '--value', '2016-01-01']).code).toBe(0)
    expect(cli(env, ['requests', 'decide', id, '--json', '--deny', '--reason', 'The SF-50 on file shows otherwise']).code).toBe(0)
    const files: Record<string, Buffer> = {
      'random bytes': randomBytes(5, 4096),
      'an empty file': Buffer.alloc(0),
      'only a byte order mark': Buffer.from([0xef, 0xbb, 0xbf]),
      'UTF-16 text': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('I disagree.', 'utf16le')]),
      'Latin-1 text': Buffer.from('Je ne suis pas d\u2019accord: Zo\u00eb', 'latin1'),
      'a NUL byte': Buffer.from('I disagree.\u0000'),
      'terminal escapes': Buffer.from('I disagree \u001b[2J\u001b[31m loudly'),
      'a 1 MB statement': Buffer.from('x'.repeat(1024 * 1024)),
      ...Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`hostile string ${i} ${label(s)}`, Buffer.from(s)])),
    }
    for (const [kind, bytes] of Object.entries(files)) {
      const file = writeFile(env.dir, 'statement.txt', bytes)
      const before = storeDigest(env.db)
      const r = await runInProcess(env, ['requests', 'disagree', '--json', '--statement', file, '--', id])
      expectClean(r, `statement: ${kind}`)
      if (r.code !== 0) expect(storeDigest(env.db), `${kind}: the store changed`).toBe(before)
    }
    // A plain statement is filed and shown with the request.
    const ok = await runInProcess(env, ['requests', 'disagree', '--json', '--statement', writeFile(env.dir, 's.txt', 'I started on 2015-12-28.\n'), '--', id])
    expect(ok.code).toBe(0)
    expect(JSON.stringify((await runInProcess(env, ['requests', 'show', '--json', '--', id])).json)).toContain('I started on 2015-12-28.')
  })
})
