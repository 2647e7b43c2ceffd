import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {ExtendResult} from '../../requests/service.js'

export type RequestsExtendResult = ExtendResult

export default class RequestsExtend extends BaseCommand<typeof RequestsExtend> {
  static override summary = 'Move a request\'s dueBy by a number of working days, with the reason (every extension is kept).'
  static override examples = ['<%= config.bin %> requests extend PA-2026-0001 --working-days 10 --reason "Unusual circumstances: records at another site"']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {
    'working-days': Flags.integer({required: true, summary: 'Working days to add, counted from the current dueBy.'}),
    reason: Flags.string({required: true, summary: 'Why more time is needed.'}),
  }

  public async run(): Promise<RequestsExtendResult> {
    const {extendRequest} = await import('../../requests/service.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await extendRequest(store, operator, this.args.requestId, this.flags['working-days'], this.flags.reason)
    this.say(`${result.requestId} is now due by ${result.dueBy} (was ${result.previousDueBy}).`)
    return result
  }
}
