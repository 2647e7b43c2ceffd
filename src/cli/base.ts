import os from 'node:os'
import path from 'node:path'

import {type Action, type Operator, authorize} from '../auth/roles.js'
import type {Store} from '../store/index.js'
import {CustodianError, ExitCode, printable, printableDetails, usage} from '../errors.js'
import {Command, Errors, Flags, type Interfaces} from './oclif.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** The few styles human output uses (a chalk instance provides them). */
export interface Colors {
  bold(text: string): string
  green(text: string): string
  red(text: string): string
  yellow(text: string): string
}

const plain = (text: string) => text
const PLAIN: Colors = {bold: plain, green: plain, red: plain, yellow: plain}

export interface Session {
  store: Store
  operator: Operator
}

/**
 * What every custodian command shares: --db and --json, opening the store, who the operator is, the one
 * authorization gate, and turning errors into exit codes and the JSON error shape. Commands stay thin:
 * parse flags, call one domain function, render its named result (which --json prints).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    db: Flags.string({
      helpGroup: 'GLOBAL',
      summary: 'Store file. Default: $CUSTODIAN_DB, else custodian.db in the data directory.',
    }),
  }
  static override enableJsonFlag = true

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  private stores: Store[] = []
  private colors: Colors = PLAIN

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    if (process.stdout.isTTY && !process.env.NO_COLOR && !this.jsonEnabled()) {
      const {Chalk} = await import('chalk')
      this.colors = new Chalk({level: 1})
    }
    // A blank value is never what someone meant (`--employee ""` must not widen to every employee).
    for (const [kind, values] of [['--', flags], ['', args]] as const) {
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        const blank = (v: unknown) => typeof v === 'string' && v.trim() === ''
        if (blank(value) || (Array.isArray(value) && value.some(blank))) {
          throw usage(`${kind}${name} is empty; give a value or leave it out.`)
        }
      }
    }
  }

  /** --db, else $CUSTODIAN_DB, else custodian.db under oclif's data directory. */
  protected storePath(): string {
    const fromEnv = process.env.CUSTODIAN_DB
    if (this.flags.db === undefined && fromEnv !== undefined && fromEnv.trim() === '') {
      throw usage('CUSTODIAN_DB is set but empty. Set it to the store file (export CUSTODIAN_DB=/path/to/custodian.db), unset it to use the default store, or pass --db.')
    }
    return this.flags.db ?? fromEnv ?? path.join(this.config.dataDir, 'custodian.db')
  }

  /** The store's key file: $CUSTODIAN_KEY_FILE, else custodian.key in oclif's config directory (store/keyfile.ts). */
  protected keyFile(): string {
    const fromEnv = process.env.CUSTODIAN_KEY_FILE?.trim()
    return path.resolve(fromEnv ? fromEnv : path.join(this.config.configDir, 'custodian.key'))
  }

  /** $CUSTODIAN_OPERATOR, else the OS user name. */
  protected operatorName(): string {
    const fromEnv = process.env.CUSTODIAN_OPERATOR?.trim()
    if (fromEnv) return fromEnv
    try {
      return os.userInfo().username
    } catch {
      return 'unknown'
    }
  }

  /** On PostgreSQL the operator is the server's login; an environment that claims someone else is refused. */
  protected assertClaimIsLogin(login: string): void {
    const claimed = process.env.CUSTODIAN_OPERATOR?.trim()
    if (claimed && claimed !== login) {
      throw new CustodianError('OPERATOR_MISMATCH', `CUSTODIAN_OPERATOR says "${printable(claimed).slice(0, 64)}", but the store's server says you are "${login}"; on a PostgreSQL store the login is the operator. Unset CUSTODIAN_OPERATOR or connect as that login.`, ExitCode.notPermitted, {login})
    }
  }

  protected async openStore(): Promise<Store> {
    const {openStore} = await import('../store/index.js')
    const store = this.track(await openStore(this.storePath()))
    // The store's keys come from it (store/keyfile.ts): the audit chain's MACs, the do-not-contact hashes, the SSNs.
    store.keyFile = this.keyFile()
    // About the store, not the result: on stderr even with --json, so scripts' logs show them.
    for (const notice of store.notices) process.stderr.write(`${this.color.yellow('Note:')} ${printable(notice)}\n`)
    return store
  }

  protected track(store: Store): Store {
    this.stores.push(store)
    return store
  }

  /** Opens the store, resolves the operator (unknown: exit 4) and checks the action against the role. */
  protected async session(action: Action): Promise<Session> {
    const store = await this.openStore()
    const {resolveOperator} = await import('../operators/service.js')
    const name = store.engine === 'postgres' ? store.login : this.operatorName()
    let operator: Operator
    try {
      if (store.engine === 'postgres') this.assertClaimIsLogin(store.login)
      operator = await resolveOperator(store, name)
      authorize(operator, action)
    } catch (error) {
      if (error instanceof CustodianError && error.exit === ExitCode.notPermitted) {
        const {auditRefusal} = await import('../audit/chain.js')
        const unknown = error.code === 'UNKNOWN_OPERATOR'
        // An unknown name is recorded as given (made printable and cut to 64 characters); a login that claimed
        // another name, under the login.
        const reason = unknown ? 'unknown-operator' : error.code === 'OPERATOR_MISMATCH' ? 'operator-mismatch' : null
        const written = await auditRefusal(store, unknown ? printable(name).slice(0, 64) : name, action, reason)
        if (!written) throw new CustodianError(error.code, `${error.message} (The refusal could not be written to the audit trail: the store stayed busy.)`, error.exit, error.details)
      }
      throw error
    }
    return {store, operator}
  }

  /** Styling for human output: chalk on a terminal (loaded only then), plain text otherwise. */
  protected get color(): Colors {
    return this.colors
  }

  /** Human output on stdout; silent with --json. */
  protected say(text = ''): void {
    if (!this.jsonEnabled()) process.stdout.write(`${text}\n`)
  }

  /** A warning on stderr; silent with --json (the result then carries a warnings array). */
  protected note(text: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`${this.color.yellow('Warning:')} ${text}\n`)
  }

  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    // oclif's own exits (this.exit, --help, --version) keep their meaning.
    if (err instanceof Errors.ExitError) throw err
    const described = this.describe(err)
    const failure = {...described, message: printable(described.message), details: printableDetails(described.details)}
    if (this.jsonEnabled()) {
      this.logJson({error: {code: failure.code, message: failure.message, ...failure.details}})
    } else {
      process.stderr.write(`${this.color.red('Error:')} ${failure.message}\n`)
    }
    if (failure.exit === ExitCode.internal && process.env.DEBUG && err.stack) process.stderr.write(`${err.stack}\n`)
    process.exitCode = failure.exit
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    for (const store of this.stores.splice(0)) await store.close().catch(() => undefined)
    return super.finally(err)
  }

  private describe(err: Error & {oclif?: {exit?: number}; code?: string}): {code: string; message: string; exit: number; details: Record<string, unknown>} {
    if (err instanceof CustodianError) return {code: err.code, message: err.message, exit: err.exit, details: err.details}
    // Flag and argument parsing failures from oclif are usage errors.
    if (err instanceof Errors.CLIError || err.oclif?.exit === 2 || /Parse|Flag|Arg/.test(err.constructor?.name ?? '')) {
      const message = err.message
        .replace(/\n?See more help with --help$/, '')
        .replace(/^The following errors? occurred:\s*/, '')
        .replace(/\s*\n\s*/g, '; ')
        .trim()
      return {code: 'USAGE', message: `${message} (see --help)`, exit: ExitCode.usage, details: {}}
    }
    // Ctrl-C (or Ctrl-D) at an inquirer prompt: the person changed their mind, which is no bug.
    if (err.name === 'ExitPromptError' || err.name === 'AbortPromptError') {
      return {code: 'CANCELLED', message: 'Cancelled at the prompt; nothing was stored.', exit: ExitCode.usage, details: {}}
    }
    // PostgreSQL: a lock not granted in time (55P03), a serialization failure (40001) or a deadlock (40P01) is
    // another writer's doing, never the user's; the command was rolled back.
    if (err.code === 'SQLITE_BUSY' || err.code === '55P03' || err.code === '40001' || err.code === '40P01') {
      return {code: 'STORE_BUSY', message: 'The store is busy with another custodian process; try again when it has finished.', exit: ExitCode.conflict, details: {}}
    }
    if (err.code === '42501') {
      return {code: 'NOT_PERMITTED', message: 'The store\'s server refused this to your login (insufficient privilege); nothing was changed. Ask the store\'s admin for the role this needs.', exit: ExitCode.notPermitted, details: {}}
    }
    if (err.code === '57P01' || err.code === 'ECONNRESET' || err.code === '08006' || err.code === '08003') {
      return {code: 'STORE_UNREACHABLE', message: 'The connection to the store\'s server was lost; what the command was doing was rolled back. Run it again when the server is back.', exit: ExitCode.notFound, details: {}}
    }
    if (err.code === 'SQLITE_FULL' || err.code === '53100' || err.code === 'ENOSPC' || err.code === 'EDQUOT') {
      return {
        code: 'DISK_FULL',
        message: 'The disk is full (or your quota is used up), so the command stopped; what it was doing was rolled back and the store is as it was. Free some space on the disk that holds the store and the output folder, then run it again.',
        exit: ExitCode.conflict,
        details: {},
      }
    }
    if (err.code?.startsWith('SQLITE_READONLY')) {
      return {code: 'STORE_READ_ONLY', message: 'The store is read-only for you; custodian writes to it on every command. Run custodian as the store\'s owner, or give yourself write access to it and its folder.', exit: ExitCode.notFound, details: {}}
    }
    return {
      code: 'INTERNAL',
      message: `Internal error: ${err.message}. This is a bug; rerun with DEBUG=custodian* for details.`,
      exit: ExitCode.internal,
      details: {},
    }
  }
}
