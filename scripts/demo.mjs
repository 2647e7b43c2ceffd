// npm run demo: the whole current cycle on the shipped fixtures, in a temporary store, narrated.
// Each step shows the command as a user would type it, then its real output.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-demo-'))
const db = path.join(work, 'agency.db')
const fixture = (name) => path.relative(process.cwd(), path.join(root, 'fixtures', name))
const out = (name) => path.join(work, name)
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001B[1m${s}\u001B[22m` : s)

function run(operator, args, {expect = [0]} = {}) {
  console.log(`\n${bold(`$ CUSTODIAN_OPERATOR=${operator} custodian ${args.join(' ')}`)}`)
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'run.js'), ...args], {
    env: {...process.env, CUSTODIAN_DB: db, CUSTODIAN_OPERATOR: operator},
    encoding: 'utf8',
  })
  process.stdout.write(r.stdout)
  process.stdout.write(r.stderr)
  if (!expect.includes(r.status)) {
    console.error(`\ndemo: unexpected exit ${r.status} (expected ${expect.join(' or ')}); stopping.`)
    process.exit(1)
  }
  if (r.status !== 0) console.log(`(exit ${r.status}, as expected)`)
  return r
}

function say(text) {
  console.log(`\n${bold('==')} ${text}`)
}

const AS_OF = ['--as-of', '2026-11-23']

say(`A new store at ${db}, with alice as its admin.`)
run('alice', ['init', '--agency', 'HS', '--admin', 'alice'])

say('alice adds the people who will use it: a timekeeper and a supervisor scoped to org 0301, a privacy officer, an auditor.')
run('alice', ['operators', 'add', 'tina', '--role', 'timekeeper', '--org', '0301'])
run('alice', ['operators', 'add', 'priya', '--role', 'privacy-officer'])
run('alice', ['operators', 'add', 'aldo', '--role', 'auditor'])
run('alice', ['operators', 'add', 'sam', '--role', 'supervisor', '--org', '0301', '--employee', 'E1000'])
run('alice', ['operators', 'add', 'paula', '--role', 'payroll'])
run('aldo', ['operators', 'list'])

say('tina imports personnel. Bad rows are rejected with reasons; the good ones are stored.')
run('tina', ['personnel', 'import', fixture('personnel.csv'), '--rejects', out('personnel-rejects.csv'), ...AS_OF])
console.log(`\n(rejects file ${out('personnel-rejects.csv')}:)`)
process.stdout.write(fs.readFileSync(out('personnel-rejects.csv'), 'utf8'))

say('The same file again is refused: it was already imported.')
run('tina', ['personnel', 'import', fixture('personnel.csv')], {expect: [6]})

say('Employees are listed and shown with SSNs masked.')
run('tina', ['personnel', 'list', ...AS_OF])
run('tina', ['personnel', 'show', 'E1002'])

say('Only a privacy officer may see a whole SSN, and doing so is audited.')
run('tina', ['personnel', 'show', 'E1002', '--reveal-ssn'], {expect: [4]})
run('priya', ['personnel', 'show', 'E1002', '--reveal-ssn'])


const PP = ['--pay-period', '2026-11-01']
say('The pay periods and holidays of the year (pay period 2026-22 starts Nov 1 and holds Veterans Day).')
run('tina', ['calendar', '--year', '2026'])

say('tina imports the timesheets of pay period 2026-11-01. Bad lines are rejected with reasons.')
run('tina', ['timesheets', 'import', fixture('timesheets.csv'), '--rejects', out('timesheet-rejects.csv')])

say('The edit checks explain every problem (exit 3: some cards failed).')
run('tina', ['timecards', 'validate', ...PP], {expect: [3]})

say('tina fixes the two cards by importing the missing and corrected lines, and validates again.')
run('tina', ['timesheets', 'import', fixture('timesheets-fix.csv')])
run('tina', ['timecards', 'validate', ...PP])

say('sam, the supervisor, certifies the cards in his scope; never his own (E1000).')
run('sam', ['timecards', 'certify', ...PP])
run('tina', ['timecards', 'list', ...PP])

say('A certified card is corrected by an amendment: a new version, re-validated and re-certified.')
run('tina', ['timecards', 'amend', 'E1001', ...PP, '--lines', fixture('amend-E1001.csv'), '--reason', 'Nov 13 was annual leave, not regular time'])
run('tina', ['timecards', 'validate', ...PP, '--employee', 'E1001'])
run('sam', ['timecards', 'certify', ...PP, '--employee', 'E1001'])
run('tina', ['timecards', 'show', 'E1001', ...PP])
run('tina', ['timecards', 'history', 'E1001', ...PP])

say('paula exports the certified cards to the payroll provider; the file carries its own control totals.')
run('paula', ['payroll', 'export', ...PP, '--out', out('pp-2026-22.nfc')])
console.log(`\n(first lines of ${out('pp-2026-22.nfc')}:)`)
console.log(fs.readFileSync(out('pp-2026-22.nfc'), 'utf8').split('\n').slice(0, 3).join('\n').replace(/^D\d{5}/gm, 'D*****'))
run('paula', ['payroll', 'verify', out('pp-2026-22.nfc')])

say('The export was recorded in the accounting of disclosures, which the individual may see.')
run('priya', ['disclosures', 'list', '--employee', 'E1001'])

say('Each card is exported once: a second export of the period has nothing to do (exit 5).')
run('paula', ['payroll', 'export', ...PP, '--out', out('again.nfc')], {expect: [5]})

say('A correction after export: amend, validate, certify, export again as a C record carrying the whole card.')
run('tina', ['timecards', 'amend', 'E1002', ...PP, '--lines', fixture('amend-E1002.csv'), '--reason', 'Nov 12 was sick leave'])
run('tina', ['timecards', 'validate', ...PP, '--employee', 'E1002'])
run('sam', ['timecards', 'certify', ...PP, '--employee', 'E1002'])
run('paula', ['payroll', 'export', ...PP, '--out', out('pp-2026-22-correction.nfc')])
run('paula', ['payroll', 'batches'])

say('A tampered file does not verify (exit 3), and the batch can be re-exported byte for byte.')
const tampered = out('tampered.nfc')
fs.writeFileSync(tampered, fs.readFileSync(out('pp-2026-22.nfc'), 'utf8').replace(/^(D.{60})0/m, '$19'))
run('paula', ['payroll', 'verify', tampered], {expect: [3]})
run('paula', ['payroll', 'reexport', 'B000000001', '--out', out('pp-2026-22-again.nfc')])

say('tina records a separation (effective after the pay period).')
run('tina', ['personnel', 'separate', 'E1009', '--date', '2026-11-30', ...AS_OF])

say('The store keeps each record in its system of records; alice imports the identity provider\'s sign-in log (USPS 550.000 account access records).')
run('alice', ['systems', 'list'])
run('alice', ['accounts', 'import', fixture('signins.csv'), ...AS_OF])
run('alice', ['accounts', 'show', 'aokafor'])

say('A member of the public asks about unpaid overtime (DOL CRM). lena, outreach staff, opens the case from the intake form; it is routed by the workplace ZIP.')
run('alice', ['operators', 'add', 'lena', '--role', 'liaison'])
run('alice', ['inquiries', 'routes', 'set', '--zip-prefix', '191', '--agency', 'OFCCP-PHILADELPHIA'])
run('lena', ['inquiries', 'open', '--first-name', 'Dana', '--last-name', 'Whitfield', '--home-zip', '19104', '--contact-method', 'email', '--email', 'dana.whitfield@example.com', '--state', 'PA', '--workplace-zip', '19122', '--category', 'wages-hours', '--description', 'My overtime for March was not paid.', '--received', '2026-11-20'])
say('She calls back: her case number and home ZIP give its status; a wrong ZIP gets the same answer as a case that does not exist (exit 5).')
run('lena', ['inquiries', 'status', 'INQ-2026-000001', '--zip', '19104'])
run('lena', ['inquiries', 'status', 'INQ-2026-000001', '--zip', '19103'], {expect: [5]})
say('lena answers the inquiry and closes the case: it is kept 24 months after closing.')
run('lena', ['inquiries', 'update', 'INQ-2026-000001', '--status', 'answered', '--note', 'Explained the overtime rules by email.'])
run('lena', ['inquiries', 'close', 'INQ-2026-000001', '--date', '2026-11-23'])

say('Adaeze Okafor (E1001) asks for her records. priya opens the request with what the letter gave: her name and email.')
run('priya', ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--email', 'Adaeze.Okafor@agency.example.gov', '--received', '2026-11-16', '--verified', 'signed request, notarized'])
run('tina', ['requests', 'list'], {expect: [4]})

say('priya searches every record type for the subject (found by email, any case; SSNs masked): her profile and timecards (OPM/GOVT-1) and her sign-in account (USPS 550.000).')
run('priya', ['requests', 'search', 'PA-2026-0001'])

say('A disclosure must cite a routine use of the system that holds the record (exit 2 lists them); alice adds the agency\'s own.')
run('priya', ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'Office of Personnel Management', '--address', '1900 E St NW, Washington, DC 20415', '--purpose', 'Retirement eligibility review', '--routine-use', 'RU-7', '--date', '2026-11-20'], {expect: [2]})
run('alice', ['systems', 'routine-use', 'set', 'OPM/GOVT-1', 'OPM/GOVT-1-7', '--description', 'To the Office of Personnel Management for retirement eligibility reviews.'])

say('She records the disclosure under it; then fulfills the request into a folder.')
run('priya', ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'Office of Personnel Management', '--address', '1900 E St NW, Washington, DC 20415', '--purpose', 'Retirement eligibility review', '--routine-use', 'OPM/GOVT-1-7', '--date', '2026-11-20'])
const pkg = out('PA-2026-0001')
run('priya', ['requests', 'fulfill', 'PA-2026-0001', '--out', pkg])
console.log(`\n(files in ${pkg}:)`)
for (const name of fs.readdirSync(pkg).sort()) {
  const st = fs.statSync(path.join(pkg, name))
  console.log(`  ${(st.mode & 0o777).toString(8)}  ${String(st.size).padStart(6)}  ${name}`)
}
run('priya', ['requests', 'close', 'PA-2026-0001', '--date', '2026-11-23', '--note', 'Package sent by certified mail'])
run('priya', ['requests', 'close', 'PA-2026-0001'], {expect: [6]})

say('She asks to amend her last name. The grant goes through the same edit path (history, audit) and names whom to tell.')
run('priya', ['requests', 'open', '--type', 'amendment', '--requester', 'Okafor, Adaeze', '--employee', 'E1001', '--received', '2026-11-23'])
run('priya', ['requests', 'amend', 'PA-2026-0002', '--record', 'employee:E1001', '--field', 'last_name', '--value', 'Okafor-Eze'])
run('priya', ['requests', 'decide', 'PA-2026-0002', '--grant', '--reason', 'Court order of name change'])
run('priya', ['requests', 'amend', 'PA-2026-0002', '--record', 'employee:E1001', '--field', 'hire_date', '--value', '2012-03-19'])
run('priya', ['requests', 'decide', 'PA-2026-0002', '--deny', '--reason', 'The SF-50 on file shows 2012-03-18'])
const statement = out('statement.txt')
fs.writeFileSync(statement, 'I started work on March 19, 2012; my first timesheet shows it.\n')
run('priya', ['requests', 'disagree', 'PA-2026-0002', '--statement', statement])
run('priya', ['requests', 'show', 'PA-2026-0002'])

say('The statement goes with every later disclosure of the disputed record.')
run('priya', ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'Merit Systems Protection Board', '--address', '1615 M St NW, Washington, DC 20419', '--purpose', 'Appeal', '--date', '2026-11-24'])
run('priya', ['disclosures', 'list', '--employee', 'E1001'])
run('priya', ['requests', 'close', 'PA-2026-0002', '--date', '2026-11-24', '--note', 'Decision letter sent; statement filed'])

const SWEEP_AS_OF = ['--as-of', '2035-01-01']
say('alice adds rory, the records officer. The retention schedules come with the store (NARA GRS defaults).')
run('alice', ['operators', 'add', 'rory', '--role', 'records-officer'])
run('rory', ['retention', 'schedules'])

say('What a sweep would do years from now: pay period 2026-22 is due 36 months after it ends (2029-11-14), E1009\'s profile 36 months after his separation once his cards and batches are gone; an accounting entry waits for its subject\'s profile.')
run('rory', ['retention', 'plan', ...SWEEP_AS_OF])

say('A grievance: rory places a legal hold on E1003\'s timecards. The plan now counts them as held.')
run('rory', ['holds', 'place', '--reason', 'Grievance 2026-17', '--employee', 'E1003', '--record-type', 'timecard'])
run('rory', ['holds', 'list'])
run('rory', ['retention', 'plan', ...SWEEP_AS_OF])

say('A sweep destroys records for good: without a terminal it needs --yes (exit 2, nothing changes).')
run('rory', ['retention', 'sweep', ...SWEEP_AS_OF], {expect: [2]})
run('rory', ['retention', 'sweep', ...SWEEP_AS_OF, '--yes'])

say('E1009 is gone, with his history, his cards and the batches that carried him; the certificate holds counts and digests only.')
run('tina', ['personnel', 'show', 'E1009'], {expect: [5]})
run('rory', ['retention', 'disposals'])
run('aldo', ['retention', 'certificate', 'D000000001', '--out', out('disposal-1.json')])

say('Outreach (DHS/ALL-002): lena, the liaison who answers inquiries, also keeps stakeholder contacts. Notes never record race, religion, health and the like (CT-NOTES names the category, not the words).')
run('lena', ['contacts', 'add', '--name', 'Renata Salas', '--organization', 'Gulf Coast Ports Alliance', '--title', 'Director of Security', '--email', 'renata.salas@gcpa.example.org', '--work-phone', '(202) 555-0177', '--cell-phone', '202-555-0188', '--issues', 'port security grants'])
run('lena', ['contacts', 'add', '--name', 'Lee Ortiz', '--notes', 'Devout Catholic; diabetic'], {expect: [3]})
run('lena', ['contacts', 'import', fixture('contacts.csv')])
run('lena', ['contacts', 'touch', 'C000001', '--date', '2026-11-20', '--mode', 'meeting', '--note', 'Port security roundtable'])
say('priya (privacy officer) sees email and cell phone; a liaison who does not own the contact would see ***.')
run('priya', ['contacts', 'list'])
say('Renata asks not to be contacted: lena forgets her. Destroyed now as a sweep destroys, with a certificate; only keyed hashes stay, so she is never added again.')
run('lena', ['contacts', 'forget', 'C000001', '--yes'])
run('lena', ['contacts', 'add', '--name', 'R. Salas', '--email', 'RENATA.SALAS@gcpa.example.org'], {expect: [3]})

say('The auditor reads the trail (no personal data in it) and verifies the hash chain.')
run('aldo', ['audit', 'log', '--action', 'requests'])
run('aldo', ['audit', 'verify'])

say(`Done. The store and the files are in ${work}`)
