import {BaseCommand} from '../../cli/base.js'
import type {RotateKeyResult} from '../../admin/rotate-key.js'

export type StoreRotateKeyResult = RotateKeyResult

export default class StoreRotateKey extends BaseCommand<typeof StoreRotateKey> {
  static override summary = 'Seal every SSN again under a new key and replace the key file (admin).'
  static override description = 'The SSNs (and the payroll batches\' kept files) are re-encrypted in one transaction and their keyed hashes computed again; then the new key file replaces the old one ($CUSTODIAN_KEY_FILE, else custodian.key in the config folder), which no longer decrypts anything. The do-not-contact hashes keep their key. Without the current key: exit 4, KEY_MISSING, nothing changed.'
  static override examples = ['<%= config.bin %> store rotate-key', '<%= config.bin %> store rotate-key --json']

  public async run(): Promise<StoreRotateKeyResult> {
    const {rotateKey} = await import('../../admin/rotate-key.js')
    const {store, operator} = await this.session('store.rotate-key')
    const result = await rotateKey(store, operator, this.keyFile())
    this.say(`Rotated the key: ${result.rotated} SSN(s) and ${result.batches} payroll batch(es) sealed under the new key; ${result.keyFile} replaced.`)
    return result
  }
}
