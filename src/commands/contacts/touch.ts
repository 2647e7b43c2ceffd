import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {ContactDetail} from '../../contacts/service.js'

export type ContactsTouchResult = ContactDetail

export default class ContactsTouch extends BaseCommand<typeof ContactsTouch> {
  static override summary = 'Record an interaction with a contact; its last contact becomes the latest interaction\'s date.'
  static override description = 'A contact not contacted for 12 months is due for destruction with its interactions (retention plan, sweep). The note is screened as contact notes are (CT-NOTES, exit 3).'
  static override examples = [
    '<%= config.bin %> contacts touch C000001 --date 2026-11-20 --mode meeting --note "Port security roundtable; follow up on grant timeline"',
    '<%= config.bin %> contacts touch C000001 --date 2026-11-21 --mode email --json',
  ]
  static override args = {contactId: Args.string({required: true, description: 'the contact id (C000001)'})}
  static override flags = {
    date: Flags.string({required: true, summary: 'The day of the interaction (YYYY-MM-DD, not after today).'}),
    mode: Flags.string({required: true, options: ['phone', 'email', 'meeting'], summary: 'How the contact was reached.'}),
    note: Flags.string({summary: 'What it was about (never the person\'s race, ethnicity, religion, health, orientation or politics).'}),
  }

  public async run(): Promise<ContactsTouchResult> {
    const [{touchContact}, {parseDateFlag}] = await Promise.all([import('../../contacts/service.js'), import('../../calendar/dates.js')])
    const date = parseDateFlag('date', this.flags.date)
    const {store, operator} = await this.session('contacts.touch')
    const c = await touchContact(store, operator, this.args.contactId, {date, mode: this.flags.mode, note: this.flags.note})
    this.say(`Recorded a ${this.flags.mode} interaction with ${this.color.bold(c.contactId)} on ${date}; last contacted ${c.lastContacted}.`)
    return c
  }
}
