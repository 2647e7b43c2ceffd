import {ReportCommand} from '../../cli/report-command.js'
import type {RetentionJson} from '../../reports/service.js'

export type ReportsRetentionResult = RetentionJson

export default class ReportsRetention extends ReportCommand {
  static override summary = 'Retention forecast: records coming due per month for the next 24 months, by system and schedule, held and blocked.'
  static override description = 'A record comes due in the month of its eligibility date (its trigger date plus the schedule\'s retention months, as retention plans compute it). The forecast covers the --as-of month and the 23 after it, or the months of --from..--to; held (an active legal hold) and blockedByRequest (an open Privacy Act request about the subject) are as things stand today. Records already due before the first month are listed apart. Nothing changes.'
  static override examples = [
    '<%= config.bin %> reports retention',
    '<%= config.bin %> reports retention --as-of 2027-01-01 --html retention.html',
    '<%= config.bin %> reports retention --from 2027-01-01 --to 2027-12-31 --json',
  ]
  protected readonly report = 'retention'
}
