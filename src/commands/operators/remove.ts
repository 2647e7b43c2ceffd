import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {OperatorView} from '../../operators/service.js'

export interface OperatorsRemoveResult {
  removed: OperatorView
}

export default class OperatorsRemove extends BaseCommand<typeof OperatorsRemove> {
  static override summary = 'Remove an operator (admin only; never the last admin).'
  static override examples = ['<%= config.bin %> operators remove tina', '<%= config.bin %> operators remove tina --json --db ./agency.db']
  static override args = {name: Args.string({required: true, description: 'Operator name.'})}

  public async run(): Promise<OperatorsRemoveResult> {
    const {removeOperator} = await import('../../operators/service.js')
    const {store, operator} = await this.session('operators.manage')
    const removed = await removeOperator(store, operator, this.args.name)
    this.say(`Removed operator ${removed.name}.`)
    return {removed}
  }
}
