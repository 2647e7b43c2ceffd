import {ReportCommand} from '../../cli/report-command.js'
import type {RequestsJson} from '../../reports/service.js'

export type ReportsRequestsResult = RequestsJson

export default class ReportsRequests extends ReportCommand {
  static override summary = 'Privacy Act request workload: received, processed, pending, overdue, working days to close, by type and month.'
  static override description = 'The figures of an annual Privacy Act report. Received counts by date of receipt and processed by date of closing within --from..--to; pending, overdue and the oldest pending request are as of --as-of. Working days to close count as the request clocks do (day 1 is the first working day after receipt; weekends, federal holidays and closures do not count); median and 90th percentile by the nearest-rank method. --csv and --html also write the tables (and charts) to files.'
  static override examples = [
    '<%= config.bin %> reports requests --from 2025-10-01 --to 2026-09-30',
    '<%= config.bin %> reports requests --as-of 2026-12-31 --html requests-2026.html --csv requests-2026.csv',
    '<%= config.bin %> reports requests --json',
  ]
  protected readonly report = 'requests'
}
