import {BaseCommand} from '../../../cli/base.js'
import type {RoutesListResult} from '../../../inquiries/routes.js'

export type InquiriesRoutesListResult = RoutesListResult

export default class InquiriesRoutesList extends BaseCommand<typeof InquiriesRoutesList> {
  static override summary = 'List the routing table of inquiries, in the order rules are decided (admin).'
  static override description = 'A ZIP-prefix rule wins over a state rule, the longest prefix first; an inquiry no rule matches goes to DOL-NATIONAL.'
  static override examples = ['<%= config.bin %> inquiries routes list', '<%= config.bin %> inquiries routes list --json']

  public async run(): Promise<InquiriesRoutesListResult> {
    const [{listRoutes}, {table}] = await Promise.all([import('../../../inquiries/routes.js'), import('../../../cli/render.js')])
    const {store, operator} = await this.session('inquiries.routes')
    const r = await listRoutes(store, operator)
    this.say(table(['zip prefix', 'state', 'agency', 'updated', 'by'], r.routes.map((x) => [x.zipPrefix, x.state, x.agency, x.updatedAt, x.updatedBy])))
    this.say(`${r.routes.length} rule${r.routes.length === 1 ? '' : 's'}; anything else goes to ${r.fallback}.`)
    return r
  }
}
