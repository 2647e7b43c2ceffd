import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {InquiryStatusResult} from '../../inquiries/service.js'

export type InquiriesStatusResult = InquiryStatusResult

export default class InquiriesStatus extends BaseCommand<typeof InquiriesStatus> {
  static override summary = 'Answer a caller\'s status question: the case number and the home ZIP code they gave (liaison).'
  static override description = 'Shows the status and the day of the last change, nothing else. A wrong ZIP code and an unknown case get the same answer (exit 5, INQUIRY_NOT_FOUND, the same message), so the answer does not tell whether a case exists.'
  static override examples = [
    '<%= config.bin %> inquiries status INQ-2026-000001 --zip 19104',
    '<%= config.bin %> inquiries status INQ-2026-000001 --zip 19104 --json',
  ]
  static override args = {caseNumber: Args.string({required: true, description: 'the case number, INQ-YYYY-NNNNNN'})}
  static override flags = {
    zip: Flags.string({required: true, summary: 'The caller\'s home ZIP code (5 digits or ZIP+4).'}),
  }

  public async run(): Promise<InquiriesStatusResult> {
    const {inquiryStatus} = await import('../../inquiries/service.js')
    const {store, operator} = await this.session('inquiries.status')
    const r = await inquiryStatus(store, operator, this.args.caseNumber, this.flags.zip)
    this.say(`${this.color.bold(r.caseNumber)}: ${r.status} (last changed ${r.updated}).`)
    return r
  }
}
