import {notPermitted, usage} from '../errors.js'

export const ROLES = ['admin', 'timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer', 'auditor', 'liaison'] as const
export type Role = (typeof ROLES)[number]

/**
 * Who may do what: the roles table of CLI.md, in one place. `admin` may do everything and is not listed.
 * Every command names its action; `authorize` is the only gate.
 */
export const PERMISSIONS = {
  'personnel.import': ['timekeeper'],
  'personnel.separate': ['timekeeper'],
  'personnel.show': ['timekeeper', 'supervisor', 'payroll', 'privacy-officer'],
  'personnel.list': ['timekeeper', 'supervisor', 'payroll', 'privacy-officer'],
  'personnel.reveal-ssn': ['privacy-officer'],
  'timesheets.import': ['timekeeper'],
  'accounts.import': [],
  'accounts.show': ['privacy-officer', 'auditor'],
  'accounts.list': ['privacy-officer', 'auditor'],
  'timecards.validate': ['timekeeper'],
  'timecards.amend': ['timekeeper'],
  'timecards.show': ['timekeeper', 'supervisor', 'payroll', 'privacy-officer'],
  'timecards.list': ['timekeeper', 'supervisor', 'payroll', 'privacy-officer'],
  'timecards.history': ['timekeeper', 'supervisor', 'payroll', 'privacy-officer'],
  'timecards.certify': ['supervisor'],
  'calendar.show': ['timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer', 'auditor'],
  'calendar.manage': [],
  'payroll.export': ['payroll'],
  'payroll.reexport': ['payroll'],
  'payroll.batches': ['payroll'],
  'payroll.verify': ['timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer', 'auditor'],
  'retention.schedules': ['records-officer', 'privacy-officer', 'auditor'],
  'retention.schedules.set': ['records-officer'],
  'retention.plan': ['records-officer', 'privacy-officer', 'auditor'],
  'retention.disposals': ['records-officer', 'privacy-officer', 'auditor'],
  'retention.certificate': ['records-officer', 'privacy-officer', 'auditor'],
  'retention.sweep': ['records-officer'],
  // Disposition review (two-person destruction): never approved or rejected by its submitter (retention/reviews.ts).
  'retention.review.submit': ['records-officer'],
  'retention.review.approve': ['records-officer'],
  'retention.review.reject': ['records-officer'],
  'retention.review.list': ['records-officer', 'auditor'],
  'retention.policy': ['records-officer', 'auditor'],
  'retention.policy.set': [],
  'holds.list': ['records-officer', 'privacy-officer', 'auditor'],
  'holds.place': ['records-officer'],
  'holds.release': ['records-officer'],
  'requests.manage': ['privacy-officer'],
  'disclosures.record': ['privacy-officer'],
  'disclosures.list': ['privacy-officer'],
  'audit.log': ['records-officer', 'auditor'],
  'audit.verify': ['records-officer', 'auditor'],
  'audit.checkpoint': ['records-officer', 'auditor'],
  'operators.manage': [],
  'operators.list': ['auditor'],
  'store.doctor': [],
  'store.copy': [],
  'store.rotate-key': [],
  'settings.manage': [],
  'systems.list': ['timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer', 'auditor', 'liaison'],
  'systems.show': ['timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer', 'auditor', 'liaison'],
  'systems.notice': ['timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer', 'auditor', 'liaison'],
  'systems.manage': [],
  'inquiries.open': ['liaison'],
  'inquiries.status': ['liaison'],
  'inquiries.list': ['liaison', 'privacy-officer'],
  'inquiries.show': ['liaison', 'privacy-officer'],
  'inquiries.update': ['liaison'],
  'inquiries.close': ['liaison'],
  'inquiries.routes': [],
  'contacts.add': ['liaison'],
  'contacts.import': ['liaison'],
  'contacts.list': ['liaison', 'privacy-officer'],
  'contacts.show': ['liaison', 'privacy-officer'],
  'contacts.touch': ['liaison'],
  'contacts.forget': ['liaison'],
  'contacts.export': [],
  'reports.requests': ['records-officer', 'privacy-officer', 'auditor'],
  'reports.retention': ['records-officer', 'privacy-officer', 'auditor'],
  'reports.inquiries': ['records-officer', 'privacy-officer', 'auditor', 'liaison'],
  'reports.imports': ['records-officer', 'privacy-officer', 'auditor'],
} as const satisfies Record<string, readonly Role[]>

export type Action = keyof typeof PERMISSIONS

export interface Operator {
  name: string
  role: Role
  /** Org-code prefix the operator is limited to; null means agency-wide. */
  orgPrefix: string | null
  /** The operator's own employee record, if any (a supervisor never certifies their own card). */
  employeeId: string | null
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function parseRole(value: string): Role {
  if (!isRole(value)) throw usage(`Unknown role "${value}". Roles: ${ROLES.join(', ')}.`)
  return value
}

export function may(operator: Operator, action: Action): boolean {
  return operator.role === 'admin' || (PERMISSIONS[action] as readonly Role[]).includes(operator.role)
}

/** Throws NOT_PERMITTED (exit 4) unless the operator's role allows the action. */
export function authorize(operator: Operator, action: Action): void {
  if (may(operator, action)) return
  const roles = ['admin', ...PERMISSIONS[action]].join(', ')
  throw notPermitted('NOT_PERMITTED', `Operator "${operator.name}" (role ${operator.role}) may not run ${action.replace('.', ' ')}; it needs one of: ${roles}.`, {action, role: operator.role})
}

/** Whether an employee in orgCode is inside the operator's org scope (prefix of the organization tree). */
export function inScope(operator: Operator, orgCode: string): boolean {
  return operator.orgPrefix === null || orgCode.startsWith(operator.orgPrefix)
}
