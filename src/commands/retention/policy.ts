import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {RetentionPolicy} from '../../admin/settings.js'

export type RetentionPolicyResult = RetentionPolicy

export default class RetentionPolicyCommand extends BaseCommand<typeof RetentionPolicyCommand> {
  static override summary = 'Show the retention policy, or turn two-person destruction on or off (admin).'
  static override description = 'With two-person destruction on, custodian retention sweep destroys only the records of a disposition review that another records officer approved '
    + '(custodian retention review submit, approve; then retention sweep --review <reviewId>); a sweep without --review is exit 4, REVIEW_REQUIRED. Kept as the store setting retention.two_person.'
  static override examples = [
    '<%= config.bin %> retention policy',
    '<%= config.bin %> retention policy --two-person on --json',
  ]
  static override flags = {
    'two-person': Flags.string({options: ['on', 'off'], summary: 'Require an approved disposition review for every sweep (on) or not (off). Admin only.'}),
  }

  public async run(): Promise<RetentionPolicyResult> {
    const {retentionPolicy, setTwoPersonPolicy} = await import('../../admin/settings.js')
    const wanted = this.flags['two-person']
    const {store, operator} = await this.session(wanted === undefined ? 'retention.policy' : 'retention.policy.set')
    const r = wanted === undefined ? await retentionPolicy(store, operator) : await setTwoPersonPolicy(store, operator, wanted)
    const state = r.twoPerson ? 'on: a sweep destroys only an approved disposition review\'s records (retention sweep --review)' : 'off: a sweep may run without a disposition review'
    this.say(`Two-person destruction is ${state}${r.previous && r.previous.twoPerson !== r.twoPerson ? ` (was ${r.previous.twoPerson ? 'on' : 'off'})` : ''}.`)
    return r
  }
}
