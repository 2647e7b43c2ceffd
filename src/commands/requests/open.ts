import {BaseCommand} from '../../cli/base.js'
import {usage} from '../../errors.js'
import {Flags} from '../../cli/oclif.js'
import type {OpenInput, OpenResult} from '../../requests/service.js'

export type RequestsOpenResult = OpenResult

export default class RequestsOpen extends BaseCommand<typeof RequestsOpen> {
  static override summary = 'Open a Privacy Act request (access, amendment or accounting), with its working-day clocks.'
  static override description = 'Numbered PA-YYYY-NNNN by the received year. acknowledgeBy and dueBy count working days from the first working day after the received date (day 1): access and accounting 10/20, amendment 10/30. A received date after today is accepted with a warning. On a terminal, with no --requester, an intake form asks for each field and checks it as you type.'
  static override examples = [
    '<%= config.bin %> requests open --type access --requester "Adaeze Okafor" --email adaeze.okafor@agency.example.gov --received 2026-11-23 --verified "signed, notarized request"',
    '<%= config.bin %> requests open --type amendment --requester "Okafor, Adaeze" --employee E1001 --received 2026-11-23 --json',
    '<%= config.bin %> requests open --type access --requester "Dana Whitfield" --user-id dwhitfield --phone 202-555-0143 --json',
    '<%= config.bin %> requests open',
  ]
  static override flags = {
    type: Flags.string({options: ['access', 'amendment', 'accounting'], summary: 'What the individual asks for.'}),
    requester: Flags.string({summary: 'The requester\'s name ("First Last" or "Last, First").'}),
    employee: Flags.string({summary: 'The subject\'s employee_id, when known (must be in your scope).'}),
    email: Flags.string({summary: 'The subject\'s email address (finds profiles, accounts and contacts by it).'}),
    phone: Flags.string({summary: 'The subject\'s phone number, 10 digits (stored digits only).'}),
    'user-id': Flags.string({summary: 'The subject\'s information-system user id (USPS 550.000 accounts).'}),
    case: Flags.string({summary: 'An inquiry case number of the subject, INQ-YYYY-NNNNNN (DOL CRM).'}),
    address: Flags.string({summary: 'The requester\'s mailing address, for the response letter (lines separated by " | ").'}),
    ssn: Flags.string({summary: 'The SSN the requester gave to be identified by (kept with the request, never shown whole).'}),
    received: Flags.string({summary: 'Date received (YYYY-MM-DD). Default: today (UTC).'}),
    verified: Flags.string({summary: 'How the requester\'s identity was verified (e.g. "in person, PIV card").'}),
  }

  public async run(): Promise<RequestsOpenResult> {
    const {openRequest} = await import('../../requests/service.js')
    const {store, operator} = await this.session('requests.manage')
    const input = this.flags.requester === undefined && process.stdin.isTTY && process.stdout.isTTY && !this.jsonEnabled()
      ? await this.intake()
      : this.fromFlags()
    const result = await openRequest(store, operator, input)
    for (const w of result.warnings) this.note(w)
    this.say(`Opened ${this.color.bold(result.requestId)} (${result.type}), received ${result.received}: acknowledge by ${result.acknowledgeBy}, respond by ${result.dueBy}.`)
    return result
  }

  private fromFlags(): OpenInput {
    const {type, requester} = this.flags
    if (!type || requester === undefined) {
      throw usage(`--type and --requester are required${process.stdin.isTTY ? '' : ' (no terminal for the intake form)'}.`)
    }
    return {type: type as OpenInput['type'], requester, email: this.flags.email, phone: this.flags.phone, address: this.flags.address, employeeId: this.flags.employee, ssn: this.flags.ssn, userId: this.flags['user-id'], caseNumber: this.flags.case, received: this.flags.received, verified: this.flags.verified}
  }

  /** The interactive intake: each answer is checked as it is typed, by the same checks the flags get. */
  private async intake(): Promise<OpenInput> {
    const {input, select} = await import('@inquirer/prompts')
    const {checkAddress, checkCaseNumber, checkDate, checkEmail, checkPhone, checkRequester, checkUserId} = await import('../../requests/checks.js')
    const {todayUtc} = await import('../../calendar/dates.js')
    const optional = (check: (v: string) => string | null) => (v: string) => v.trim() === '' || (check(v) ?? true)
    const type = this.flags.type as OpenInput['type'] | undefined ?? await select<OpenInput['type']>({
      message: 'Type of request',
      choices: [{value: 'access', name: 'access to records'}, {value: 'amendment', name: 'amendment of a record'}, {value: 'accounting', name: 'accounting of disclosures'}],
    })
    const requester = await input({message: 'Requester\'s name', validate: (v) => checkRequester(v) ?? true})
    const email = await input({message: 'Email (optional)', default: this.flags.email, validate: optional(checkEmail)})
    const phone = await input({message: 'Phone (optional, 10 digits)', default: this.flags.phone, validate: optional(checkPhone)})
    const address = await input({message: 'Mailing address for the letter (optional, lines separated by " | ")', default: this.flags.address, validate: optional(checkAddress)})
    const employee = await input({message: 'Subject\'s employee_id, if known (optional)', default: this.flags.employee})
    const userId = await input({message: 'Subject\'s user id in an information system, if known (optional)', default: this.flags['user-id'], validate: optional(checkUserId)})
    const caseNumber = await input({message: 'Inquiry case number, if any (optional, INQ-YYYY-NNNNNN)', default: this.flags.case, validate: optional(checkCaseNumber)})
    const received = await input({message: 'Received on (YYYY-MM-DD)', default: this.flags.received ?? todayUtc(), validate: (v) => checkDate(v) ?? true})
    const verified = await input({message: 'Identity verified how (optional)', default: this.flags.verified})
    const blank = (v: string) => (v.trim() === '' ? undefined : v.trim())
    return {type, requester, email: blank(email), phone: blank(phone), address: blank(address), employeeId: blank(employee), ssn: this.flags.ssn, userId: blank(userId), caseNumber: blank(caseNumber), received, verified: blank(verified)}
  }
}
