import {ImportCommand} from '../../cli/import-command.js'
import type {ImportResult} from '../../imports/engine.js'

export type ContactsImportResult = ImportResult

export default class ContactsImport extends ImportCommand {
  static override summary = 'Import stakeholder contacts (DHS/ALL-002) from a CSV file: each valid row is a new contact.'
  static override description = 'Columns: name (required); salutation, organization, title, email, work_phone, cell_phone, work_address, issues, interests, notes, owner (default: you), last_contacted. '
    + 'Rows are checked as contacts add checks them (CT-*: phones, email, owner, the notes screening, the do-not-contact list). One transaction: a failure or kill leaves the store as it was. '
    + 'Check codes: docs/check-codes.md. Exit 0 even with rejects, unless --strict (exit 3).'
  static override examples = [
    '<%= config.bin %> contacts import fixtures/contacts.csv --rejects rejects.csv',
    '<%= config.bin %> contacts import contacts.csv --strict --json',
    '<%= config.bin %> contacts import contacts.csv --dry-run',
  ]
  protected readonly action = 'contacts.import'
  protected readonly noun = 'contacts'
  protected async importKind() {
    return (await import('../../contacts/import.js')).contactsImport()
  }
}
