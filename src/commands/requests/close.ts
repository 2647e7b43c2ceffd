import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {CloseResult} from '../../requests/service.js'

export type RequestsCloseResult = CloseResult

export default class RequestsClose extends BaseCommand<typeof RequestsClose> {
  static override summary = 'Close a request (final agency action; the request file\'s retention clock starts).'
  static override description = 'A closed request cannot be closed again (exit 6). Amendments awaiting a decision must be decided first.'
  static override examples = ['<%= config.bin %> requests close PA-2026-0001 --note "Package sent by certified mail"', '<%= config.bin %> requests close PA-2026-0001 --date 2026-12-04 --json']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {
    note: Flags.string({summary: 'A closing note kept with the request.'}),
    date: Flags.string({summary: 'Date of the final action (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<RequestsCloseResult> {
    const {closeRequest} = await import('../../requests/service.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await closeRequest(store, operator, this.args.requestId, {note: this.flags.note, date: this.flags.date})
    this.say(`Closed ${result.requestId} on ${result.closedOn}.`)
    return result
  }
}
