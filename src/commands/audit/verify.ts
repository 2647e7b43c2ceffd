import {BaseCommand} from '../../cli/base.js'
import {checksFailed} from '../../errors.js'
import type {VerifyResult} from '../../audit/chain.js'

export type AuditVerifyResult = VerifyResult

export default class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override summary = 'Check the audit chain: every entry\'s content and its link to the entry before it.'
  static override description = 'Exit 3 names the first entry that was altered, removed or reordered.'
  static override examples = ['<%= config.bin %> audit verify', '<%= config.bin %> audit verify --json']

  public async run(): Promise<AuditVerifyResult> {
    const {verifyChain} = await import('../../audit/chain.js')
    const {store} = await this.session('audit.verify')
    const result = await verifyChain(store)
    if (!result.ok) {
      throw checksFailed('AUDIT_CHAIN_BROKEN', `The audit chain does not verify: entry ${result.firstBadSeq} was altered, removed or reordered (${result.entries} entries present).`, {...result})
    }
    this.say(`${this.color.green('OK')}: ${result.entries} audit entries verify.`)
    return result
  }
}
