import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {cli, fixtureCycle, freshStore} from '../helpers/cli.js'

// `payroll verify` through the CLI on an exported file and on copies tampered in the ways the control record
// exists to catch: the problems named, on the control record's line or the damaged one, exit 3, and
// nothing but the file read. The file is read in fixed-size reads (src/payroll/verify-file.ts).

type Store = ReturnType<typeof freshStore>
const PP = ['--pay-period', '2026-11-01']

describe('payroll verify', () => {
  let env: Store
  let lines: string[]
  beforeAll(() => {
    env = freshStore()
    fixtureCycle(env, 'certified')
    const out = path.join(env.dir, 'pp.nfc')
    expect(cli({...env, operator: 'pay'}, ['payroll', 'export', ...PP, '--out', out, '--json']).code).toBe(0)
    lines = fs.readFileSync(out, 'latin1').split('\n').slice(0, -1)
  }, 120_000)

  const verify = (name: string, content: string) => {
    const file = path.join(env.dir, name)
    fs.writeFileSync(file, content, 'latin1')
    const r = cli({...env, operator: 'pay'}, ['payroll', 'verify', file, '--json'])
    return {...r, file}
  }
  const text = (ls: string[]) => ls.map((l) => `${l}\n`).join('')
  const last = () => lines.length

  it('an untouched file verifies (exit 0), in human output too', () => {
    const r = verify('ok.nfc', text(lines))
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, format: 'nfc', records: lines.length - 2, problems: []})
    const human = cli({...env, operator: 'pay'}, ['payroll', 'verify', r.file])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^OK: \d+ records/)
  })

  it('a tampered control total: the total hours and the hash total of the control record', () => {
    const t = lines[last() - 1]
    const hours = String(Number(t.slice(14, 25)) + 100).padStart(11, '0')
    const hash = String((Number(t.slice(25, 40)) + 1) % 10 ** 15).padStart(15, '0')
    const r = verify('totals.nfc', text([...lines.slice(0, -1), t.slice(0, 14) + hours + hash + t.slice(40)]))
    expect(r.code).toBe(3)
    expect(r.json.ok).toBe(false)
    expect(r.json.problems.map((p: {line: number}) => p.line)).toEqual([last(), last()])
    expect(r.json.problems[0].message).toMatch(/control record's total hours, [\d.]+, do not match the detail records/)
    expect(r.json.problems[1].message).toMatch(/control record's hash total, \d+, does not match the sum of the detail records' SSN fields/)
  })

  it('a record count off: one detail record removed', () => {
    const r = verify('count.nfc', text([...lines.slice(0, 2), ...lines.slice(3)]))
    expect(r.code).toBe(3)
    const messages = r.json.problems.map((p: {message: string}) => p.message).join('\n')
    expect(messages).toMatch(new RegExp(`says ${lines.length - 2} detail records, but the file has ${lines.length - 3}`))
    expect(messages).toMatch(/SHA-256 digest does not match/)
    expect(r.json.records).toBe(lines.length - 3)
  })

  it('a truncated file: cut in the middle of a detail record', () => {
    const whole = text(lines)
    const r = verify('cut.nfc', whole.slice(0, 121 * 3 + 50))
    expect(r.code).toBe(3)
    expect(r.json.problems).toEqual([
      {line: 4, message: 'The record is 50 characters long (70 too short); every record must be exactly 120 characters.'},
      {line: 4, message: 'The last line is a detail record (D); the file must end with a control record (T).'},
      {line: 4, message: 'The file does not end with a newline; the last record, like every other, must be followed by \\n.'},
      {line: 4, message: 'There is no control record (T), so the record count, employee count, total hours, hash total and digest cannot be checked.'},
    ])
  })

  it('a record longer than one read of the file, and an employee count off (records out of order)', () => {
    const long = [lines[0], lines[1] + 'X'.repeat(2 * 1024 * 1024), ...lines.slice(2)]
    const r = verify('long.nfc', text(long))
    expect(r.code).toBe(3)
    expect(r.json.problems[0]).toEqual({line: 2, message: `The record is ${120 + 2 * 1024 * 1024} characters long (${2 * 1024 * 1024} too long); every record must be exactly 120 characters.`})
    // The first detail record moved to the end of the details: out of order, and the digest no longer matches.
    const moved = [lines[0], ...lines.slice(2, -1), lines[1], lines[last() - 1]]
    const m = verify('moved.nfc', text(moved))
    expect(m.code).toBe(3)
    expect(m.json.problems.some((p: {line: number; message: string}) => p.line === last() - 1 && /out of order after line/.test(p.message))).toBe(true)
    expect(m.json.problems.some((p: {message: string}) => /employees, but/.test(p.message))).toBe(false)
  })

  it('a missing file is exit 5 (FILE_NOT_FOUND)', () => {
    const r = cli({...env, operator: 'pay'}, ['payroll', 'verify', path.join(env.dir, 'nope.nfc'), '--json'])
    expect(r.code).toBe(5)
    expect(r.json.error.code).toBe('FILE_NOT_FOUND')
    expect(r.json.error.message).toMatch(/^File not found: /)
  })

  it('a folder is exit 5 (FILE_NOT_FOUND) that says it is a folder', () => {
    const r = cli({...env, operator: 'pay'}, ['payroll', 'verify', env.dir, '--json'])
    expect(r.code).toBe(5)
    expect(r.json.error.code).toBe('FILE_NOT_FOUND')
    expect(r.json.error.message).toBe(`${env.dir} is a folder, not a file: give the path of the file itself.`)
  })
})
