import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {ExportResult} from '../../contacts/service.js'

export type ContactsExportResult = ExportResult

export default class ContactsExport extends BaseCommand<typeof ContactsExport> {
  static override summary = 'Write every stakeholder contact, unmasked, to a CSV file (admins only).'
  static override description = 'The file (mode 0600) is written beside its target and renamed into place once the export is in the audit trail; it has the import\'s columns with contact_id first. Anyone but an admin: exit 4.'
  static override examples = [
    '<%= config.bin %> contacts export --out contacts.csv',
    '<%= config.bin %> contacts export --out contacts.csv --json',
  ]
  static override flags = {
    out: Flags.string({required: true, summary: 'The CSV file to write (replaced if it exists).'}),
  }

  public async run(): Promise<ContactsExportResult> {
    const {exportContacts} = await import('../../contacts/service.js')
    const {store, operator} = await this.session('contacts.export')
    const r = await exportContacts(store, operator, this.flags.out)
    this.say(`Wrote ${r.contacts} contact${r.contacts === 1 ? '' : 's'} to ${r.file} (sha256 ${r.sha256}).`)
    return r
  }
}
