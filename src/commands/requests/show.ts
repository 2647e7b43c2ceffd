import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {RequestDetail} from '../../requests/service.js'

export type RequestsShowResult = RequestDetail

export default class RequestsShow extends BaseCommand<typeof RequestsShow> {
  static override summary = 'Show one request: its clocks, extensions, amendments and statements of disagreement.'
  static override examples = ['<%= config.bin %> requests show PA-2026-0001', '<%= config.bin %> requests show PA-2026-0001 --as-of 2026-12-31 --json']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {'as-of': Flags.string({summary: 'Date that decides "overdue" (YYYY-MM-DD). Default: today (UTC).'})}

  public async run(): Promise<RequestsShowResult> {
    const {showRequest} = await import('../../requests/service.js')
    const {asOfDate} = await import('../../calendar/dates.js')
    const {store, operator} = await this.session('requests.manage')
    const r = await showRequest(store, operator, this.args.requestId, asOfDate(this.flags['as-of']))
    this.say(`${this.color.bold(r.requestId)}  ${r.type}  ${r.overdue ? 'OVERDUE' : r.status}${r.closedOn ? ` on ${r.closedOn}` : ''}`)
    this.say(`  requester ${r.requester}   email ${r.email ?? '-'}   phone ${r.phone ?? '-'}   address ${r.address ?? '-'}   employee ${r.employeeId ?? '-'}   SSN ${r.ssn ?? '-'}`)
    this.say(`  received ${r.received}   acknowledge by ${r.acknowledgeBy}   due by ${r.dueBy}   verified ${r.verified ?? '-'}`)
    for (const e of r.extensions) this.say(`  extended ${e.workingDays} working days (${e.previousDueBy} → ${e.dueBy}) by ${e.actor}: ${e.reason}`)
    for (const a of r.amendments) this.say(`  amendment ${a.amendmentId} ${a.record} ${a.field}: ${a.currentValue ?? '-'} → ${a.requestedValue}  [${a.status}${a.reason ? `: ${a.reason}` : ''}]`)
    for (const s of r.statements) this.say(`  statement of disagreement on ${s.record}, filed ${s.filedAt.slice(0, 10)}`)
    if (r.closeNote) this.say(`  note: ${r.closeNote}`)
    return r
  }
}
