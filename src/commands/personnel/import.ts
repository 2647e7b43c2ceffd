import {ImportCommand} from '../../cli/import-command.js'
import type {ImportResult} from '../../imports/engine.js'

export type PersonnelImportResult = ImportResult

export default class PersonnelImport extends ImportCommand {
  static override summary = 'Import personnel from a CSV: valid rows are inserted or updated, bad rows rejected with reasons.'
  static override description = 'Streams files of any size in one transaction: a failure or kill leaves the store as it was. Columns: the README; check codes: docs/check-codes.md. Exit 0 even with rejects, unless --strict (exit 3).'
  static override examples = [
    '<%= config.bin %> personnel import fixtures/personnel.csv --rejects rejects.csv',
    '<%= config.bin %> personnel import staff.csv --strict --json',
    '<%= config.bin %> personnel import staff.csv --dry-run',
  ]
  protected readonly action = 'personnel.import'
  protected readonly noun = 'employees'
  protected async importKind(engine: 'sqlite' | 'postgres') {
    return engine === 'postgres' ? (await import('../../personnel/import-postgres.js')).personnelImportPostgres : (await import('../../personnel/import.js')).personnelImport
  }
}
