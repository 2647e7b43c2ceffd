import {BaseCommand} from '../../cli/base.js'
import {importArgs, importFlags} from '../../cli/import-flags.js'
import type {ImportResult} from '../../csv/importer.js'

export type TimesheetsImportResult = ImportResult

export default class TimesheetsImport extends BaseCommand<typeof TimesheetsImport> {
  static override summary = 'Import timesheet lines from a CSV into one timecard per employee and pay period.'
  static override description = 'Same behaviour as personnel import (rejects, --strict, --dry-run, --force, all-or-nothing). inserted/updated count timecard lines. A line with the key of a stored line of a draft or validated card replaces it and sends the card back to draft; certified and exported cards are locked (TS-LOCKED).'
  static override examples = [
    '<%= config.bin %> timesheets import fixtures/timesheets.csv --rejects ts-rejects.csv',
    '<%= config.bin %> timesheets import week.csv --strict --json',
  ]
  static override args = importArgs
  static override flags = importFlags

  public async run(): Promise<TimesheetsImportResult> {
    const [{runImport}, {timesheetImport}, {asOfDate}, {importProgress}, {importReport}, fs] = await Promise.all([
      import('../../csv/importer.js'), import('../../timecards/import.js'), import('../../calendar/dates.js'),
      import('../../cli/progress.js'), import('../../cli/import-report.js'), import('node:fs'),
    ])
    const {store, operator} = await this.session('timesheets.import')
    const size = fs.existsSync(this.args.file) ? fs.statSync(this.args.file).size : 0
    const progress = await importProgress(!this.jsonEnabled(), size)
    try {
      const result = await runImport(store, operator, timesheetImport, {
        file: this.args.file, rejects: this.flags.rejects, strict: this.flags.strict, dryRun: this.flags['dry-run'],
        force: this.flags.force, ignoreUnknown: this.flags['ignore-unknown'], today: asOfDate(this.flags['as-of']), onProgress: progress.update,
      })
      progress.stop()
      this.say(importReport(result, 'lines', this.color))
      return result
    } finally {
      progress.stop()
    }
  }
}
