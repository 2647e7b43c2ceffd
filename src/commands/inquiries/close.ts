import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {InquiryDetail} from '../../inquiries/service.js'

export type InquiriesCloseResult = InquiryDetail

export default class InquiriesClose extends BaseCommand<typeof InquiriesClose> {
  static override summary = 'Close a public inquiry (liaison): its retention clock starts (24 months).'
  static override description = 'Status becomes closed and closedOn the closing date. Closing a closed case is exit 6 (INQUIRY_CLOSED).'
  static override examples = [
    '<%= config.bin %> inquiries close INQ-2026-000001 --note "Answered by email; no further action."',
    '<%= config.bin %> inquiries close INQ-2026-000001 --date 2026-11-30 --json',
  ]
  static override args = {caseNumber: Args.string({required: true, description: 'the case number, INQ-YYYY-NNNNNN'})}
  static override flags = {
    note: Flags.string({summary: 'How the case ended (at most 4000 characters).'}),
    date: Flags.string({summary: 'The day it was closed (YYYY-MM-DD), not before it was received nor after today. Default: today (UTC).'}),
  }

  public async run(): Promise<InquiriesCloseResult> {
    const {closeInquiry} = await import('../../inquiries/service.js')
    const {store, operator} = await this.session('inquiries.close')
    const i = await closeInquiry(store, operator, this.args.caseNumber, {note: this.flags.note, date: this.flags.date})
    this.say(`${this.color.bold(i.caseNumber)} is closed (on ${i.closedOn}); it is kept until 24 months after that.`)
    return i
  }
}
