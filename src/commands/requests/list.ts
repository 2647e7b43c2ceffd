import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {ListStatus, RequestSummary} from '../../requests/service.js'

export interface RequestsListResult {
  asOf: string
  requests: RequestSummary[]
}

export default class RequestsList extends BaseCommand<typeof RequestsList> {
  static override summary = 'List Privacy Act requests: open, overdue as of a date, or closed.'
  static override examples = [
    '<%= config.bin %> requests list --status overdue --as-of 2026-12-31',
    '<%= config.bin %> requests list --json',
  ]
  static override flags = {
    status: Flags.string({options: ['open', 'overdue', 'closed'], summary: 'Only requests in this state (overdue: open after its dueBy).'}),
    'as-of': Flags.string({summary: 'Date that decides "overdue" (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<RequestsListResult> {
    const {listRequests} = await import('../../requests/service.js')
    const {asOfDate} = await import('../../calendar/dates.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('requests.manage')
    const asOf = asOfDate(this.flags['as-of'])
    const requests = await listRequests(store, operator, {status: this.flags.status as ListStatus | undefined, asOf})
    this.say(table(['request', 'type', 'status', 'received', 'acknowledge by', 'due by', 'employee', 'requester'],
      requests.map((r) => [r.requestId, r.type, r.overdue ? 'OVERDUE' : r.status, r.received, r.acknowledgeBy, r.dueBy, r.employeeId, r.requester])))
    return {asOf, requests}
  }
}
