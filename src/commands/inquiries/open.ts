import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {InquiryField, InquiryForm} from '../../inquiries/checks.js'
import type {OpenInquiryResult} from '../../inquiries/service.js'

export type InquiriesOpenResult = OpenInquiryResult

/** The intake form's flags, by field. */
const FIELD_FLAGS: Record<InquiryField, string> = {
  first_name: 'first-name', last_name: 'last-name', home_zip: 'home-zip', contact_method: 'contact-method', phone: 'phone', email: 'email',
  company: 'company', street: 'street', city: 'city', county: 'county', state: 'state', workplace_zip: 'workplace-zip', category: 'category',
  description: 'description',
}

export default class InquiriesOpen extends BaseCommand<typeof InquiriesOpen> {
  static override summary = 'Open a public inquiry from its intake form (liaison): checks, a case number, routing, repeat matching.'
  static override description = 'Numbered INQ-YYYY-NNNNNN by the received year, status new, routed to a participating agency by the workplace ZIP prefix or state (inquiries routes; no rule: DOL-NATIONAL). repeatOf names the earlier case of the same person (first and last name, and email or phone). A form that fails a check is exit 3 with the check\'s code (IQ-*, docs/check-codes.md) and every finding in errors; nothing is stored. On a terminal, with no --first-name, a form asks for each field and checks it as you type.'
  static override examples = [
    '<%= config.bin %> inquiries open --first-name Dana --last-name Whitfield --home-zip 19104 --contact-method email --email dana.whitfield@example.com --company "Keystone Fabrication" --state PA --workplace-zip 19122 --category wages-hours --description "My overtime was not paid for March." --received 2026-11-23',
    '<%= config.bin %> inquiries open --first-name Luis --last-name Ortega --home-zip 60614 --contact-method phone --phone "(312) 555-0188" --category leave --description "Leave denied after surgery." --json',
    '<%= config.bin %> inquiries open',
  ]
  static override flags = {
    'first-name': Flags.string({summary: 'The inquirer\'s first name.'}),
    'last-name': Flags.string({summary: 'The inquirer\'s last name.'}),
    'home-zip': Flags.string({summary: 'The inquirer\'s home ZIP code (5 digits or ZIP+4): with the case number, it answers status questions.'}),
    'contact-method': Flags.string({summary: 'How the inquirer wants to be answered: email or phone (that one is then required).'}),
    phone: Flags.string({summary: 'Phone number (10 digits; punctuation and a leading 1 are fine).'}),
    email: Flags.string({summary: 'Email address.'}),
    company: Flags.string({summary: 'The employer\'s name.'}),
    street: Flags.string({summary: 'The workplace\'s street address.'}),
    city: Flags.string({summary: 'The workplace\'s city.'}),
    county: Flags.string({summary: 'The workplace\'s county.'}),
    state: Flags.string({summary: 'The workplace\'s state: a USPS code (PA, DC, PR ...).'}),
    'workplace-zip': Flags.string({summary: 'The workplace\'s ZIP code: routes the inquiry.'}),
    category: Flags.string({summary: 'wages-hours, safety-health, leave, discrimination, unemployment-insurance, retirement-benefits or other.'}),
    description: Flags.string({summary: 'The question or situation, in the inquirer\'s words (at most 4000 characters).'}),
    received: Flags.string({summary: 'Date received (YYYY-MM-DD): sets the case number\'s year. Default: today (UTC).'}),
  }

  public async run(): Promise<InquiriesOpenResult> {
    const {openInquiry} = await import('../../inquiries/service.js')
    const {store, operator} = await this.session('inquiries.open')
    const interactive = this.flags['first-name'] === undefined && process.stdin.isTTY && process.stdout.isTTY && !this.jsonEnabled()
    const input = interactive ? await this.intake(store) : {form: this.fromFlags(), received: this.flags.received}
    const result = await openInquiry(store, operator, input)
    for (const w of result.warnings) this.note(w)
    this.say(`Opened ${this.color.bold(result.caseNumber)} (${result.status}), received ${result.received}, routed to ${result.routedTo}.`)
    if (result.repeatOf) this.say(`It repeats ${result.repeatOf}: the same person asked before.`)
    return result
  }

  private fromFlags(): InquiryForm {
    const flags = this.flags as Record<string, string | undefined>
    return Object.fromEntries(Object.entries(FIELD_FLAGS).map(([field, flag]) => [field, flags[flag]?.trim() ?? ''])) as InquiryForm
  }

  /** The interactive intake form: each answer is checked as it is typed, by the same rules the flags get. */
  private async intake(store: Parameters<typeof import('../../inquiries/service.js').intakeContext>[0]) {
    const [{input, select}, {checkInquiryField}, {intakeContext}, {todayUtc, isRealDate}] = await Promise.all([
      import('@inquirer/prompts'), import('../../inquiries/checks.js'), import('../../inquiries/service.js'), import('../../calendar/dates.js'),
    ])
    const ctx = await intakeContext(store)
    const form: InquiryForm = this.fromFlags()
    const ask = async (field: InquiryField, message: string) => {
      form[field] = (await input({message, default: form[field] || undefined, validate: (v) => checkInquiryField(field, {...form, [field]: v.trim()}, ctx) ?? true})).trim()
    }
    await ask('first_name', 'First name')
    await ask('last_name', 'Last name')
    await ask('home_zip', 'Home ZIP code')
    form.contact_method = await select({message: 'Preferred contact method', choices: [{value: 'email', name: 'email'}, {value: 'phone', name: 'phone'}]})
    await ask('phone', form.contact_method === 'phone' ? 'Phone (10 digits)' : 'Phone (optional, 10 digits)')
    await ask('email', form.contact_method === 'email' ? 'Email' : 'Email (optional)')
    await ask('company', 'Employer\'s name (optional)')
    await ask('street', 'Workplace street address (optional)')
    await ask('city', 'Workplace city (optional)')
    await ask('county', 'Workplace county (optional)')
    await ask('state', 'Workplace state, USPS code (optional)')
    await ask('workplace_zip', 'Workplace ZIP code (optional)')
    form.category = await select({message: 'Category', choices: ctx.categories.map((c) => ({value: c, name: c}))})
    await ask('description', 'Describe the question or situation')
    const received = await input({message: 'Received on (YYYY-MM-DD)', default: this.flags.received ?? todayUtc(), validate: (v) => isRealDate(v.trim()) || 'Not a real date; write it as YYYY-MM-DD.'})
    return {form, received: received.trim()}
  }
}
