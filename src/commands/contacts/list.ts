import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {ContactView} from '../../contacts/service.js'

export interface ContactsListResult {
  contacts: ContactView[]
}

export default class ContactsList extends BaseCommand<typeof ContactsList> {
  static override summary = 'List stakeholder contacts, or those of one owner or organization.'
  static override description = 'Email and cell phone are shown only to the contact\'s owner, admins and privacy officers; anyone else sees them masked (***).'
  static override examples = [
    '<%= config.bin %> contacts list',
    '<%= config.bin %> contacts list --owner jrivera --json',
    '<%= config.bin %> contacts list --organization "Port Authority of Example"',
  ]
  static override flags = {
    owner: Flags.string({summary: 'Only the contacts this operator owns.'}),
    organization: Flags.string({summary: 'Only the contacts at this organization (any case).'}),
  }

  public async run(): Promise<ContactsListResult> {
    const [{listContacts}, {table}] = await Promise.all([import('../../contacts/service.js'), import('../../cli/render.js')])
    const {store, operator} = await this.session('contacts.list')
    const contacts = await listContacts(store, operator, {owner: this.flags.owner, organization: this.flags.organization})
    this.say(table(['contact', 'name', 'organization', 'email', 'work phone', 'cell phone', 'owner', 'last contacted'], contacts.map((c) => [
      c.contactId, c.name, c.organization, c.email, c.workPhone, c.cellPhone, c.owner, c.lastContacted,
    ])))
    this.say(`${contacts.length} contact${contacts.length === 1 ? '' : 's'}.`)
    return {contacts}
  }
}
