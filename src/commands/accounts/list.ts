import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {AccountView} from '../../accounts/service.js'

export interface AccountsListResult {
  accounts: AccountView[]
}

export default class AccountsList extends BaseCommand<typeof AccountsList> {
  static override summary = 'List information system accounts, or those with no sign-in since a date.'
  static override examples = [
    '<%= config.bin %> accounts list',
    '<%= config.bin %> accounts list --inactive-since 2026-06-01 --json',
  ]
  static override flags = {
    'inactive-since': Flags.string({summary: 'Only accounts with no sign-in on or after this date (YYYY-MM-DD, UTC).'}),
  }

  public async run(): Promise<AccountsListResult> {
    const [{listAccounts}, {parseDateFlag}, {table}] = await Promise.all([
      import('../../accounts/service.js'), import('../../calendar/dates.js'), import('../../cli/render.js'),
    ])
    const since = this.flags['inactive-since']
    const inactiveSince = since === undefined ? undefined : parseDateFlag('inactive-since', since)
    const {store, operator} = await this.session('accounts.list')
    const accounts = await listAccounts(store, operator, {inactiveSince})
    this.say(table(['user', 'name', 'email', 'department', 'employee', 'last access', 'sign-ins'], accounts.map((a) => [
      a.userId, a.name, a.email, a.department, a.employeeId, a.lastAccess, a.signIns,
    ])))
    this.say(`${accounts.length} account${accounts.length === 1 ? '' : 's'}.`)
    return {accounts}
  }
}
