import {ReportCommand} from '../../cli/report-command.js'
import type {InquiriesJson} from '../../reports/service.js'

export type ReportsInquiriesResult = InquiriesJson

export default class ReportsInquiries extends ReportCommand {
  static override summary = 'Public inquiries received in a period: by status, category and routed agency, and the median days to answer.'
  static override description = 'Counts the inquiries received from --from to --to by their status now, their category and the agency they were routed to. Days to answer are calendar days from receipt to the first update that set "answered", or to the closing date when that came first; the median is the nearest-rank one (null when none was answered).'
  static override examples = [
    '<%= config.bin %> reports inquiries --from 2026-01-01 --to 2026-12-31',
    '<%= config.bin %> reports inquiries --html inquiries.html --json',
  ]
  protected readonly report = 'inquiries'
}
