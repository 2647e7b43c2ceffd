import {BaseCommand} from '../cli/base.js'
import {Flags} from '../cli/oclif.js'
import type {InitResult} from '../admin/init.js'

export type {InitResult} from '../admin/init.js'

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Create the store, or migrate an existing one to the latest schema.'
  static override description = 'A new store gets every migration, the built-in code tables and retention schedules, and NAME as its first admin. On an existing store, init only applies pending migrations.'
  static override examples = [
    '<%= config.bin %> init --db ./agency.db --agency HS --admin alice',
    'CUSTODIAN_DB=./agency.db <%= config.bin %> init --json',
  ]
  static override flags = {
    agency: Flags.string({summary: 'Agency code (2 characters) for payroll files.'}),
    admin: Flags.string({summary: 'First admin operator. Default: the current operator.'}),
  }

  public async run(): Promise<InitResult> {
    const {initStore} = await import('../admin/init.js')
    const operator = this.operatorName()
    const result = await initStore({db: this.storePath(), agency: this.flags.agency, admin: this.flags.admin, actor: operator, keyFile: this.keyFile()})
    if (result.created) {
      this.say(`Created store ${result.db} (schema ${result.schemaVersion}); ${result.admin} is its admin.`)
      this.say('Next, as the admin: put the agency\'s name, address, signing official and appeal address on response letters:')
      this.say('  custodian settings set agency.name "Department of ..."   (and agency.address, privacy.signer, privacy.appeal_address;')
      this.say('  custodian settings list shows them all), then add operators: custodian operators add NAME --role ROLE')
    } else {
      this.say(`Store ${result.db} is at schema ${result.schemaVersion}; nothing else changed.`)
    }
    return result
  }
}
