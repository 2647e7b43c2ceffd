import {BaseCommand} from '../../cli/base.js'
import type {SystemSummary} from '../../systems/service.js'

export interface SystemsListResult {
  systems: SystemSummary[]
}

export default class SystemsList extends BaseCommand<typeof SystemsList> {
  static override summary = 'List the systems of records and the record types each holds (every role).'
  static override description = 'Every record type belongs to exactly one system of records; its notice, routine uses and procedures are the system\'s (custodian systems show <id>).'
  static override examples = ['<%= config.bin %> systems list']

  public async run(): Promise<SystemsListResult> {
    const {listSystems} = await import('../../systems/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('systems.list')
    const result = await listSystems(store, operator)
    this.say(table(['id', 'name', 'record types'], result.systems.map((s) => [s.id, s.name, s.recordTypes.join(', ')])))
    return result
  }
}
