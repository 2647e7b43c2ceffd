import type {Action} from '../auth/roles.js'
import type {ImportKind, ImportResult} from '../imports/engine.js'
import {BaseCommand} from './base.js'
import {Args, Flags} from './oclif.js'

/**
 * What every CSV import command shares (personnel, timesheets): flags, progress bar, the import engine,
 * the report. A concrete command names its action, its import kind and the noun it stores.
 */
export abstract class ImportCommand extends BaseCommand<typeof ImportCommand> {
  static override args = {file: Args.string({required: true, description: 'CSV file to import.'})}
  static override flags = {
    rejects: Flags.string({summary: 'Write rejected rows with their reasons to this CSV.'}),
    strict: Flags.boolean({summary: 'Store nothing if any row is rejected (exit 3).'}),
    'dry-run': Flags.boolean({summary: 'Check every row; store nothing.'}),
    force: Flags.boolean({summary: 'Import even if the same file content was imported before.'}),
    'ignore-unknown': Flags.boolean({summary: 'Skip columns the import does not know instead of refusing the file.'}),
    'as-of': Flags.string({summary: 'Date that counts as today for "not in the future" checks (YYYY-MM-DD). Default: today (UTC).'}),
  }

  protected abstract readonly action: Action
  protected abstract readonly noun: string
  /** The kind for the store's engine (a PostgreSQL URL or a SQLite file). */
  protected abstract importKind(engine: 'sqlite' | 'postgres'): Promise<ImportKind>

  public async run(): Promise<ImportResult> {
    const {isPostgresUrl} = await import('../store/store.js')
    const kind = await this.importKind(isPostgresUrl(this.storePath()) ? 'postgres' : 'sqlite')
    if ('warmUp' in kind) kind.warmUp?.()
    const [{runImport}, {asOfDate}, {importProgress}, {importReport}, fs] = await Promise.all([
      import('../imports/engine.js'), import('../calendar/dates.js'), import('./progress.js'), import('./import-report.js'), import('node:fs'),
    ])
    const {store, operator} = await this.session(this.action)
    const size = fs.existsSync(this.args.file) ? fs.statSync(this.args.file).size : 0
    const progress = await importProgress(!this.jsonEnabled(), size)
    try {
      const result = await runImport(store, operator, kind, {
        file: this.args.file, rejects: this.flags.rejects, strict: this.flags.strict, dryRun: this.flags['dry-run'],
        force: this.flags.force, ignoreUnknown: this.flags['ignore-unknown'], today: asOfDate(this.flags['as-of']), onProgress: progress.update,
      })
      progress.stop()
      this.say(importReport(result, this.noun, this.color))
      return result
    } finally {
      progress.stop()
    }
  }
}
