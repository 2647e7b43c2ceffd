import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {InquirySummary} from '../../inquiries/service.js'

export interface InquiriesListResult {
  inquiries: InquirySummary[]
}

export default class InquiriesList extends BaseCommand<typeof InquiriesList> {
  static override summary = 'List public inquiries, by status or routed agency (liaison, privacy officer).'
  static override examples = [
    '<%= config.bin %> inquiries list',
    '<%= config.bin %> inquiries list --status new --routed-to DOL-NATIONAL --json',
  ]
  static override flags = {
    status: Flags.string({summary: 'Only cases in this status: new, in-progress, referred, answered or closed.'}),
    'routed-to': Flags.string({summary: 'Only cases routed to this agency (e.g. DOL-NATIONAL).'}),
  }

  public async run(): Promise<InquiriesListResult> {
    const [{listInquiries}, {table}] = await Promise.all([import('../../inquiries/service.js'), import('../../cli/render.js')])
    const {store, operator} = await this.session('inquiries.list')
    const inquiries = await listInquiries(store, operator, {status: this.flags.status, routedTo: this.flags['routed-to']})
    this.say(table(['case', 'status', 'received', 'name', 'category', 'routed to', 'repeat of'], inquiries.map((i) => [
      i.caseNumber, i.status, i.received, `${i.lastName}, ${i.firstName}`, i.category, i.routedTo, i.repeatOf,
    ])))
    this.say(`${inquiries.length} inquir${inquiries.length === 1 ? 'y' : 'ies'}.`)
    return {inquiries}
  }
}
