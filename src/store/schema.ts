import type {Generated} from 'kysely'

/**
 * The Kysely view of the store. It mirrors migrations/ exactly; test/unit/store/schema.test.ts applies
 * every migration to a fresh store and compares the real columns with `tableColumns` below, which the
 * compiler forces to list every key of each table type (and nothing else).
 *
 * Conventions: civil dates are 'YYYY-MM-DD' text, timestamps ISO-8601 UTC text, hours are integers of
 * hundredths (8.25 h = 825).
 */
export interface SettingTable {
  key: string
  value: string
}

export interface OperatorTable {
  name: string
  role: string
  org_prefix: string | null
  employee_id: string | null
  created_at: string
  created_by: string
  /** The OS account this operator is bound to (migration 0015): claimed from another account, refused. */
  os_user: string | null
}

export interface AuditLogTable {
  seq: number
  at: string
  actor: string
  action: string
  record_type: string | null
  record_id: string | null
  digest: string | null
  prev_hash: string
  hash: string
  /** The OS account that ran the command (SQLite; null on PostgreSQL and before migration 0015). */
  os_user: string | null
  /** HMAC-SHA-256 of `hash` under the store's key (audit/chain.ts); null when the command could not read the key. */
  mac: string | null
}

export interface ImportBatchTable {
  id: Generated<number>
  kind: string
  file_name: string
  sha256: string
  imported_at: string
  actor: string
  rows_read: number
  inserted: number
  updated: number
  rejected: number
}

/** Per committed import batch: how many rejected rows carried each reject code (migration 0017). */
export interface ImportRejectCodeTable {
  batch_ref: number
  code: string
  count: number
}

export interface EmployeeTable {
  id: Generated<number>
  employee_id: string
  /** The SSN sealed (AES-256-GCM, store/ssn-vault.ts); never clear text. */
  ssn_cipher: string | null
  /** Keyed hash of the SSN (HMAC-SHA-256, hex): unique, duplicate checks, search by SSN. */
  ssn_hash: string | null
  /** The SSN's last four digits, for the masked ***-**-1234 without the key. */
  ssn_last4: string | null
  last_name: string
  first_name: string
  middle_name: string | null
  email: string | null
  pay_plan: string
  grade: string | null
  step: number | null
  tour_of_duty: string
  scheduled_hours: number
  agency_code: string
  org_code: string
  supervisor_id: string | null
  service_comp_date: string | null
  hire_date: string | null
  separation_date: string | null
  annual_leave_balance: number
  sick_leave_balance: number
  comp_time_balance: number
  created_at: string
  updated_at: string
  last_batch_id: number | null
  /** `fold(last)|fold(first)` (src/text/names.ts): access search by name, case- and accent-insensitive. */
  name_key: string | null
}

export interface EmployeeHistoryTable {
  id: Generated<number>
  employee_ref: number
  at: string
  actor: string
  action: string
  changes: string
  reason: string | null
  batch_id: number | null
}

export interface HourTypeTable {
  code: string
  meaning: string
  counts_toward_tour: number
  transaction_code: string
}

export interface ClosureDayTable {
  date: string
  reason: string
  added_by: string
  added_at: string
}

export interface TimecardTable {
  id: Generated<number>
  employee_ref: number
  pay_period_start: string
  version: number
  status: 'draft' | 'validated' | 'certified' | 'exported'
  is_current: number
  reason: string | null
  findings: Generated<string>
  created_at: string
  updated_at: string
  certified_by: string | null
  certified_at: string | null
  export_batch_id: number | null
  /** The card's content digest from when it was certified (timecards/seal-text.ts); null before. */
  seal: string | null
}

export interface TimecardLineTable {
  timecard_id: number
  work_date: string
  hour_type: string
  hours: number
  accounting_code: string
  batch_id: number | null
}

export interface TimecardHistoryTable {
  id: Generated<number>
  timecard_id: number
  at: string
  actor: string
  action: string
  version: number
  changes: string
  reason: string | null
}

export interface PayrollBatchTable {
  id: Generated<number>
  batch_id: string
  pay_period_start: string
  format: 'nfc' | 'csv'
  created_at: string
  created_by: string
  records: number
  employees: number
  total_hours: number
  hash_total: number
  corrections: number
  sha256: string
  content: Buffer
  control: string | null
}

/** A piece of a batch's file, in order (seq from 0): gzip-compressed, then sealed under the SSN key (store/ssn-vault.ts). */
export interface PayrollBatchChunkTable {
  batch_ref: number
  seq: number
  content: Buffer
}

export interface PayrollBatchCardTable {
  batch_ref: number
  timecard_id: number
  correction: number
}

export interface DisclosureTable {
  id: Generated<number>
  /** The profile; NULL once the profile is destroyed (the accounting outlives it: 5 U.S.C. 552a(c)(2)). */
  employee_ref: number | null
  /** The subject's employee_id, kept for the life of the accounting entry. */
  subject_employee_id: string
  disclosed_on: string
  recipient: string
  address: string
  purpose: string
  routine_use: string | null
  record_type: string
  record_ref: string | null
  created_by: string
  created_at: string
}

/** The employees a payroll batch carried (kept with the batch; the cards may be destroyed first). */
export interface PayrollBatchSubjectTable {
  batch_ref: number
  employee_id: string
}

export interface RetentionScheduleTable {
  code: string
  title: string
  record_type: string
  trigger: string
  retain_months: number
  action: string
  authority: string
  updated_at: string | null
  updated_by: string | null
}

export interface HoldTable {
  id: Generated<number>
  reason: string
  /** A hold on a whole record type; NULL when the hold names employees (hold_employees). */
  record_type: string | null
  placed_by: string
  placed_at: string
  released_by: string | null
  released_at: string | null
  release_reason: string | null
}

export interface HoldEmployeeTable {
  hold_id: number
  employee_id: string
}

/** A disposal certificate: counts and digests of surrogate ids, never personal data. Never swept. */
export interface DisposalTable {
  id: Generated<number>
  disposal_id: string
  as_of: string
  operator: string
  at: string
  /** The certificate document (JSON). */
  certificate: string
  /** sha256 of `certificate`. */
  sha256: string
}

/** A disposition review: the records a plan found eligible, frozen for a second records officer to approve. */
export interface DisposalReviewTable {
  id: Generated<number>
  /** R and 9 digits. */
  review_id: string
  /** The date the records were found eligible as of; a sweep of the review applies the schedules as of it. */
  as_of: string
  status: 'submitted' | 'approved' | 'rejected' | 'swept'
  submitted_by: string
  submitted_at: string
  approved_by: string | null
  approved_at: string | null
  rejected_by: string | null
  rejected_at: string | null
  reject_reason: string | null
  /** The disposal that swept the review. */
  disposal_id: string | null
  swept_by: string | null
  swept_at: string | null
}

/** One frozen record of a review: its type, the schedule it was due under and its surrogate id. */
export interface DisposalReviewItemTable {
  review_ref: number
  record_type: string
  code: string
  record_id: number
}

export interface RequestTable {
  id: Generated<number>
  /** PA-YYYY-NNNN by received year. */
  request_id: string
  type: 'access' | 'amendment' | 'accounting'
  status: 'open' | 'closed'
  requester: string
  email: string | null
  phone: string | null
  /** The requester's mailing address, for the response letter. */
  address: string | null
  /** The subject's employee_id when known; the key retention blocks on while the request is open. */
  employee_id: string | null
  /** The subject's SSN (9 digits) when the requester gave it to identify themselves. */
  ssn: string | null
  /** The subject's information-system user id (USPS 550.000), lower case. */
  user_id: string | null
  /** An inquiry case number the subject gave (DOL CRM), upper case. */
  case_number: string | null
  received: string
  verified: string | null
  acknowledge_by: string
  due_by: string
  closed_at: string | null
  /** Civil date the request was closed (the retention trigger). */
  closed_on: string | null
  close_note: string | null
  created_by: string
  created_at: string
}

export interface RequestExtensionTable {
  id: Generated<number>
  request_ref: number
  working_days: number
  reason: string
  previous_due_by: string
  due_by: string
  actor: string
  at: string
}

export interface RequestAmendmentTable {
  id: Generated<number>
  request_ref: number
  record_type: string
  record_id: string
  field: string
  current_value: string | null
  requested_value: string
  status: 'pending' | 'granted' | 'denied'
  decision_reason: string | null
  decided_by: string | null
  decided_at: string | null
  created_by: string
  created_at: string
}

export interface RequestStatementTable {
  id: Generated<number>
  request_ref: number
  record_type: string
  record_id: string
  statement: string
  filed_by: string
  filed_at: string
}

/** A file custodian is writing beside the store: recorded before its first byte (store/outputs.ts). */
export interface FileOutputTable {
  id: Generated<number>
  /** Absolute path the file (or folder) takes once its work commits. */
  target: string
  /** Absolute path of the temp file (or folder) beside it. */
  tmp: string
  kind: 'file' | 'dir'
  /** 1: the target may be replaced; 0: it must not exist. */
  replace: number
  /** The action writing it (payroll.export, personnel.import rejects, ...). */
  purpose: string
  /** pending: its work has not committed; committed: it has, and the file is to be put in place. */
  state: 'pending' | 'committed'
  pid: number
  host: string
  created_at: string
}

/** A folder custodian has written output into (where `doctor` looks for temp files). */
export interface OutputFolderTable {
  path: string
  last_used: string
}

/** A system of records (RULES.md "Systems of records"): its notice's texts, taken from its source document. */
export interface SystemTable {
  /** OPM/GOVT-1, USPS-550.000, ... (records/kit.ts SYSTEM_IDS). */
  id: string
  name: string
  /** The notice's citation (Federal Register), or why there is none. */
  sorn: string
  security_classification: string
  location: string
  manager: string
  authority: string
  /** Numbered lines, one purpose a line. */
  purposes: string
  categories_of_individuals: string
  /** The source's own words; the record types the store keeps in the system are listed beside them. */
  categories_of_records: string
  record_sources: string
  storage: string
  /** Paragraphs separated by a blank line. */
  safeguards: string
  record_access: string
  contesting: string
  notification: string
  exemptions: string
  history: string
  updated_at: string | null
  updated_by: string | null
}

/** A routine use of a system's records (5 U.S.C. 552a(b)(3)): what a disclosure outside the agency cites. */
export interface RoutineUseTable {
  /** `<system>-<n>` or a named built-in (`OPM/GOVT-1-PAY`, `USPS-550.000-BREACH`). */
  code: string
  system_id: string
  description: string
  updated_at: string | null
  updated_by: string | null
}

/** A USPS 550.000 account: the user an identity provider's sign-in log names (accounts import). */
export interface AccountTable {
  id: Generated<number>
  /** The identity provider's user id, lower case: unique. */
  user_id: string
  name: string
  email: string
  department: string | null
  user_role: string | null
  /** The employee the account belongs to, when the log says (upper case): holds and access search by it. */
  employee_id: string | null
  /** The latest sign-in seen, ISO-8601 UTC: the account's retention clock. */
  last_access: string
  created_at: string
  updated_at: string
}

/** One sign-in event of an account. */
export interface SignInTable {
  id: Generated<number>
  account_ref: number
  /** ISO-8601 UTC. */
  signed_in_at: string
  ip_address: string | null
  application: string | null
  /** The import batch that stored it. */
  batch_id: number
}

/** The categories an inquiry's intake form offers (RULES.md IQ-CATEGORY): a code table. */
export interface InquiryCategoryTable {
  code: string
  title: string
}

/** A routing rule: inquiries whose workplace ZIP starts with a prefix, or whose workplace is in a state, go to an agency. */
export interface InquiryRouteTable {
  kind: 'zip-prefix' | 'state'
  /** The ZIP prefix's digits, or the USPS state code. */
  value: string
  agency: string
  updated_at: string
  updated_by: string
}

/** A DOL CRM public inquiry: the intake form, its case number, status and routing. */
export interface InquiryTable {
  id: Generated<number>
  /** INQ-YYYY-NNNNNN, by received year: unique. */
  case_number: string
  status: 'new' | 'in-progress' | 'referred' | 'answered' | 'closed'
  first_name: string
  last_name: string
  /** `fold(last)|fold(first)` (text/names.ts): repeat matching. */
  name_key: string
  home_zip: string
  contact_method: 'email' | 'phone'
  /** 10 digits. */
  phone: string | null
  /** Lower case. */
  email: string | null
  company: string | null
  street: string | null
  city: string | null
  county: string | null
  state: string | null
  workplace_zip: string | null
  category: string
  description: string
  received: string
  routed_to: string
  /** The earlier case of the same person, when the intake matched one. */
  repeat_of: string | null
  created_by: string
  created_at: string
  updated_at: string
  /** The civil date the case was closed: its retention clock. */
  closed_on: string | null
  closed_by: string | null
}

/** An inquiry's updates: each status change, with its note. */
export interface InquiryUpdateTable {
  id: Generated<number>
  inquiry_ref: number
  at: string
  actor: string
  status: string
  note: string | null
}

/** A DHS/ALL-002 stakeholder contact; its contactId is `C` and its id in six digits. */
export interface ContactTable {
  id: Generated<number>
  name: string
  salutation: string | null
  organization: string | null
  title: string | null
  /** As given; compared in lower case. */
  email: string | null
  /** 10 digits (US) or `+` and 8-15 digits. */
  work_phone: string | null
  cell_phone: string | null
  work_address: string | null
  issues: string | null
  interests: string | null
  notes: string | null
  /** The operator who owns the contact (sees its email and cell phone, may forget it). */
  owner: string
  /** Civil date of the latest interaction (or the imported date); null until then. The retention clock. */
  last_contacted: string | null
  created_at: string
  updated_at: string
  /** The import batch that stored it; null when added. */
  batch_id: number | null
}

/** One interaction with a contact (contacts touch). */
export interface InteractionTable {
  id: Generated<number>
  contact_ref: number
  contact_date: string
  mode: string
  note: string | null
  recorded_by: string
  recorded_at: string
}

/** A keyed hash (HMAC-SHA-256 under the key file) of a forgotten contact's email or phone. */
export interface DoNotContactTable {
  id: Generated<number>
  kind: 'email' | 'phone'
  hash: string
  disposal_id: string
  added_at: string
}

export interface Database {
  settings: SettingTable
  file_outputs: FileOutputTable
  output_folders: OutputFolderTable
  operators: OperatorTable
  audit_log: AuditLogTable
  import_batches: ImportBatchTable
  import_reject_codes: ImportRejectCodeTable
  employees: EmployeeTable
  employee_history: EmployeeHistoryTable
  hour_types: HourTypeTable
  closure_days: ClosureDayTable
  timecards: TimecardTable
  timecard_lines: TimecardLineTable
  timecard_history: TimecardHistoryTable
  payroll_batches: PayrollBatchTable
  payroll_batch_cards: PayrollBatchCardTable
  payroll_batch_chunks: PayrollBatchChunkTable
  disclosures: DisclosureTable
  payroll_batch_subjects: PayrollBatchSubjectTable
  retention_schedules: RetentionScheduleTable
  holds: HoldTable
  hold_employees: HoldEmployeeTable
  disposals: DisposalTable
  disposal_reviews: DisposalReviewTable
  disposal_review_items: DisposalReviewItemTable
  requests: RequestTable
  request_extensions: RequestExtensionTable
  request_amendments: RequestAmendmentTable
  request_statements: RequestStatementTable
  systems: SystemTable
  routine_uses: RoutineUseTable
  accounts: AccountTable
  sign_ins: SignInTable
  inquiry_categories: InquiryCategoryTable
  inquiry_routes: InquiryRouteTable
  inquiries: InquiryTable
  inquiry_updates: InquiryUpdateTable
  contacts: ContactTable
  interactions: InteractionTable
  do_not_contact: DoNotContactTable
}

type Columns<T> = {[K in keyof T]-?: true}

/** Every column of every table, checked by the compiler against the interfaces above. */
export const tableColumns: {[T in keyof Database]: Columns<Database[T]>} = {
  settings: {key: true, value: true},
  file_outputs: {id: true, target: true, tmp: true, kind: true, replace: true, purpose: true, state: true, pid: true, host: true, created_at: true},
  output_folders: {path: true, last_used: true},
  operators: {name: true, role: true, org_prefix: true, employee_id: true, created_at: true, created_by: true, os_user: true},
  audit_log: {
    seq: true, at: true, actor: true, action: true, record_type: true, record_id: true, digest: true,
    prev_hash: true, hash: true, os_user: true, mac: true,
  },
  import_batches: {
    id: true, kind: true, file_name: true, sha256: true, imported_at: true, actor: true, rows_read: true,
    inserted: true, updated: true, rejected: true,
  },
  import_reject_codes: {batch_ref: true, code: true, count: true},
  employees: {
    id: true, employee_id: true, last_name: true, first_name: true, middle_name: true, email: true,
    pay_plan: true, grade: true, step: true, tour_of_duty: true, scheduled_hours: true, agency_code: true,
    org_code: true, supervisor_id: true, service_comp_date: true, hire_date: true, separation_date: true,
    annual_leave_balance: true, sick_leave_balance: true, comp_time_balance: true, created_at: true,
    updated_at: true, last_batch_id: true, name_key: true, ssn_cipher: true, ssn_hash: true, ssn_last4: true,
  },
  employee_history: {
    id: true, employee_ref: true, at: true, actor: true, action: true, changes: true, reason: true, batch_id: true,
  },
  hour_types: {code: true, meaning: true, counts_toward_tour: true, transaction_code: true},
  closure_days: {date: true, reason: true, added_by: true, added_at: true},
  timecards: {
    id: true, employee_ref: true, pay_period_start: true, version: true, status: true, is_current: true, reason: true,
    findings: true, created_at: true, updated_at: true, certified_by: true, certified_at: true, export_batch_id: true, seal: true,
  },
  timecard_lines: {timecard_id: true, work_date: true, hour_type: true, hours: true, accounting_code: true, batch_id: true},
  timecard_history: {id: true, timecard_id: true, at: true, actor: true, action: true, version: true, changes: true, reason: true},
  payroll_batches: {
    id: true, batch_id: true, pay_period_start: true, format: true, created_at: true, created_by: true, records: true,
    employees: true, total_hours: true, hash_total: true, corrections: true, sha256: true, content: true, control: true,
  },
  payroll_batch_cards: {batch_ref: true, timecard_id: true, correction: true},
  payroll_batch_chunks: {batch_ref: true, seq: true, content: true},
  disclosures: {
    id: true, employee_ref: true, disclosed_on: true, recipient: true, address: true, purpose: true, routine_use: true,
    record_type: true, record_ref: true, created_by: true, created_at: true, subject_employee_id: true,
  },
  payroll_batch_subjects: {batch_ref: true, employee_id: true},
  retention_schedules: {
    code: true, title: true, record_type: true, trigger: true, retain_months: true, action: true, authority: true,
    updated_at: true, updated_by: true,
  },
  holds: {
    id: true, reason: true, record_type: true, placed_by: true, placed_at: true, released_by: true, released_at: true,
    release_reason: true,
  },
  hold_employees: {hold_id: true, employee_id: true},
  disposals: {id: true, disposal_id: true, as_of: true, operator: true, at: true, certificate: true, sha256: true},
  disposal_reviews: {
    id: true, review_id: true, as_of: true, status: true, submitted_by: true, submitted_at: true, approved_by: true, approved_at: true,
    rejected_by: true, rejected_at: true, reject_reason: true, disposal_id: true, swept_by: true, swept_at: true,
  },
  disposal_review_items: {review_ref: true, record_type: true, code: true, record_id: true},
  requests: {
    id: true, request_id: true, type: true, status: true, requester: true, email: true, phone: true, address: true, employee_id: true,
    ssn: true, received: true, verified: true, acknowledge_by: true, due_by: true, closed_at: true, closed_on: true,
    close_note: true, created_by: true, created_at: true, user_id: true, case_number: true,
  },
  request_extensions: {
    id: true, request_ref: true, working_days: true, reason: true, previous_due_by: true, due_by: true, actor: true, at: true,
  },
  request_amendments: {
    id: true, request_ref: true, record_type: true, record_id: true, field: true, current_value: true,
    requested_value: true, status: true, decision_reason: true, decided_by: true, decided_at: true, created_by: true,
    created_at: true,
  },
  request_statements: {
    id: true, request_ref: true, record_type: true, record_id: true, statement: true, filed_by: true, filed_at: true,
  },
  systems: {
    id: true, name: true, sorn: true, security_classification: true, location: true, manager: true, authority: true, purposes: true,
    categories_of_individuals: true, categories_of_records: true, record_sources: true, storage: true, safeguards: true,
    record_access: true, contesting: true, notification: true, exemptions: true, history: true, updated_at: true, updated_by: true,
  },
  routine_uses: {code: true, system_id: true, description: true, updated_at: true, updated_by: true},
  accounts: {
    id: true, user_id: true, name: true, email: true, department: true, user_role: true, employee_id: true, last_access: true,
    created_at: true, updated_at: true,
  },
  sign_ins: {id: true, account_ref: true, signed_in_at: true, ip_address: true, application: true, batch_id: true},
  inquiry_categories: {code: true, title: true},
  inquiry_routes: {kind: true, value: true, agency: true, updated_at: true, updated_by: true},
  inquiries: {
    id: true, case_number: true, status: true, first_name: true, last_name: true, name_key: true, home_zip: true, contact_method: true,
    phone: true, email: true, company: true, street: true, city: true, county: true, state: true, workplace_zip: true, category: true,
    description: true, received: true, routed_to: true, repeat_of: true, created_by: true, created_at: true, updated_at: true,
    closed_on: true, closed_by: true,
  },
  inquiry_updates: {id: true, inquiry_ref: true, at: true, actor: true, status: true, note: true},
  contacts: {
    id: true, name: true, salutation: true, organization: true, title: true, email: true, work_phone: true, cell_phone: true,
    work_address: true, issues: true, interests: true, notes: true, owner: true, last_contacted: true, created_at: true, updated_at: true, batch_id: true,
  },
  interactions: {id: true, contact_ref: true, contact_date: true, mode: true, note: true, recorded_by: true, recorded_at: true},
  do_not_contact: {id: true, kind: true, hash: true, disposal_id: true, added_at: true},
}
