import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {DecideResult} from '../../requests/amendments.js'

export type RequestsDecideResult = DecideResult

export default class RequestsDecide extends BaseCommand<typeof RequestsDecide> {
  static override summary = 'Grant or deny the amendments a request asks for.'
  static override description = 'A grant changes the record through the same path as any edit (history row, audit) and lists in notify the earlier recipients of the record, from the accounting of disclosures, who must be told of the correction (5 U.S.C. 552a(c)(4)). A denial needs --reason; the individual may then file a statement of disagreement (requests disagree).'
  static override examples = [
    '<%= config.bin %> requests decide PA-2026-0002 --grant --reason "Name change documented by court order"',
    '<%= config.bin %> requests decide PA-2026-0002 --deny --reason "The hire date matches the SF-50 on file" --json',
  ]
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {
    grant: Flags.boolean({summary: 'Make the correction.', exactlyOne: ['grant', 'deny']}),
    deny: Flags.boolean({summary: 'Refuse the correction (needs --reason).', exactlyOne: ['grant', 'deny']}),
    reason: Flags.string({summary: 'Why (required to deny).'}),
    amendment: Flags.integer({min: 1, max: 2_147_483_647, summary: 'Decide only this amendment (its amendmentId); default: every pending one.'}),
  }

  public async run(): Promise<RequestsDecideResult> {
    const {decideRequest} = await import('../../requests/amendments.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await decideRequest(store, operator, this.args.requestId, {grant: this.flags.grant, reason: this.flags.reason, amendmentId: this.flags.amendment})
    this.say(`${result.requestId}: ${result.amendments.length} amendment(s) ${result.decision}.`)
    if (result.decision === 'granted') {
      this.say(result.notify.length === 0 ? 'No earlier recipient of these records to notify.' : 'Tell these earlier recipients of the correction:')
      if (result.notify.length > 0) this.say(table(['disclosed', 'recipient', 'address', 'record'], result.notify.map((d) => [d.date, d.recipient, d.address, `${d.recordType} ${d.recordRef ?? ''}`])))
    } else this.say('The individual may appeal and file a statement of disagreement (requests disagree).')
    return result
  }
}
