import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {notFound, usage} from '../errors.js'
import {inquiry as inquiryRecord} from '../records/types/index.js'
import {type Store, inTransaction} from '../store/index.js'
import {isUspsState} from './checks.js'
import {deleteRoute, putRoute, routeRow, routeRows} from './queries.js'
import {DEFAULT_AGENCY, type Route, checkAgency, checkZipPrefix, decisionOrder} from './routing.js'

/** The routing table of inquiries (admin): list, set and remove rules by workplace state or ZIP prefix. */

export interface RouteView {
  state: string | null
  zipPrefix: string | null
  agency: string
  updatedAt: string
  updatedBy: string
}

export interface RoutesListResult {
  /** In the order they are decided: ZIP prefixes, longest first, then states. */
  routes: RouteView[]
  /** Where an inquiry goes when no rule matches. */
  fallback: string
}

/** Which rule a command names: exactly one of --state and --zip-prefix. */
export interface RouteKey {
  state?: string
  zipPrefix?: string
}

const view = (r: Route & {updated_at: string; updated_by: string}): RouteView => ({
  state: r.kind === 'state' ? r.value : null, zipPrefix: r.kind === 'zip-prefix' ? r.value : null, agency: r.agency, updatedAt: r.updated_at, updatedBy: r.updated_by,
})

function parseKey(key: RouteKey): {kind: Route['kind']; value: string} {
  if ((key.state === undefined) === (key.zipPrefix === undefined)) throw usage('Name exactly one of --state and --zip-prefix.')
  if (key.state !== undefined) {
    const state = key.state.trim().toUpperCase()
    if (!isUspsState(state)) throw usage(`--state "${key.state.slice(0, 12)}" is not a USPS state or territory code (e.g. PA, DC, PR).`)
    return {kind: 'state', value: state}
  }
  const problem = checkZipPrefix(key.zipPrefix!)
  if (problem) throw usage(problem)
  return {kind: 'zip-prefix', value: key.zipPrefix!.trim()}
}

const describeKey = (k: {kind: Route['kind']; value: string}) => (k.kind === 'state' ? `state ${k.value}` : `ZIP prefix ${k.value}`)

export async function listRoutes(store: Store, operator: Operator): Promise<RoutesListResult> {
  authorize(operator, 'inquiries.routes')
  const rows = decisionOrder(await routeRows(store))
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'inquiries.routes.list', recordType: inquiryRecord.type, digest: sha256(JSON.stringify(rows))}))
  return {routes: rows.map(view), fallback: DEFAULT_AGENCY}
}

export interface RouteSetResult {
  route: RouteView
  /** The agency the rule named before, or null when it is new. */
  previous: string | null
}

export async function setRoute(store: Store, operator: Operator, key: RouteKey, agency: string): Promise<RouteSetResult> {
  authorize(operator, 'inquiries.routes')
  const k = parseKey(key)
  const problem = checkAgency(agency)
  if (problem) throw usage(problem)
  const code = agency.trim().toUpperCase()
  return inTransaction(store, async () => {
    const before = await routeRow(store, k.kind, k.value)
    const now = new Date().toISOString()
    const row = {...k, agency: code, updated_at: now, updated_by: operator.name}
    await putRoute(store, row)
    await appendAudit(store, operator.name, {action: 'inquiries.routes.set', recordType: inquiryRecord.type, digest: sha256(JSON.stringify(row))}, now)
    return {route: view(row), previous: before?.agency ?? null}
  })
}

export interface RouteRemoveResult {
  removed: RouteView
}

export async function removeRoute(store: Store, operator: Operator, key: RouteKey): Promise<RouteRemoveResult> {
  authorize(operator, 'inquiries.routes')
  const k = parseKey(key)
  return inTransaction(store, async () => {
    const before = await routeRow(store, k.kind, k.value)
    if (!before) throw notFound('ROUTE_NOT_FOUND', `No routing rule for ${describeKey(k)}. List them with: custodian inquiries routes list`)
    await deleteRoute(store, k.kind, k.value)
    await appendAudit(store, operator.name, {action: 'inquiries.routes.remove', recordType: inquiryRecord.type, digest: sha256(JSON.stringify(before))})
    return {removed: view(before)}
  })
}
