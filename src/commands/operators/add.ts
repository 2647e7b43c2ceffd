import {ROLES} from '../../auth/roles.js'
import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {OperatorView} from '../../operators/service.js'

export type OperatorsAddResult = OperatorView

export default class OperatorsAdd extends BaseCommand<typeof OperatorsAdd> {
  static override summary = 'Add an operator with a role and an optional org scope (admin only).'
  static override examples = [
    '<%= config.bin %> operators add tina --role timekeeper --org 0301',
    '<%= config.bin %> operators add sam --role supervisor --org 0301 --employee E1002',
    '<%= config.bin %> operators add rex --role records-officer --os-user rex',
  ]
  static override args = {name: Args.string({required: true, description: 'Operator name (as in $CUSTODIAN_OPERATOR).'})}
  static override flags = {
    role: Flags.string({required: true, options: [...ROLES], summary: 'The operator\'s role.'}),
    org: Flags.string({summary: 'Org-code prefix the operator is limited to. Default: agency-wide.'}),
    employee: Flags.string({summary: 'The operator\'s own employee_id (a supervisor never certifies it).'}),
    'os-user': Flags.string({summary: 'Bind the operator to this OS account: claiming the operator (CUSTODIAN_OPERATOR) from another account is refused (exit 4, OPERATOR_MISMATCH).'}),
  }

  public async run(): Promise<OperatorsAddResult> {
    const {addOperator} = await import('../../operators/service.js')
    const {parseRole} = await import('../../auth/roles.js')
    const {store, operator} = await this.session('operators.manage')
    const added = await addOperator(store, operator, {name: this.args.name, role: parseRole(this.flags.role), org: this.flags.org, employeeId: this.flags.employee, osUser: this.flags['os-user']})
    this.say(`Added operator ${added.name} (${added.role}${added.org ? `, org ${added.org}` : ', agency-wide'}${added.osUser ? `, bound to OS account ${added.osUser}` : ''}).`)
    return added
  }
}
