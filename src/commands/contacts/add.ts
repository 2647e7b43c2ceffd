import {BaseCommand} from '../../cli/base.js'
import {usage} from '../../errors.js'
import {Flags} from '../../cli/oclif.js'
import type {ContactRow} from '../../contacts/checks.js'
import type {ContactDetail} from '../../contacts/service.js'

export type ContactsAddResult = ContactDetail

export default class ContactsAdd extends BaseCommand<typeof ContactsAdd> {
  static override summary = 'Add a stakeholder contact (DHS/ALL-002); you own it unless --owner names another operator.'
  static override description = 'Checked as an import row is (CT-*): phones are 10 US digits or "+" and 8-15 digits, the email plausible, the owner an operator, the person not on the do-not-contact list, '
    + 'and notes and interests never record race, ethnicity or national origin, religion, sexual orientation, health or political affiliation. A failed check is exit 3 with its code. '
    + 'On a terminal, with no --name, a form asks for each field and checks it as you type.'
  static override examples = [
    '<%= config.bin %> contacts add --name "Dana Whitfield" --organization "Port Authority of Example" --title "Director of Security" --email dana.whitfield@port.example.org --work-phone "(202) 555-0143" --issues "port security grants"',
    '<%= config.bin %> contacts add --name "Lee Ortiz" --cell-phone "+44 20 7946 0958" --owner jrivera --json',
    '<%= config.bin %> contacts add',
  ]
  static override flags = {
    name: Flags.string({summary: 'The person\'s name.'}),
    salutation: Flags.string({summary: 'Mr., Ms., Dr., ...'}),
    organization: Flags.string({summary: 'The organization they work for.'}),
    title: Flags.string({summary: 'Their position there.'}),
    email: Flags.string({summary: 'Email address (seen only by the owner, admins and privacy officers).'}),
    'work-phone': Flags.string({summary: 'Work phone: 10 US digits (any punctuation) or "+" and 8-15 digits.'}),
    'cell-phone': Flags.string({summary: 'Cell phone (seen only by the owner, admins and privacy officers).'}),
    'work-address': Flags.string({summary: 'Work address.'}),
    issues: Flags.string({summary: 'Issues they engage on.'}),
    interests: Flags.string({summary: 'Generic interests (e.g. writes op-eds; screened as notes are).'}),
    notes: Flags.string({summary: 'Notes (screened: never race, ethnicity, religion, orientation, health or politics).'}),
    owner: Flags.string({summary: 'The operator who owns the contact. Default: you.'}),
  }

  public async run(): Promise<ContactsAddResult> {
    const [{addContact}, {contactLines}] = await Promise.all([import('../../contacts/service.js'), import('../../cli/contact-view.js')])
    const {store, operator} = await this.session('contacts.add')
    const input = this.flags.name === undefined && process.stdin.isTTY && process.stdout.isTTY && !this.jsonEnabled()
      ? await this.intake()
      : this.fromFlags()
    const c = await addContact(store, operator, input)
    this.say(`Added ${this.color.bold(c.contactId)}, owned by ${c.owner}.`)
    this.say(contactLines(c, this.color))
    return c
  }

  private fromFlags(): ContactRow {
    const f = this.flags
    if (f.name === undefined) throw usage(`--name is required${process.stdin.isTTY ? '' : ' (no terminal for the intake form)'}.`)
    return {
      name: f.name, salutation: f.salutation, organization: f.organization, title: f.title, email: f.email, work_phone: f['work-phone'],
      cell_phone: f['cell-phone'], work_address: f['work-address'], issues: f.issues, interests: f.interests, notes: f.notes, owner: f.owner,
    }
  }

  /** The interactive form: each answer is checked as it is typed, by the rules the flags and imports get. */
  private async intake(): Promise<ContactRow> {
    const {input} = await import('@inquirer/prompts')
    const {checkContactRow} = await import('../../contacts/checks.js')
    const {todayUtc} = await import('../../calendar/dates.js')
    const check = (column: keyof ContactRow) => (v: string) => {
      const finding = checkContactRow({name: 'x', [column]: v.trim()}, todayUtc()).find((f) => f.column === column)
      return finding ? `${finding.code}: ${finding.message}` : true
    }
    const ask = (column: keyof ContactRow, message: string, def?: string) => input({message, default: def, validate: check(column)})
    const f = this.flags
    const row: ContactRow = {}
    row.name = await input({message: 'Name', validate: (v) => (v.trim() === '' ? 'CT-REQUIRED: name is required.' : true)})
    row.salutation = await ask('salutation', 'Salutation (optional)', f.salutation)
    row.organization = await ask('organization', 'Organization (optional)', f.organization)
    row.title = await ask('title', 'Title (optional)', f.title)
    row.email = await ask('email', 'Email (optional)', f.email)
    row.work_phone = await ask('work_phone', 'Work phone (optional)', f['work-phone'])
    row.cell_phone = await ask('cell_phone', 'Cell phone (optional)', f['cell-phone'])
    row.work_address = await ask('work_address', 'Work address (optional)', f['work-address'])
    row.issues = await ask('issues', 'Issues (optional)', f.issues)
    row.interests = await ask('interests', 'Interests (optional)', f.interests)
    row.notes = await ask('notes', 'Notes (optional; never race, ethnicity, religion, orientation, health or politics)', f.notes)
    row.owner = f.owner
    return row
  }
}
