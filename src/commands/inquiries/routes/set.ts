import {BaseCommand} from '../../../cli/base.js'
import {Flags} from '../../../cli/oclif.js'
import type {RouteSetResult} from '../../../inquiries/routes.js'

/** Which rule a routes command names: exactly one of --state and --zip-prefix (routes set and remove). */
export const ROUTE_KEY_FLAGS = {
  state: Flags.string({summary: 'The rule of a workplace state (USPS code).', exactlyOne: ['state', 'zip-prefix']}),
  'zip-prefix': Flags.string({summary: 'The rule of workplace ZIP codes that start with these 1-5 digits.', exactlyOne: ['state', 'zip-prefix']}),
}

export type InquiriesRoutesSetResult = RouteSetResult

export default class InquiriesRoutesSet extends BaseCommand<typeof InquiriesRoutesSet> {
  static override summary = 'Route inquiries from a workplace state or ZIP prefix to an agency (admin; audited).'
  static override description = 'Adds the rule, or changes the agency of an existing one. Applies to inquiries opened from then on.'
  static override examples = [
    '<%= config.bin %> inquiries routes set --state PA --agency OFCCP-MID-ATLANTIC',
    '<%= config.bin %> inquiries routes set --zip-prefix 191 --agency OFCCP-PHILADELPHIA --json',
  ]
  static override flags = {
    ...ROUTE_KEY_FLAGS,
    agency: Flags.string({required: true, summary: 'The participating agency\'s code (2-30 of A-Z, 0-9, "-").'}),
  }

  public async run(): Promise<InquiriesRoutesSetResult> {
    const {setRoute} = await import('../../../inquiries/routes.js')
    const {store, operator} = await this.session('inquiries.routes')
    const r = await setRoute(store, operator, {state: this.flags.state, zipPrefix: this.flags['zip-prefix']}, this.flags.agency)
    const what = r.route.zipPrefix === null ? `state ${r.route.state}` : `ZIP prefix ${r.route.zipPrefix}`
    this.say(`Inquiries from ${what} now go to ${this.color.bold(r.route.agency)}${r.previous ? ` (was ${r.previous})` : ''}.`)
    return r
  }
}
