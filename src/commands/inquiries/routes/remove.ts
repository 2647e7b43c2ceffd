import {BaseCommand} from '../../../cli/base.js'
import type {RouteRemoveResult} from '../../../inquiries/routes.js'
import {ROUTE_KEY_FLAGS} from './set.js'

export type InquiriesRoutesRemoveResult = RouteRemoveResult

export default class InquiriesRoutesRemove extends BaseCommand<typeof InquiriesRoutesRemove> {
  static override summary = 'Remove a routing rule of inquiries (admin; audited).'
  static override examples = [
    '<%= config.bin %> inquiries routes remove --state PA',
    '<%= config.bin %> inquiries routes remove --zip-prefix 191 --json',
  ]
  static override flags = ROUTE_KEY_FLAGS

  public async run(): Promise<InquiriesRoutesRemoveResult> {
    const {removeRoute} = await import('../../../inquiries/routes.js')
    const {store, operator} = await this.session('inquiries.routes')
    const r = await removeRoute(store, operator, {state: this.flags.state, zipPrefix: this.flags['zip-prefix']})
    const what = r.removed.zipPrefix === null ? `state ${r.removed.state}` : `ZIP prefix ${r.removed.zipPrefix}`
    this.say(`Removed the rule for ${what} (was ${r.removed.agency}).`)
    return r
  }
}
