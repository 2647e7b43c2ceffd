import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {HoldView} from '../../retention/service.js'

export type HoldsReleaseResult = HoldView

export default class HoldsRelease extends BaseCommand<typeof HoldsRelease> {
  static override summary = 'Release a legal hold; it stays listed with who released it and when.'
  static override description = 'A hold already released: exit 6.'
  static override examples = ['<%= config.bin %> holds release 1 --reason "Case closed"']
  static override args = {holdId: Args.string({required: true, description: 'Hold id (see holds list).'})}
  static override flags = {reason: Flags.string({summary: 'Why the hold ends.'})}

  public async run(): Promise<HoldsReleaseResult> {
    const {parseHoldId, releaseHold} = await import('../../retention/service.js')
    const {store, operator} = await this.session('holds.release')
    const h = await releaseHold(store, operator, parseHoldId(this.args.holdId), this.flags.reason)
    this.say(`Hold ${h.holdId} released.`)
    return h
  }
}
