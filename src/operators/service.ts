import {type Operator, type Role, authorize, isRole} from '../auth/roles.js'
import {appendAudit, currentOsUser} from '../audit/chain.js'
import {CustodianError, ExitCode, conflict, notFound, notPermitted, usage} from '../errors.js'
import {type Store, inTransaction} from '../store/index.js'
import {countAdmins, deleteOperator, insertOperator, operatorByName, operatorRows} from './queries.js'

export interface OperatorView {
  name: string
  role: Role
  org: string | null
  employeeId: string | null
  createdAt: string
  createdBy: string
  /** The OS account the operator is bound to: claiming this operator from another account is refused. */
  osUser: string | null
}

const NAME = /^[A-Za-z0-9._@-]{1,64}$/
const ORG = /^[A-Z0-9]{1,12}$/

function toView(r: {name: string; role: string; org_prefix: string | null; employee_id: string | null; created_at: string; created_by: string; os_user: string | null}): OperatorView {
  return {name: r.name, role: r.role as Role, org: r.org_prefix, employeeId: r.employee_id, createdAt: r.created_at, createdBy: r.created_by, osUser: r.os_user ?? null}
}

/** An OS account name as the system gives it (DOMAIN\\user on Windows): printable, no surrounding spaces, at most 128 characters. */
const OS_USER = /^[^\u0000-\u001f\u007f\s](?:[^\u0000-\u001f\u007f]{0,126}[^\u0000-\u001f\u007f\s])?$/u

/** The operator running this command; unknown names are refused (exit 4). */
export async function resolveOperator(store: Store, name: string): Promise<Operator> {
  const row = await operatorByName(store, name)
  if (!row || !isRole(row.role)) {
    throw notPermitted('UNKNOWN_OPERATOR', `"${name}" is not an operator of this store. An admin can add it with: custodian operators add ${name} --role <role>`, {operator: name})
  }
  // A SQLite store shared through an OS group: anyone may set CUSTODIAN_OPERATOR, but an operator bound to an
  // OS account is only that account (on PostgreSQL the server's login already is the operator).
  if (row.os_user !== null && row.os_user !== undefined) {
    const account = currentOsUser()
    if (account !== row.os_user) {
      throw new CustodianError('OPERATOR_MISMATCH', `Operator "${name}" is bound to another OS account than the one running this command${account === null ? ' (which the system does not name)' : ` ("${account}")`}; run custodian as that account, or ask an admin.`, ExitCode.notPermitted, {operator: name})
    }
  }
  return {name: row.name, role: row.role, orgPrefix: row.org_prefix, employeeId: row.employee_id}
}

export interface AddOperatorOptions {
  name: string
  role: Role
  org?: string
  employeeId?: string
  /** Binds the operator to this OS account (operators add --os-user). */
  osUser?: string
}

export async function addOperator(store: Store, actor: Operator, opts: AddOperatorOptions): Promise<OperatorView> {
  authorize(actor, 'operators.manage')
  if (!NAME.test(opts.name)) throw usage(`Operator name "${opts.name}" is not valid: use 1-64 letters, digits, ".", "_", "@" or "-".`)
  const org = opts.org?.trim().toUpperCase()
  if (org !== undefined && !ORG.test(org)) throw usage(`--org "${opts.org}" is not an org-code prefix: use 1-12 of A-Z and 0-9.`)
  const employeeId = opts.employeeId?.trim().toUpperCase()
  const osUser = opts.osUser?.trim()
  if (osUser !== undefined && !OS_USER.test(osUser)) throw usage(`--os-user is not an OS account name: use the name the system gives the account (printable, at most 128 characters).`)
  return inTransaction(store, async () => {
    const existing = await operatorByName(store, opts.name)
    if (existing) throw conflict('OPERATOR_EXISTS', `Operator "${opts.name}" already exists; remove it first to change its role.`)
    const row = {
      name: opts.name, role: opts.role, org_prefix: org ?? null, employee_id: employeeId ?? null,
      created_at: new Date().toISOString(), created_by: actor.name, os_user: osUser ?? null,
    }
    await insertOperator(store, row)
    // On PostgreSQL the operator is a login: it gets its role's group role (created when it does not exist).
    if (store.engine === 'postgres') await (await import('../store/postgres-security.js')).grantOperatorLogin(store, opts.name, opts.role)
    await appendAudit(store, actor.name, {action: 'operators.add', recordType: 'operator', recordId: opts.name, digest: `role=${opts.role};org=${org ?? '*'}${osUser === undefined ? '' : `;os-user=${osUser}`}`})
    return toView(row)
  })
}

export async function listOperators(store: Store, actor: Operator): Promise<OperatorView[]> {
  authorize(actor, 'operators.list')
  const rows = await operatorRows(store)
  return rows.map(toView)
}

export async function removeOperator(store: Store, actor: Operator, name: string): Promise<OperatorView> {
  authorize(actor, 'operators.manage')
  return inTransaction(store, async () => {
    const row = await operatorByName(store, name)
    if (!row) throw notFound('OPERATOR_NOT_FOUND', `No operator named "${name}".`)
    if (row.role === 'admin') {
      if ((await countAdmins(store)) <= 1) throw conflict('LAST_ADMIN', `"${name}" is the last admin; add another admin before removing it.`)
    }
    await deleteOperator(store, name)
    if (store.engine === 'postgres' && isRole(row.role)) await (await import('../store/postgres-security.js')).revokeOperatorLogin(store, name, row.role)
    await appendAudit(store, actor.name, {action: 'operators.remove', recordType: 'operator', recordId: name})
    return toView(row)
  })
}
