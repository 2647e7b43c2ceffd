import type {ImportKind, RowHandler, RowIssue} from '../imports/engine.js'
import type {Store} from '../store/index.js'
import {CONTACT_COLUMNS, type ContactRow, checkContactRow, toContactValues} from './checks.js'
import {insertContact} from './queries.js'
import {DoNotContact, ownerFinding} from './service.js'

/**
 * `contacts import`: each valid row is a new contact (owner: the row's, else the operator), checked by the
 * same rules as `contacts add`, including CT-OWNER and CT-DO-NOT-CONTACT (under the store's key file).
 */
export function contactsImport(): ImportKind {
  return {
    kind: 'contacts',
    columns: CONTACT_COLUMNS,
    begin({store, operator, batchId, today, now}) {
      return new ContactRows(store, operator.name, new DoNotContact(store), batchId, today, now)
    },
  }
}

class ContactRows implements RowHandler {
  /** Owners seen: whether each is an operator (a file names few owners, many times). */
  private readonly owners = new Map<string, RowIssue | null>()

  constructor(private readonly store: Store, private readonly operator: string, private readonly doNotContact: DoNotContact,
    private readonly batchId: number, private readonly today: string, private readonly now: string) {}

  async handle(row: number, values: Record<string, string>) {
    const issue = (f: {column: string; code: string; message: string}): RowIssue => ({row, column: f.column, code: f.code, message: f.message})
    const errors: RowIssue[] = checkContactRow(values as ContactRow, this.today).map(issue)
    if (errors.length > 0) return {errors, warnings: []}
    const v = toContactValues(values as ContactRow)
    const owner = v.owner ?? this.operator
    if (!this.owners.has(owner)) {
      const f = await ownerFinding(this.store, owner)
      this.owners.set(owner, f && issue(f))
    }
    const ownerIssue = this.owners.get(owner)
    if (ownerIssue) errors.push({...ownerIssue, row})
    errors.push(...(await this.doNotContact.findings(v)).map(issue))
    if (errors.length > 0) return {errors, warnings: []}
    await insertContact(this.store, {...v, owner}, this.now, this.batchId)
    return {errors, warnings: [], stored: 'inserted' as const}
  }

  finish(): RowIssue[] {
    return []
  }
}
