import {BaseCommand} from '../../cli/base.js'
import type {HoldView} from '../../retention/service.js'

export interface HoldsListResult {
  holds: HoldView[]
}

export default class HoldsList extends BaseCommand<typeof HoldsList> {
  static override summary = 'List legal holds, active and released.'
  static override examples = ['<%= config.bin %> holds list', '<%= config.bin %> holds list --json']

  public async run(): Promise<HoldsListResult> {
    const {listHolds} = await import('../../retention/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('holds.list')
    const holds = await listHolds(store, operator)
    if (holds.length === 0) this.say('No holds.')
    else this.say(table(['hold', 'status', 'record type', 'employees', 'reason', 'placed', 'released'], holds.map((h) => [
      h.holdId, h.active ? 'active' : 'released', h.recordType ?? 'all', h.employees.join(' ') || 'all', h.reason,
      `${h.placedAt.slice(0, 10)} ${h.placedBy}`, h.releasedAt ? `${h.releasedAt.slice(0, 10)} ${h.releasedBy}` : '',
    ])))
    return {holds}
  }
}
