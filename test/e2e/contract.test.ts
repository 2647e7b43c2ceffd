import Ajv from 'ajv'
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {FIXTURES, ROOT, addOperator, cli, freshStore, tempDir} from '../helpers/cli.js'

// @ts-expect-error plain ESM script without types
import {commandSnapshot} from '../../scripts/snapshot.mjs'

const ajv = new Ajv({allErrors: true})
const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', `${name}.json`), 'utf8'))

describe('the command contract', () => {
  it('matches the committed command and flag snapshot (update it on purpose: npm run snapshot:update)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'command-snapshot.json'), 'utf8'))
    expect(commandSnapshot()).toEqual(committed)
  })

  it('has a JSON schema for every command', () => {
    for (const {command} of commandSnapshot() as {command: string}[]) {
      expect(fs.existsSync(path.join(ROOT, 'schemas', `${command.replaceAll(' ', '-')}.json`)), command).toBe(true)
    }
  })

  it('custodian --help lists every topic with its one-line summary, and shell completion is installed', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const topics = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).oclif.topics as Record<string, {description: string}>
    const help = cli({db: path.join(tempDir(), 'none.db')}, ['--help'])
    expect(help.code).toBe(0)
    for (const id of Object.keys(manifest.commands).filter((c) => c.includes(':'))) {
      const topic = id.split(':')[0]!
      expect(topics[topic]?.description, `topic ${topic} has no description in package.json`).toBeTruthy()
      expect(help.stdout).toMatch(new RegExp(`^\\s+${topic}\\s+\\S`, 'm'))
    }
    expect(help.stdout).toMatch(/^\s+autocomplete\s/m)
    const bash = cli({db: path.join(tempDir(), 'none.db')}, ['autocomplete', 'script', 'bash'])
    expect(bash.code).toBe(0)
    expect(bash.stdout).toContain('CUSTODIAN_AC_BASH_SETUP_PATH')
  })

  it('a mistyped command is a usage error (exit 2) that names the nearest command, in the JSON error shape with --json', () => {
    const env = {db: path.join(tempDir(), 'none.db')}
    const typo = cli(env, ['operators', 'lst'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toBe('Error: "operators lst" is not a custodian command. Did you mean "operators list"? See: custodian operators --help\n')
    expect(typo.stdout).toBe('')
    const json = cli(env, ['retention', 'schedules', 'sett', '--json'])
    expect(json.code).toBe(2)
    expect(json.json).toEqual({error: {code: 'USAGE', message: '"retention schedules sett" is not a custodian command. Did you mean "retention schedules set"? See: custodian retention schedules --help'}})
    expect(cli(env, ['help', 'payroll']).stderr).toBe('Error: There is no "help" command. Run: custodian payroll --help\n')
    expect(fs.existsSync(env.db)).toBe(false)
  })

  it('every command has at least one example in its help', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8'))
    for (const c of Object.values(manifest.commands) as {id: string; examples?: string[]}[]) {
      expect(c.examples?.length ?? 0, c.id).toBeGreaterThan(0)
    }
  })
})

describe('--json output of every command matches its schema', () => {
  let env: ReturnType<typeof freshStore>
  const seen = new Set<string>()
  beforeAll(() => {
    env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'aud', 'auditor')
    addOperator(env, 'sam', 'supervisor', ['--org', '0301', '--employee', 'E1000'])
    addOperator(env, 'pay', 'payroll')
    addOperator(env, 'rex', 'records-officer')
  })

  const cases: [string, string, () => string[]][] = [
    ['init', 'admin', () => ['init']],
    ['operators-add', 'admin', () => ['operators', 'add', 'po', '--role', 'privacy-officer', '--org', '03']],
    ['operators-list', 'aud', () => ['operators', 'list']],
    ['personnel-import', 'tk', () => ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--rejects', path.join(tempDir(), 'r.csv')]],
    ['personnel-show', 'tk', () => ['personnel', 'show', 'E1001']],
    ['personnel-show', 'po', () => ['personnel', 'show', 'E1001', '--reveal-ssn']],
    ['personnel-list', 'tk', () => ['personnel', 'list', '--as-of', '2026-11-23']],
    ['personnel-separate', 'tk', () => ['personnel', 'separate', 'E1003', '--date', '2026-09-30', '--as-of', '2026-11-23']],
    ['accounts-import', 'admin', () => ['accounts', 'import', path.join(FIXTURES, 'signins.csv'), '--as-of', '2026-11-20', '--rejects', path.join(tempDir(), 'r.csv')]],
    ['accounts-show', 'aud', () => ['accounts', 'show', 'aokafor']],
    ['accounts-list', 'aud', () => ['accounts', 'list', '--inactive-since', '2026-11-03']],
    ['contacts-add', 'admin', () => ['contacts', 'add', '--name', 'Dana Whitfield', '--email', 'dana@port.example.org', '--cell-phone', '202-555-0199']],
    ['contacts-import', 'admin', () => ['contacts', 'import', path.join(FIXTURES, 'contacts.csv'), '--rejects', path.join(tempDir(), 'r.csv')]],
    ['contacts-touch', 'admin', () => ['contacts', 'touch', 'C000001', '--date', '2026-11-02', '--mode', 'meeting', '--note', 'Roundtable']],
    ['contacts-show', 'admin', () => ['contacts', 'show', 'C000001']],
    ['contacts-list', 'admin', () => ['contacts', 'list']],
    ['contacts-export', 'admin', () => ['contacts', 'export', '--out', path.join(tempDir(), 'contacts.csv')]],
    ['contacts-forget', 'admin', () => ['contacts', 'forget', 'C000002', '--yes']],
    ['error', 'admin', () => ['contacts', 'add', '--name', 'X', '--notes', 'a devout Catholic']],
    ['timesheets-import', 'tk', () => ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')]],
    ['timecards-validate', 'tk', () => ['timecards', 'validate', '--pay-period', '2026-11-01']],
    ['timesheets-import', 'tk', () => ['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')]],
    ['timecards-validate', 'tk', () => ['timecards', 'validate']],
    ['timecards-certify', 'sam', () => ['timecards', 'certify', '--pay-period', '2026-11-01']],
    ['timecards-list', 'tk', () => ['timecards', 'list', '--pay-period', '2026-11-01']],
    ['timecards-amend', 'tk', () => ['timecards', 'amend', 'E1001', '--pay-period', '2026-11-01', '--lines', path.join(FIXTURES, 'amend-E1001.csv'), '--reason', 'AL on Friday']],
    ['timecards-show', 'tk', () => ['timecards', 'show', 'E1001', '--pay-period', '2026-11-01']],
    ['timecards-history', 'tk', () => ['timecards', 'history', 'E1001', '--pay-period', '2026-11-01']],
    ['calendar', 'admin', () => ['calendar', '--year', '2027', '--add-closure', '2027-12-24', '--reason', 'Executive order']],
    ['calendar', 'tk', () => ['calendar', '--year', '2026']],
    ['payroll-export', 'pay', () => ['payroll', 'export', '--pay-period', '2026-11-01', '--out', path.join(tempDir(), 'pp.nfc')]],
    ['payroll-batches', 'pay', () => ['payroll', 'batches']],
    ['payroll-reexport', 'pay', () => ['payroll', 'reexport', 'B000000001', '--out', path.join(tempDir(), 'again.nfc')]],
    ['disclosures-list', 'admin', () => ['disclosures', 'list', '--employee', 'E1001']],
    ['disclosures-record', 'po', () => ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'OPM', '--address', '1900 E St NW', '--purpose', 'Retirement review', '--date', '2026-11-20']],
    ['requests-open', 'po', () => ['requests', 'open', '--type', 'amendment', '--requester', 'Okafor, Adaeze', '--received', '2026-11-16', '--phone', '202-555-0143']],
    ['requests-list', 'po', () => ['requests', 'list', '--as-of', '2026-11-23']],
    ['requests-search', 'po', () => ['requests', 'search', 'PA-2026-0001']],
    ['requests-amend', 'po', () => ['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1001', '--field', 'email', '--value', 'adaeze.eze@agency.example.gov']],
    ['requests-decide', 'po', () => ['requests', 'decide', 'PA-2026-0001', '--deny', '--reason', 'The address on file is current']],
    ['requests-disagree', 'po', () => {
      const statement = path.join(tempDir(), 'statement.txt')
      fs.writeFileSync(statement, 'My new address was in effect before the record was disclosed.\n')
      return ['requests', 'disagree', 'PA-2026-0001', '--statement', statement]
    }],
    ['requests-extend', 'po', () => ['requests', 'extend', 'PA-2026-0001', '--working-days', '10', '--reason', 'Unusual circumstances']],
    ['requests-show', 'po', () => ['requests', 'show', 'PA-2026-0001', '--as-of', '2026-11-23']],
    ['requests-fulfill', 'po', () => ['requests', 'fulfill', 'PA-2026-0001', '--out', path.join(tempDir(), 'package')]],
    ['requests-close', 'po', () => ['requests', 'close', 'PA-2026-0001', '--date', '2026-11-23']],
    ['disclosures-list', 'po', () => ['disclosures', 'list', '--employee', 'E1001']],
    ['payroll-verify', 'aud', () => ['payroll', 'verify', path.join(FIXTURES, 'personnel.csv')]],
    ['operators-remove', 'admin', () => ['operators', 'remove', 'po']],
    ['retention-schedules', 'aud', () => ['retention', 'schedules']],
    ['retention-schedules-set', 'admin', () => ['retention', 'schedules', 'set', 'GRS-4.2-050', '--retain-months', '72']],
    ['holds-place', 'admin', () => ['holds', 'place', '--reason', 'Case 26-0142', '--employee', 'E1002', '--record-type', 'timecard']],
    ['holds-list', 'aud', () => ['holds', 'list']],
    ['retention-plan', 'aud', () => ['retention', 'plan', '--as-of', '2031-01-01']],
    ['retention-sweep', 'admin', () => ['retention', 'sweep', '--as-of', '2031-01-01', '--yes']],
    ['holds-release', 'admin', () => ['holds', 'release', '1']],
    ['retention-disposals', 'aud', () => ['retention', 'disposals']],
    ['retention-certificate', 'aud', () => ['retention', 'certificate', 'D000000001', '--out', path.join(tempDir(), 'cert.json')]],
    ['retention-policy', 'aud', () => ['retention', 'policy']],
    ['retention-policy', 'admin', () => ['retention', 'policy', '--two-person', 'on']],
    ['retention-review-submit', 'rex', () => ['retention', 'review', 'submit', '--as-of', '2033-01-01']],
    ['retention-review-approve', 'admin', () => ['retention', 'review', 'approve', 'R000000001']],
    ['retention-sweep', 'rex', () => ['retention', 'sweep', '--review', 'R000000001', '--yes']],
    ['retention-certificate', 'aud', () => ['retention', 'certificate', 'D000000002']],
    ['retention-review-submit', 'admin', () => ['retention', 'review', 'submit', '--as-of', '2033-01-01']],
    ['retention-review-reject', 'rex', () => ['retention', 'review', 'reject', 'R000000002', '--reason', 'GAO audit pending']],
    ['retention-review-list', 'aud', () => ['retention', 'review', 'list']],
    ['retention-policy', 'admin', () => ['retention', 'policy', '--two-person', 'off']],
    ['systems-list', 'tk', () => ['systems', 'list']],
    ['systems-show', 'aud', () => ['systems', 'show', 'OPM/GOVT-1']],
    ['systems-notice', 'pay', () => ['systems', 'notice', 'USPS-550.000']],
    ['systems-notice', 'tk', () => ['systems', 'notice', 'PA-REQUESTS', '--out', path.join(tempDir(), 'notice.md')]],
    ['systems-routine-use-set', 'admin', () => ['systems', 'routine-use', 'set', 'OPM/GOVT-1', 'OPM/GOVT-1-7', '--description', 'To the Office of Personnel Management for retirement reviews.']],
    ['audit-log', 'aud', () => ['audit', 'log']],
    ['audit-checkpoint', 'aud', () => ['audit', 'checkpoint', '--out', path.join(tempDir(), 'checkpoint.json')]],
    ['audit-verify', 'aud', () => ['audit', 'verify']],
    ['error', 'tk', () => ['personnel', 'show', 'NOPE']],
    ['error', 'nobody', () => ['personnel', 'list']],
    ['error', 'tk', () => ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--strict', '--force']],
  ]

  it.each(cases)('%s (as %s)', (name, operator, args) => {
    const r = cli({...env, operator}, [...args(), '--json'])
    // validate exits 3 when a card fails, and still prints its result.
    expect(r.code === 0 || (['timecards-validate', 'payroll-verify'].includes(name) && r.code === 3), r.stdout).toBe(name !== 'error')
    const validate = ajv.compile(schema(name))
    expect(validate(r.json), JSON.stringify(validate.errors)).toBe(true)
    seen.add(name)
  })
})
