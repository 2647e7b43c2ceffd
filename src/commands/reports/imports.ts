import {ReportCommand} from '../../cli/report-command.js'
import type {ImportsJson} from '../../reports/service.js'

export type ReportsImportsResult = ImportsJson

export default class ReportsImports extends ReportCommand {
  static override summary = 'Import quality: rejected rows per reject code, import kind and month of import.'
  static override description = 'For the imports stored from --from to --to (UTC days of the import), how many rejected rows carried each reject code (docs/check-codes.md), most frequent first within a month. A row with several codes counts once for each; a --strict or --dry-run import stored nothing and is not counted. Imports made before this report existed recorded no codes.'
  static override examples = [
    '<%= config.bin %> reports imports',
    '<%= config.bin %> reports imports --from 2026-01-01 --to 2026-12-31 --csv rejects-by-code.csv',
  ]
  protected readonly report = 'imports'
}
