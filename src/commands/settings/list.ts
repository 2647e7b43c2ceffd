import {BaseCommand} from '../../cli/base.js'
import type {SettingView} from '../../admin/settings.js'

export interface SettingsListResult {
  settings: SettingView[]
}

export default class SettingsList extends BaseCommand<typeof SettingsList> {
  static override summary = 'List the store settings an admin may change (letterhead, signature, appeal address, payroll provider).'
  static override examples = ['<%= config.bin %> settings list', '<%= config.bin %> settings list --json']

  public async run(): Promise<SettingsListResult> {
    const {listSettings} = await import('../../admin/settings.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('settings.manage')
    const settings = await listSettings(store, operator)
    this.say(table(['setting', 'value', 'what it is'], settings.map((s) => [s.key, s.value ?? '(not set)', s.summary])))
    return {settings}
  }
}
