import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT, addOperator, cli, fixtureCycle, freshStore, tempDir, storeExec} from '../helpers/cli.js'
import {pdfText} from '../helpers/pdf.js'

// Issue 21: what the public receives and what a newcomer meets.

type Env = ReturnType<typeof freshStore>
const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])

describe('request numbers', () => {
  it('are never given twice, even after a disposal destroyed the requests that had them', () => {
    const env = freshStore()
    fixtureCycle(env, 'validated')
    addOperator(env, 'po', 'privacy-officer')
    addOperator(env, 'rex', 'records-officer')
    const open = (employee: string) => as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Someone', '--employee', employee, '--received', '2026-11-20']).json.requestId
    expect(open('E1001')).toBe('PA-2026-0001')
    expect(open('E1002')).toBe('PA-2026-0002')
    for (const id of ['PA-2026-0001', 'PA-2026-0002']) expect(as(env, 'po', ['requests', 'close', id]).code).toBe(0)
    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', '2099-01-01', '--yes'])
    expect(sweep.json.destroyed.request).toBe(2)
    expect(open('E1003')).toBe('PA-2026-0003')
    expect(as(env, 'po', ['requests', 'show', 'PA-2026-0001']).code).toBe(5)
  })
})

describe('audit log', () => {
  it('--limit N shows the newest N entries, oldest first; --since takes a timestamp with an offset', () => {
    const env = freshStore()
    for (const name of ['a1', 'a2', 'a3']) addOperator(env, name, 'auditor')
    const all = as(env, 'admin', ['audit', 'log']).json.entries
    const last = as(env, 'admin', ['audit', 'log', '--limit', '2']).json.entries
    expect(last.map((e: any) => e.seq)).toEqual([all.at(-2).seq, all.at(-1).seq])

    storeExec(env, "UPDATE audit_log SET at = '2026-11-02T15:00:00.000Z' WHERE seq = 1")
    // 10:00 in UTC-05:00 is 15:00 UTC: entry 1 is included; 10:01 is not.
    const since = (s: string) => as(env, 'admin', ['audit', 'log', '--since', s, '--action', 'store.init'])
    expect(since('2026-11-02T10:00-05:00').json.entries.map((e: any) => e.seq)).toEqual([1])
    expect(since('2026-11-02T10:01:00-0500').json.entries).toEqual([])
    expect(since('2026-11-02 15:00').json.entries.map((e: any) => e.seq)).toEqual([1])
    expect(since('2026-11-02T15:00Z').json.entries.map((e: any) => e.seq)).toEqual([1])
    expect(since('2026-11-02T25:00Z').code).toBe(2)
  })
})

describe('--help examples', () => {
  it('every example runs against a demo store without a usage error or a bug', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {examples?: string[]}>}
    const env = freshStore()
    fixtureCycle(env, 'exported')
    const cwd = tempDir()
    const words = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
    const failures: string[] = []
    for (const [id, command] of Object.entries(manifest.commands)) {
      for (const example of command.examples ?? []) {
        const line = example.replace('<%= config.bin %>', 'custodian')
        if (!line.startsWith('custodian ')) continue // an example with an environment prefix is shown, not run
        const args = words(line).slice(1).map((w) => (w.startsWith('fixtures/') ? path.join(ROOT, w) : w))
        const r = cli(env, [...args.filter((a) => a !== '--json'), '--json'], {cwd})
        const code = r.json?.error?.code
        // Examples of a prompt (a sweep's confirmation, the intake form) need a terminal; here they say so.
        const wantsTerminal = code === 'CONFIRMATION_REQUIRED' || /no terminal/.test(r.json?.error?.message ?? '')
        if (r.code === 1 || (r.code === 2 && !wantsTerminal)) failures.push(`${id}: ${line} → exit ${r.code} ${code}: ${r.json?.error?.message}`)
      }
    }
    expect(failures).toEqual([])
  }, 300_000)
})

describe('payroll verify of the CSV format', () => {
  it('checks the rows against the control file: OK as exported, exit 3 naming what was changed', () => {
    const env = freshStore()
    fixtureCycle(env, 'certified')
    const out = path.join(env.dir, 'pp.csv')
    expect(as(env, 'pay', ['payroll', 'export', '--pay-period', '2026-11-01', '--out', out, '--format', 'csv']).code).toBe(0)
    const ok = as(env, 'pay', ['payroll', 'verify', out])
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({ok: true, format: 'csv', problems: []})
    expect(ok.json.records).toBe(13)

    fs.writeFileSync(out, fs.readFileSync(out, 'utf8').replace(/,REG,(\d+),/, ',REG,999,'))
    const bad = as(env, 'pay', ['payroll', 'verify', out])
    expect(bad.code).toBe(3)
    expect(bad.json.problems.map((p: any) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^control totalHours is \d+(\.\d+)?, the file gives/), expect.stringMatching(/^control sha256/)]))
    fs.rmSync(`${out}.control.json`)
    expect(as(env, 'pay', ['payroll', 'verify', out]).json.problems.map((p: any) => p.message)).toContainEqual(expect.stringMatching(/no control file/))
  })
})

describe('a rejects file imported back', () => {
  it('is read as the rows it holds (row and errors columns dropped, protective apostrophes removed), fixed or not', () => {
    const env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    const tk = (args: string[]) => as(env, 'tk', args)
    const first = path.join(env.dir, 'rejects-1.csv')
    const r1 = tk(['personnel', 'import', path.join(ROOT, 'fixtures', 'personnel.csv'), '--as-of', '2026-11-23', '--rejects', first])
    expect(r1.json.rejected).toBe(4)
    // As it is: the same rows are rejected for the same reasons, and the new rejects file has the same shape.
    const second = path.join(env.dir, 'rejects-2.csv')
    const r2 = tk(['personnel', 'import', first, '--as-of', '2026-11-23', '--rejects', second])
    expect(r2.code).toBe(0)
    // E1002's second row was a duplicate within the first file; alone, it is an update of E1002.
    expect(r2.json).toMatchObject({rowsRead: 4, inserted: 0, updated: 1, rejected: 3})
    expect(r2.json.errors.map((e: any) => e.code).sort()).toEqual(r1.json.errors.map((e: any) => e.code).filter((c: string) => c !== 'PE-DUP-ROW').sort())
    expect(fs.readFileSync(second, 'utf8').split('\n')[0]).toBe(fs.readFileSync(first, 'utf8').split('\n')[0])

    // Fixed in a spreadsheet: E1008's email and step and hours; the row is stored.
    const fixed = fs.readFileSync(first, 'utf8').split('\n').map((l) => (l.includes(',E1008,') ? l.replace('thandi mbeki@', 'thandi.mbeki@').replace(',12,11,FT,72,', ',12,10,FT,80,') : l)).join('\n')
    const fixedFile = path.join(env.dir, 'fixed.csv')
    fs.writeFileSync(fixedFile, fixed)
    const r3 = tk(['personnel', 'import', fixedFile, '--as-of', '2026-11-23'])
    expect(r3.json).toMatchObject({inserted: 1, updated: 1, rejected: 2})
    expect(tk(['personnel', 'show', 'E1008']).json.email).toBe('thandi.mbeki@agency.example.gov')
  })

  it('a timesheet line with negative hours comes back as -8, not as the text \'-8', () => {
    const env = freshStore()
    fixtureCycle(env, 'validated')
    const file = path.join(env.dir, 'neg.csv')
    fs.writeFileSync(file, 'employee_id,work_date,hour_type,hours,accounting_code\nE1001,2026-11-16,REG,-8,HS-030105-A1\n')
    const rejects = path.join(env.dir, 'neg-rejects.csv')
    const r1 = as(env, 'tk', ['timesheets', 'import', file, '--rejects', rejects])
    expect(r1.json.rejected).toBe(1)
    expect(fs.readFileSync(rejects, 'utf8')).toContain(",'-8,")
    const r2 = as(env, 'tk', ['timesheets', 'import', rejects, '--force'])
    expect(r2.json.rejected).toBe(1)
    expect(r2.json.errors.map((e: any) => e.message)).toEqual(r1.json.errors.map((e: any) => e.message))
  })
})

describe('letters that are letters', () => {
  it('an amendment letter has the letterhead, each decision, the appeal address and deadline, and prints any name', () => {
    const env = freshStore()
    fixtureCycle(env, 'validated')
    addOperator(env, 'po', 'privacy-officer')
    const set = (key: string, value: string, operator = 'admin') => cli({...env, operator}, ['settings', 'set', key, value, '--json'])
    expect(set('agency.name', 'Department of Example Affairs', 'po').code).toBe(4)
    expect(set('agency.colour', 'blue').code).toBe(2)
    expect(set('privacy.appeal_days', 'ninety').code).toBe(2)
    expect(set('agency.name', 'Department of Example Affairs').json).toMatchObject({key: 'agency.name', value: 'Department of Example Affairs', previous: null})
    set('agency.address', '1 Main Street | Washington, DC 20001')
    set('privacy.signer', 'Jordan Ellis | Chief Privacy Officer')
    set('privacy.appeal_address', 'Privacy Appeals Officer | 2 Main Street | Washington, DC 20001')
    set('privacy.appeal_days', '60')
    expect(as(env, 'admin', ['settings', 'list']).json.settings.find((s: any) => s.key === 'privacy.appeal_days').value).toBe('60')

    const po = (args: string[]) => as(env, 'po', args)
    expect(po(['requests', 'open', '--type', 'amendment', '--requester', 'Łukasz Wiśniewski', '--address', '12 Elm Street | Springfield, VA 22150', '--employee', 'E1001', '--received', '2026-11-20']).code).toBe(0)
    expect(po(['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1001', '--field', 'last_name', '--value', 'Okafor-Wiśniewski']).code).toBe(0)
    expect(po(['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1001', '--field', 'first_name', '--value', 'Ada']).code).toBe(0)
    expect(po(['requests', 'decide', 'PA-2026-0001', '--grant', '--amendment', '1']).code).toBe(0)
    expect(po(['requests', 'decide', 'PA-2026-0001', '--deny', '--reason', 'the legal name on file is Adaeze']).code).toBe(0)
    const out = path.join(env.dir, 'pkg')
    expect(po(['requests', 'fulfill', 'PA-2026-0001', '--out', out]).code).toBe(0)
    const text = pdfText(fs.readFileSync(path.join(out, 'letter.pdf'))).replaceAll(/\s*\n\s*/g, ' ')
    expect(text).toContain('Department of Example Affairs')
    expect(text).toContain('Łukasz Wiśniewski 12 Elm Street Springfield, VA 22150')
    expect(text).toContain('Dear Łukasz Wiśniewski:')
    expect(text).toContain('1. You asked that the last name in your employee profile read "Okafor-Wiśniewski". We agreed and corrected the record')
    expect(text).toContain('2. You asked that the first name in your employee profile read "Ada". We did not make this correction, because the legal name on file is Adaeze.')
    expect(text).toContain('Write to Privacy Appeals Officer, 2 Main Street, Washington, DC 20001 within 60 days of the date of this letter')
    expect(text).toContain('Jordan Ellis Chief Privacy Officer')
    expect(text).not.toMatch(/acknowledged by|record\(s\)/)
  })

  it('an accounting request gets the accounting, not the record set', () => {
    const env = freshStore()
    fixtureCycle(env, 'exported')
    addOperator(env, 'po', 'privacy-officer')
    expect(as(env, 'po', ['requests', 'open', '--type', 'accounting', '--requester', 'Adaeze Okafor', '--employee', 'E1001', '--received', '2026-11-20']).code).toBe(0)
    const out = path.join(env.dir, 'acct')
    const r = as(env, 'po', ['requests', 'fulfill', 'PA-2026-0001', '--out', out])
    expect(r.code).toBe(0)
    expect(fs.readdirSync(out).sort()).toEqual(['disclosures.csv', 'letter.pdf', 'manifest.json'])
    const text = pdfText(fs.readFileSync(path.join(out, 'letter.pdf'))).replaceAll(/\s*\n\s*/g, ' ')
    expect(text).toMatch(/which disclosures of your records we have made outside the agency/)
    expect(text).toMatch(/to National Finance Center \(payroll provider\), for payroll processing\./)
    expect(text).not.toContain('123-45-6781')
  })
})
