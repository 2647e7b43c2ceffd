import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {ContactDetail} from '../../contacts/service.js'

export type ContactsShowResult = ContactDetail

export default class ContactsShow extends BaseCommand<typeof ContactsShow> {
  static override summary = 'Show one stakeholder contact and its interactions.'
  static override description = 'Email and cell phone are shown only to the contact\'s owner, admins and privacy officers; anyone else sees them masked (***).'
  static override examples = [
    '<%= config.bin %> contacts show C000001',
    '<%= config.bin %> contacts show C000001 --json',
  ]
  static override args = {contactId: Args.string({required: true, description: 'the contact id (C000001)'})}

  public async run(): Promise<ContactsShowResult> {
    const [{showContact}, {contactLines}] = await Promise.all([import('../../contacts/service.js'), import('../../cli/contact-view.js')])
    const {store, operator} = await this.session('contacts.show')
    const c = await showContact(store, operator, this.args.contactId)
    this.say(contactLines(c, this.color))
    return c
  }
}
