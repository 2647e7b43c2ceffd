import {ImportCommand} from '../../cli/import-command.js'
import type {ImportResult} from '../../imports/engine.js'

export type AccountsImportResult = ImportResult

export default class AccountsImport extends ImportCommand {
  static override summary = 'Import an identity provider\'s sign-in log: each valid row stores the sign-in and updates the user\'s account.'
  static override description = 'Streams files of any size in one transaction: a failure or kill leaves the store as it was. Columns: user_id, name, email, signed_in_at (required); department, user_role, employee_id, ip_address, application. An account\'s last access is its latest sign-in; its name, email and department come from that row. Check codes: docs/check-codes.md. Exit 0 even with rejects, unless --strict (exit 3).'
  static override examples = [
    '<%= config.bin %> accounts import fixtures/signins.csv --as-of 2026-11-20 --rejects rejects.csv',
    '<%= config.bin %> accounts import signins.csv --strict --json',
    '<%= config.bin %> accounts import signins.csv --dry-run',
  ]
  protected readonly action = 'accounts.import'
  protected readonly noun = 'sign-ins'
  protected async importKind(engine: 'sqlite' | 'postgres') {
    return engine === 'postgres' ? (await import('../../accounts/import-postgres.js')).accountsImportPostgres : (await import('../../accounts/import.js')).accountsImport
  }
}
