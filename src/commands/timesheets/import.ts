import {ImportCommand} from '../../cli/import-command.js'
import type {ImportResult} from '../../imports/engine.js'

export type TimesheetsImportResult = ImportResult

export default class TimesheetsImport extends ImportCommand {
  static override summary = 'Import timesheet lines from a CSV into one timecard per employee and pay period.'
  static override description = 'Same behaviour as personnel import (rejects, --strict, --dry-run, --force, all-or-nothing). inserted/updated count timecard lines. A line with the key of a stored line of a draft or validated card replaces it and sends the card back to draft; certified and exported cards are locked (TS-LOCKED).'
  static override examples = [
    '<%= config.bin %> timesheets import fixtures/timesheets.csv --rejects ts-rejects.csv',
    '<%= config.bin %> timesheets import week.csv --strict --json',
  ]
  protected readonly action = 'timesheets.import'
  protected readonly noun = 'lines'
  protected async importKind(engine: 'sqlite' | 'postgres') {
    return engine === 'postgres' ? (await import('../../timecards/import-postgres.js')).timesheetImportPostgres : (await import('../../timecards/import.js')).timesheetImport
  }
}
