import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {AmendResult} from '../../requests/amendments.js'

export type RequestsAmendResult = AmendResult

export default class RequestsAmend extends BaseCommand<typeof RequestsAmend> {
  static override summary = 'State the correction an amendment request asks for: which record, which field, what value.'
  static override description = 'The record must be the subject\'s own and the field amendable (employee: last_name, first_name, middle_name, email, ssn, service_comp_date, hire_date). The new value must pass the same edit checks as an import (exit 3 if not). Decide it with requests decide.'
  static override examples = ['<%= config.bin %> requests amend PA-2026-0002 --record employee:E1001 --field last_name --value "Okafor-Eze"']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {
    record: Flags.string({required: true, summary: 'The disputed record, <recordType>:<id> (e.g. employee:E1001).'}),
    field: Flags.string({required: true, summary: 'The field to correct.'}),
    value: Flags.string({required: true, summary: 'The corrected value.'}),
  }

  public async run(): Promise<RequestsAmendResult> {
    const {amendRequest} = await import('../../requests/amendments.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await amendRequest(store, operator, this.args.requestId, {record: this.flags.record, field: this.flags.field, value: this.flags.value})
    const a = result.amendment
    this.say(`Amendment ${a.amendmentId} of ${result.requestId}: ${a.record} ${a.field} ${a.currentValue ?? '-'} → ${a.requestedValue} (pending a decision).`)
    return result
  }
}
