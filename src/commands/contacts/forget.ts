import {BaseCommand} from '../../cli/base.js'
import {CustodianError, ExitCode} from '../../errors.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {ForgetResult} from '../../contacts/service.js'

export type ContactsForgetResult = ForgetResult

export default class ContactsForget extends BaseCommand<typeof ContactsForget> {
  static override summary = 'The person asked not to be contacted: destroy the contact and its interactions now, and never add them again.'
  static override description = 'The contact\'s owner or an admin. Destroys as a retention sweep does (one transaction, a disposal certificate without personal data, the store\'s files compacted so no byte remains) '
    + 'and keeps only keyed hashes (HMAC-SHA-256 under the key file, outside the store) of the email and phones: a later contacts add or import of the same person is rejected with CT-DO-NOT-CONTACT. '
    + 'Asks for confirmation on a terminal; --yes skips it; without a terminal and without --yes it refuses (exit 2). A contact under legal hold: exit 6.'
  static override examples = [
    '<%= config.bin %> contacts forget C000002',
    '<%= config.bin %> contacts forget C000002 --yes --json',
  ]
  static override args = {contactId: Args.string({required: true, description: 'the contact id (C000001)'})}
  static override flags = {
    yes: Flags.boolean({summary: 'Do not ask for confirmation.'}),
  }

  public async run(): Promise<ContactsForgetResult> {
    const {forgetContact} = await import('../../contacts/service.js')
    const {store, operator} = await this.session('contacts.forget')
    if (!this.flags.yes) await this.confirm()
    const r = await forgetContact(store, operator, this.args.contactId)
    this.say(`Disposal ${r.disposalId}: destroyed contact ${this.args.contactId.trim().toUpperCase()} and ${r.destroyed.interaction} interaction${r.destroyed.interaction === 1 ? '' : 's'}; the person is on the do-not-contact list.`)
    this.say(`Certificate sha256 ${r.certificateSha256} (custodian retention certificate ${r.disposalId}).`)
    for (const warning of r.warnings) this.note(warning)
    return r
  }

  private async confirm(): Promise<void> {
    if (this.jsonEnabled() || !process.stdin.isTTY || !process.stdout.isTTY) {
      throw new CustodianError('CONFIRMATION_REQUIRED', 'contacts forget destroys the contact for good: confirm it on a terminal, or pass --yes. Nothing was destroyed.', ExitCode.usage)
    }
    const {confirm} = await import('@inquirer/prompts')
    const yes = await confirm({message: `Destroy contact ${this.args.contactId} and its interactions for good, and put the person on the do-not-contact list?`, default: false}).catch(() => false)
    if (!yes) throw new CustodianError('NOT_CONFIRMED', 'Forget cancelled; nothing was destroyed.', ExitCode.usage)
  }
}
