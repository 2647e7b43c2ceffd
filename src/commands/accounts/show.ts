import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {AccountView} from '../../accounts/service.js'

export type AccountsShowResult = AccountView

export default class AccountsShow extends BaseCommand<typeof AccountsShow> {
  static override summary = 'Show one information system account: who the user is, their last access and how many sign-ins are kept.'
  static override examples = [
    '<%= config.bin %> accounts show aokafor',
    '<%= config.bin %> accounts show aokafor --json',
  ]
  static override args = {userId: Args.string({required: true, description: 'the identity provider\'s user id'})}

  public async run(): Promise<AccountsShowResult> {
    const {showAccount} = await import('../../accounts/service.js')
    const {store, operator} = await this.session('accounts.show')
    const a = await showAccount(store, operator, this.args.userId)
    this.say(`${this.color.bold(a.userId)}  ${a.name}  <${a.email}>`)
    this.say(`  department ${a.department ?? '-'}   employee ${a.employeeId ?? '-'}`)
    this.say(`  last access ${a.lastAccess}   ${a.signIns} sign-in${a.signIns === 1 ? '' : 's'} kept`)
    return a
  }
}
