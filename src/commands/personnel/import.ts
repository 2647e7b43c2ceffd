import {BaseCommand} from '../../cli/base.js'
import {importArgs, importFlags} from '../../cli/import-flags.js'
import type {ImportResult} from '../../csv/importer.js'

export type PersonnelImportResult = ImportResult

export default class PersonnelImport extends BaseCommand<typeof PersonnelImport> {
  static override summary = 'Import personnel from a CSV: valid rows are inserted or updated, bad rows rejected with reasons.'
  static override description = 'Streams files of any size in one transaction: a failure or kill leaves the store as it was. Columns and checks: RULES.md. Exit 0 even with rejects, unless --strict (exit 3).'
  static override examples = [
    '<%= config.bin %> personnel import fixtures/personnel.csv --rejects rejects.csv',
    '<%= config.bin %> personnel import staff.csv --strict --json',
    '<%= config.bin %> personnel import staff.csv --dry-run',
  ]
  static override args = importArgs
  static override flags = importFlags

  public async run(): Promise<PersonnelImportResult> {
    const [{runImport}, {personnelImport}, {asOfDate}, {importProgress}, {importReport}, fs] = await Promise.all([
      import('../../csv/importer.js'), import('../../personnel/import.js'), import('../../calendar/dates.js'),
      import('../../cli/progress.js'), import('../../cli/import-report.js'), import('node:fs'),
    ])
    const {store, operator} = await this.session('personnel.import')
    const today = asOfDate(this.flags['as-of'])
    const size = fs.existsSync(this.args.file) ? fs.statSync(this.args.file).size : 0
    const progress = await importProgress(!this.jsonEnabled(), size)
    try {
      const result = await runImport(store, operator, personnelImport, {
        file: this.args.file, rejects: this.flags.rejects, strict: this.flags.strict, dryRun: this.flags['dry-run'],
        force: this.flags.force, ignoreUnknown: this.flags['ignore-unknown'], today, onProgress: progress.update,
      })
      progress.stop()
      this.say(importReport(result, 'employees', this.color))
      return result
    } finally {
      progress.stop()
    }
  }
}
