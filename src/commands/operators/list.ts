import {BaseCommand} from '../../cli/base.js'
import type {OperatorView} from '../../operators/service.js'

export interface OperatorsListResult {
  operators: OperatorView[]
}

export default class OperatorsList extends BaseCommand<typeof OperatorsList> {
  static override summary = 'List operators with their roles and scopes.'
  static override examples = ['<%= config.bin %> operators list', '<%= config.bin %> operators list --json']

  public async run(): Promise<OperatorsListResult> {
    const {listOperators} = await import('../../operators/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('operators.list')
    const operators = await listOperators(store, operator)
    // The OS account column appears once an operator is bound to one (operators add --os-user).
    const bound = operators.some((o) => o.osUser !== null)
    this.say(table(['name', 'role', 'org', 'employee', ...(bound ? ['os account'] : []), 'added'], operators.map((o) => [
      o.name, o.role, o.org ?? '(agency-wide)', o.employeeId, ...(bound ? [o.osUser ?? '(any)'] : []), o.createdAt.slice(0, 10),
    ])))
    return {operators}
  }
}
