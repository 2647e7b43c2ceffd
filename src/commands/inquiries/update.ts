import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {InquiryDetail} from '../../inquiries/service.js'

export type InquiriesUpdateResult = InquiryDetail

export default class InquiriesUpdate extends BaseCommand<typeof InquiriesUpdate> {
  static override summary = 'Move a public inquiry along: in-progress, referred or answered, with a note (liaison).'
  static override description = 'A closed case changes no more (exit 6, INQUIRY_CLOSED). Close a case with inquiries close.'
  static override examples = [
    '<%= config.bin %> inquiries update INQ-2026-000001 --status in-progress --note "Called back; asked for pay stubs."',
    '<%= config.bin %> inquiries update INQ-2026-000001 --status answered --json',
  ]
  static override args = {caseNumber: Args.string({required: true, description: 'the case number, INQ-YYYY-NNNNNN'})}
  static override flags = {
    status: Flags.string({required: true, summary: 'The new status: in-progress, referred or answered.'}),
    note: Flags.string({summary: 'What was done or said (at most 4000 characters).'}),
  }

  public async run(): Promise<InquiriesUpdateResult> {
    const {updateInquiryStatus} = await import('../../inquiries/service.js')
    const {store, operator} = await this.session('inquiries.update')
    const i = await updateInquiryStatus(store, operator, this.args.caseNumber, {status: this.flags.status, note: this.flags.note})
    this.say(`${this.color.bold(i.caseNumber)} is now ${i.status}.`)
    return i
  }
}
