import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {InquiryDetail} from '../../inquiries/service.js'

export type InquiriesShowResult = InquiryDetail

export default class InquiriesShow extends BaseCommand<typeof InquiriesShow> {
  static override summary = 'Show one public inquiry: the intake form, its routing and every update (liaison, privacy officer).'
  static override examples = [
    '<%= config.bin %> inquiries show INQ-2026-000001',
    '<%= config.bin %> inquiries show INQ-2026-000001 --json',
  ]
  static override args = {caseNumber: Args.string({required: true, description: 'the case number, INQ-YYYY-NNNNNN'})}

  public async run(): Promise<InquiriesShowResult> {
    const [{showInquiry}, {renderInquiry}] = await Promise.all([import('../../inquiries/service.js'), import('../../inquiries/render.js')])
    const {store, operator} = await this.session('inquiries.show')
    const i = await showInquiry(store, operator, this.args.caseNumber)
    this.say(renderInquiry(i, this.color.bold))
    return i
  }
}
