import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {SystemView} from '../../systems/service.js'

export type SystemsShowResult = SystemView

export default class SystemsShow extends BaseCommand<typeof SystemsShow> {
  static override summary = 'Show a system of records: its notice, record types with their retention, routine uses and procedures (every role).'
  static override description = 'Categories of records come from the record types the store keeps in the system, with the retention period and trigger of each one\'s schedule as the store has them now. An unknown id is exit 5.'
  static override examples = ['<%= config.bin %> systems show OPM/GOVT-1']
  static override args = {id: Args.string({required: true, description: 'System id, e.g. OPM/GOVT-1 or USPS-550.000.'})}

  public async run(): Promise<SystemsShowResult> {
    const {showSystem} = await import('../../systems/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('systems.show')
    const s = await showSystem(store, operator, this.args.id)
    this.say(`${s.id}: ${s.name}`)
    this.say(`Notice: ${s.sorn}`)
    this.say(`Authority: ${s.authority}`)
    this.say()
    this.say(s.categoriesOfRecords.length === 0 ? 'This store keeps no records of this system.'
      : table(['record type', 'retrieved by', 'schedule', 'retain', 'period runs from'], s.categoriesOfRecords.map((c) => [
        c.recordType, c.retrievedBy.join(', '), c.schedule, `${c.retainMonths} mo`, c.trigger,
      ])))
    this.say()
    this.say(s.routineUses.length === 0 ? 'Routine uses: none.' : `Routine uses: ${s.routineUses.map((u) => u.code).join(', ')}`)
    this.say(`The whole notice: custodian systems notice ${s.id}`)
    return s
  }
}
