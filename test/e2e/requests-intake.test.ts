import {spawnSync} from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {BIN, ROOT, addOperator, cli, connectAs, freshStore} from '../helpers/cli.js'

const hasPython = spawnSync('python3', ['-c', 'import pty'], {encoding: 'utf8'}).status === 0
const BACKSPACE = '\u007F'

/** `requests open` as po on a pseudo-terminal, answering each prompt (waited for by its text) with the keys given. */
function intakeOnTerminal(env: {db: string}, steps: string[][]) {
  return spawnSync('python3', [path.join(ROOT, 'test', 'helpers', 'pty-drive.py'), JSON.stringify(steps), process.execPath, BIN, 'requests', 'open'], {
    encoding: 'utf8',
    env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CUSTODIAN_DB: connectAs({...env, operator: 'po'}), CUSTODIAN_OPERATOR: 'po', NO_COLOR: '1', TERM: 'xterm'},
    timeout: 60_000,
  })
}

describe('requests open on a terminal: the intake form', () => {
  it.skipIf(!hasPython)('asks for each field, refuses a bad email, phone or date as it is entered, and opens the request', () => {
    const env = freshStore()
    addOperator(env, 'po', 'privacy-officer')
    const steps = [
      ['Type of request', '\r'], // the first choice: access
      ['name', 'Adaeze Okafor\r'],
      ['Email', 'adaeze@agency\r'],
      ['plausible', `${BACKSPACE.repeat(6)}agency.example.gov\r`],
      ['Phone', '555\r'],
      ['10 digits', `${BACKSPACE.repeat(3)}202-555-0143\r`],
      ['Mailing address', '12 Elm Street | Springfield, VA 22150\r'],
      ['employee_id', '\r'],
      ['user id', 'A.Okafor\r'],
      ['case number', 'INQ-26\r'],
      ['A case number is', `${BACKSPACE.repeat(6)}inq-2026-000042\r`],
      ['Received', '2026-13-01\r'],
      ['real date', `${BACKSPACE.repeat(10)}2026-11-02\r`],
      ['verified', 'in person, PIV card\r'],
    ]
    const r = intakeOnTerminal(env, steps)
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('Not a plausible email address')
    expect(r.stdout).toContain('A phone number has 10 digits')
    expect(r.stdout).toContain('Not a real date')
    expect(r.stdout).toContain('Opened PA-2026-0001 (access), received 2026-11-02: acknowledge by 2026-11-17, respond by 2026-12-02.')
    const shown = cli({...env, operator: 'po'}, ['requests', 'show', 'PA-2026-0001', '--json']).json
    expect(shown).toMatchObject({requester: 'Adaeze Okafor', email: 'adaeze@agency.example.gov', phone: '2025550143', address: '12 Elm Street | Springfield, VA 22150', employeeId: null, userId: 'a.okafor', caseNumber: 'INQ-2026-000042', verified: 'in person, PIV card', received: '2026-11-02'})
  })

  it.skipIf(!hasPython)('Ctrl-C in the form cancels: exit 2, CANCELLED, nothing opened', () => {
    const env = freshStore()
    addOperator(env, 'po', 'privacy-officer')
    const steps = [['Type of request', '\r'], ['name', 'Adaeze\u0003']]
    const r = intakeOnTerminal(env, steps)
    expect(r.status, r.stdout + r.stderr).toBe(2)
    expect(r.stdout).toContain('Cancelled at the prompt; nothing was stored.')
    expect(r.stdout).not.toMatch(/Internal error|This is a bug/)
    expect(cli({...env, operator: 'po'}, ['requests', 'list', '--json']).json.requests).toEqual([])
  })

  it('without a terminal and without --requester, it is a usage error (exit 2) and opens nothing', () => {
    const env = freshStore()
    addOperator(env, 'po', 'privacy-officer')
    const r = cli({...env, operator: 'po'}, ['requests', 'open', '--type', 'access', '--json'])
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(/--requester/)
    expect(cli({...env, operator: 'po'}, ['requests', 'list', '--json']).json.requests).toEqual([])
  })
})
