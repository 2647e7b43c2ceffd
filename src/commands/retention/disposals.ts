import {BaseCommand} from '../../cli/base.js'
import type {DisposalView} from '../../retention/service.js'

export interface RetentionDisposalsResult {
  disposals: DisposalView[]
}

export default class RetentionDisposals extends BaseCommand<typeof RetentionDisposals> {
  static override summary = 'List past retention sweeps with their certificate digests.'
  static override examples = ['<%= config.bin %> retention disposals', '<%= config.bin %> retention disposals --json']

  public async run(): Promise<RetentionDisposalsResult> {
    const {listDisposals} = await import('../../retention/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('retention.disposals')
    const disposals = await listDisposals(store, operator)
    if (disposals.length === 0) this.say('No disposals yet.')
    else this.say(table(['disposal', 'as of', 'operator', 'at', 'destroyed', 'certificate sha256'], disposals.map((d) => [
      d.disposalId, d.asOf, d.operator, d.at, d.destroyed, d.sha256,
    ])))
    return {disposals}
  }
}
