import {BaseCommand} from '../../../cli/base.js'
import {Args, Flags} from '../../../cli/oclif.js'
import type {RoutineUseSetResult} from '../../../systems/service.js'

export type SystemsRoutineUseSetResult = RoutineUseSetResult

export default class SystemsRoutineUseSet extends BaseCommand<typeof SystemsRoutineUseSet> {
  static override summary = 'Add a routine use to a system of records, or change its description (admin; audited).'
  static override description = 'Codes are <system>-<n> or <system>-<NAME>. Disclosures of the system\'s records may cite it from then on (disclosures record --routine-use).'
  static override examples = ['<%= config.bin %> systems routine-use set OPM/GOVT-1 OPM/GOVT-1-7 --description "To the Office of Personnel Management for retirement eligibility reviews."']
  static override args = {
    system: Args.string({required: true, description: 'System id, e.g. OPM/GOVT-1.'}),
    code: Args.string({required: true, description: 'Routine-use code, e.g. OPM/GOVT-1-7.'}),
  }
  static override flags = {description: Flags.string({required: true, summary: 'What the routine use permits: to whom, and for what purpose.'})}

  public async run(): Promise<SystemsRoutineUseSetResult> {
    const {setRoutineUse} = await import('../../../systems/service.js')
    const {store, operator} = await this.session('systems.manage')
    const r = await setRoutineUse(store, operator, this.args.system, this.args.code, this.flags.description)
    this.say(`${r.code} ${r.previous === null ? 'added to' : 'changed in'} ${r.system}.`)
    return r
  }
}
