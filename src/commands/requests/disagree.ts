import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {DisagreeResult} from '../../requests/amendments.js'

export type RequestsDisagreeResult = DisagreeResult

export default class RequestsDisagree extends BaseCommand<typeof RequestsDisagree> {
  static override summary = 'File the individual\'s statement of disagreement after an amendment was denied.'
  static override description = 'The statement stays attached to each disputed record: it is shown with every later disclosure of the record and included in every later response package (5 U.S.C. 552a(d)(4)).'
  static override examples = ['<%= config.bin %> requests disagree PA-2026-0002 --statement ./statement.txt']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {statement: Flags.string({required: true, summary: 'Text file with the statement, as the individual wrote it.'})}

  public async run(): Promise<RequestsDisagreeResult> {
    const {fileDisagreement} = await import('../../requests/amendments.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await fileDisagreement(store, operator, this.args.requestId, this.flags.statement)
    this.say(`Statement of disagreement filed on ${result.statements.map((s) => s.record).join(', ')}; it goes with every later disclosure of the record.`)
    return result
  }
}
