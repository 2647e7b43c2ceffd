import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {SettingView} from '../../admin/settings.js'

export type SettingsSetResult = SettingView & {previous: string | null}

export default class SettingsSet extends BaseCommand<typeof SettingsSet> {
  static override summary = 'Change a store setting (admin): the agency\'s letterhead, the signing official, the appeal address, ...'
  static override description = 'Lines of an address or a signature are separated by " | ". See custodian settings list for every setting.'
  static override examples = [
    '<%= config.bin %> settings set agency.name "Department of Homeland Security"',
    '<%= config.bin %> settings set privacy.appeal_address "Privacy Appeals Officer | 245 Murray Lane SW | Washington, DC 20528"',
    '<%= config.bin %> settings set privacy.signer "Jordan Ellis | Chief Privacy Officer" --json',
  ]
  static override args = {
    key: Args.string({required: true, description: 'The setting (see settings list).'}),
    value: Args.string({required: true, description: 'Its new value.'}),
  }

  public async run(): Promise<SettingsSetResult> {
    const {setSetting} = await import('../../admin/settings.js')
    const {store, operator} = await this.session('settings.manage')
    const r = await setSetting(store, operator, this.args.key, this.args.value)
    this.say(`${r.key} is now "${r.value}"${r.previous === null ? '' : ` (was "${r.previous}")`}.`)
    return r
  }
}
