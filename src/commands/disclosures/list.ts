import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {DisclosureList} from '../../requests/disclosures.js'

export type DisclosuresListResult = DisclosureList

export default class DisclosuresList extends BaseCommand<typeof DisclosuresList> {
  static override summary = 'The accounting of disclosures of one employee\'s records (what the individual may see).'
  static override examples = ['<%= config.bin %> disclosures list --employee E1001', '<%= config.bin %> disclosures list --employee E1001 --json']
  static override flags = {employee: Flags.string({required: true, summary: 'employee_id'})}

  public async run(): Promise<DisclosuresListResult> {
    const {listDisclosures} = await import('../../requests/disclosures.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('disclosures.list')
    const result = await listDisclosures(store, operator, this.flags.employee)
    this.say(table(['date', 'recipient', 'purpose', 'routine use', 'record', 'disputed'], result.disclosures.map((d) => [d.date, d.recipient, d.purpose, d.routineUse, `${d.recordType} ${d.recordRef ?? ''}`, d.disputed ? 'yes' : ''])))
    for (const s of result.statements) this.say(`\nStatement of disagreement on ${s.record} (request ${s.requestId}, filed ${s.filedAt.slice(0, 10)}), sent with every disclosure of it:\n${s.statement}`)
    return result
  }
}
