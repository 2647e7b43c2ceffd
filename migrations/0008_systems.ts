import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// The systems of records (RULES.md "Systems of records") as data: each system's notice texts, taken from its
// source document (USPS 550.000's notice; the webTA, DHS stakeholder CRM and DOL CRM PIAs), and its routine
// uses, which the agency may change. Which record types a system holds, what they are retrieved by and how
// long they are kept are not stored here: the record types and the retention schedules say it.
// The old `payroll.routine_use` setting ('PAYROLL') goes: payroll exports are accounted under the payroll
// routine use of their system (OPM/GOVT-1-PAY). Entries already in the accounting keep what they say.

interface SystemSeed {
  id: string
  name: string
  sorn: string
  security_classification: string
  location: string
  manager: string
  authority: string
  purposes: string
  categories_of_individuals: string
  categories_of_records: string
  record_sources: string
  storage: string
  safeguards: string
  record_access: string
  contesting: string
  notification: string
  exemptions: string
  history: string
}

const NOT_STATED = 'Not stated in the source document.'

const SYSTEMS: SystemSeed[] = [
  {
    id: 'OPM/GOVT-1',
    name: 'General Personnel Records (time and attendance, payroll interchange)',
    sorn: 'OPM/GOVT-1, General Personnel Records, 71 FR 35356 (June 19, 2006)',
    security_classification: NOT_STATED,
    location: 'The Web Time and Attendance (webTA) application, hosted by the USDA National Finance Center (NFC), which is also the payroll service provider.',
    manager: 'Office of the Chief Human Capital Officer, Human Capital Business Systems.',
    authority: '5 U.S.C. 1302, 3109, 3301, 3302, 3304, 3305, 3306, 3307, 309, 3313, 3317, 3318, 3319, 3326, 4103, 4723, 5532, and 5533, and Executive Order 9397.',
    purposes: [
      '1. To record employee hours worked, monitor attendance and employee holiday/vacation, and determine leave balances.',
      '2. To compile time and attendance data for processing payroll through the NFC, based on hours worked and leave taken.',
      '3. To support labor distribution accounting (project codes, project name and locator information, where captured).',
    ].join('\n'),
    categories_of_individuals: 'Employees whose time and attendance is recorded in the system.',
    categories_of_records: 'Employee data: name, employee identification number (the SSN is being phased out as an identifier), pay plan, tour of duty, duty hours, alternate work schedule, service computation date for leave. Timesheet data: accounting codes, hours worked, time off, annual leave, sick leave, compensatory time, leave without pay, absence without leave, military leave, and all types of premium pay.',
    record_sources: 'The employee, and the employee\'s timekeeper, who establishes the employee and time and attendance profiles when the employee begins working.',
    storage: 'Automated database (on-line for the duration of employment).',
    safeguards: [
      'Roles restrict users to the actions they may take, and the agency code and the organization tree restrict users to the data they can see.',
      'The application history table captures auditing events: who changed which record and when.',
      'Time and attendance data is transmitted to the NFC over a secure communications link, under an Interconnection Service Agreement.',
    ].join('\n\n'),
    record_access: 'Employees may see and enter their own time in the system; timekeepers can verify and amend employee information. Requests for access under the Privacy Act are made to the agency\'s Privacy Office.',
    contesting: 'An employee who needs a correction to a timecard contacts their timekeeper or, where employees enter their own time, enters the correction; the corrected timecard is validated by the employee or timekeeper and certified by the supervisor. Corrections are consistent with NFC processes.',
    notification: 'Notice is given by the OPM/GOVT-1 system of records notice (71 FR 35356) and, at each login, by the warning that the system is a government system subject to monitoring. The procedures for corrections are in the user\'s guide and training material.',
    exemptions: 'None.',
    history: 'June 19, 2006; 71 FR 35356 (OPM/GOVT-1, which the DHS webTA Privacy Impact Assessment of 2008 cites).',
  },
  {
    id: 'USPS-550.000',
    name: 'Commercial Information Technology Resources – Infrastructure',
    sorn: 'USPS 550.000, FR Doc. 2022-01062, published January 31, 2022',
    security_classification: 'None.',
    location: 'All USPS facilities and contractor sites.',
    manager: 'For records of computer access authorizations: Chief Information Officer and Executive Vice President, United States Postal Service, 475 L\'Enfant Plaza SW, Washington, DC 20260.',
    authority: '39 U.S.C. 401, 403, and 404.',
    purposes: [
      '1. To provide USPS employees, contractors, and other authorized individuals with hierarchical access to and accounts for commercial information technology resources administered by the Postal Service and based on least privileged access.',
      '2. To facilitate a cohesive software experience and simplify ease of use by sharing user and application data across participating IT programs.',
      '3. To authenticate user identity for the purpose of accessing USPS information systems.',
      '4. To assess user attributes and assign related access privileges.',
      '5. To authenticate suppliers and contractors and facilitate further access to downstream Postal Service information systems.',
      '6. To provide active and passive monitoring of information systems, applications, software, devices, and users for information security risks.',
      '7. To review information systems, applications, software, devices, and users to ensure compliance with USPS regulations.',
      '8. To facilitate and support cybersecurity investigations of detected or reported information security incidents.',
      '9. To administer programs, processes, and procedures to assess information security risks and to detect information security threats and vulnerabilities.',
      '10. To provide tools and analytics for USPS employees and contractors to measure work productivity and improve efficiency.',
      '11. To improve manager-subordinate relationships within their formal reporting structure through data-based insights generated from their own email and related electronic communications with subordinates.',
    ].join('\n'),
    categories_of_individuals: [
      '1. Individuals with authorized access to USPS computers, information resources, and facilities, including employees, contractors, business partners, suppliers, and third parties.',
      '2. Individuals participating in web-based meetings, web-based video conferencing, web-based communication applications, and web-based collaboration applications.',
    ].join('\n'),
    categories_of_records: [
      '1. Information System Account Access records: records relating to the access or use of an information system, application, or piece of software, including name, user ID, email address, user role, department, employee identification number, IP address and last sign-in time.',
      '2. Security Analytics records: records relating to the gathering, analysis, review, monitoring, and investigation of information system security risks, including login IP address, login type, and failed and successful logins.',
      '3. Productivity Analytics records: records relating to the gathering, analysis, review, and investigation of information system utilization.',
    ].join('\n'),
    record_sources: 'Employees; contractors; customers.',
    storage: 'Automated database, computer storage media, and paper.',
    safeguards: [
      'Paper records, computers, and computer storage media are located in controlled-access areas under supervision of program personnel. Computer access is limited to authorized personnel with a current security clearance, and physical access is limited to authorized personnel who must be identified with a badge.',
      'Access to records is limited to individuals whose official duties require such access.',
      'Contractors and licensees are subject to contract controls and unannounced on-site audits and inspections.',
      'Computers are protected by encryption, mechanical locks, card key systems, or other physical access control methods. The use of computer systems is regulated with installed security software, computer logon identifications, and operating system controls including access controls, terminal and transaction logging, and file management software.',
    ].join('\n\n'),
    record_access: 'Requests for access must be made in accordance with the Notification Procedure above and USPS Privacy Act regulations regarding access to records and verification of identity under 39 CFR 266.5.',
    contesting: 'See Notification Procedure and Record Access Procedures above.',
    notification: 'Customers wanting to know if other information about them is maintained in this system of records must address inquiries in writing to the Chief Information Officer and Executive Vice President and include their name and address.',
    exemptions: 'None.',
    history: 'May 10, 2021; 86 FR 24907.',
  },
  {
    id: 'DHS/ALL-002',
    name: 'Mailing and Other Lists System (stakeholder engagement CRM)',
    sorn: 'DHS/ALL-002, Mailing and Other Lists System, 69 FR 70460',
    security_classification: NOT_STATED,
    location: 'The Customer Relationship Management (CRM) application of the Stakeholder Engagement Initiative, on a DHS server certified and accredited at the HIGH security categorization.',
    manager: 'The Office of the White House Liaison and the Office of Policy, in coordination with the Office of Intergovernmental Affairs.',
    authority: 'The Homeland Security Act of 2002, Public Law 107-296, Title I, Section 102(c) [6 U.S.C. 112(c)]: coordination with non-Federal entities (State and local governments, the private sector and other entities).',
    purposes: [
      '1. To inform DHS conversations with external stakeholders: the contact information is used to communicate with the stakeholder, and the issue and interaction information to make those conversations most effective.',
      '2. To give, in aggregate, a strategic view of stakeholder engagement across DHS, identifying redundancy and gaps in outreach so that resources are directed most efficiently.',
    ].join('\n'),
    categories_of_individuals: 'Individual points of contact at organizations with which DHS engages (external stakeholders), and the DHS staff who engage them.',
    categories_of_records: 'Organizations (name, address, office phone, issues); individuals (salutation, first and last name, title, phone numbers, email address, work address, issues on which the individual engages, generic interests); interactions between stakeholders and DHS; the owner of each contact. Notes may not record race, ethnicity, religion or similar sensitive characteristics.',
    record_sources: 'DHS employees, from their work with stakeholders who voluntarily provide their information for outreach and communication; other information is public.',
    storage: 'Automated database (an online CRM application).',
    safeguards: [
      'Access is linked to DHS network accounts; users need a license designated for their use and the approval of their office administrator, who is in turn approved by the system owners.',
      'An audit trail is kept of system access and of every transaction that requests, creates, updates, or deletes information; it records date, time and user and is secured from unauthorized modification, access, or destruction.',
      'Sensitive fields (cell phone, email) are limited by role; export is disabled for users who are not administrators. Users follow Rules of Behavior and attend annual security awareness training; the ISSO reviews the audit logs weekly.',
    ].join('\n\n'),
    record_access: 'Individuals may provide correct information to the system users, who may input it on their record. Individuals may also gain access to their own information by submitting a Privacy Act/Freedom of Information Act request (instructions at http://www.dhs.gov/foia).',
    contesting: 'All users are permitted to update individuals\' information within the system and may do so as correct information is provided. The individual may request at any time, through any medium (phone, in writing, or in person), that their information be changed or removed, including a request to no longer be contacted.',
    notification: 'General notice is given through the DHS/ALL-002 system of records notice (69 FR 70460) and the CRM Privacy Impact Assessment; stakeholders are notified by phone or email when DHS employees verify their contact information.',
    exemptions: 'None.',
    history: '69 FR 70460 (DHS/ALL-002, which the Stakeholder Engagement CRM Privacy Impact Assessment of 2009 cites).',
  },
  {
    id: 'DOL-CRM',
    name: 'DOL Customer Relationship Management inquiries',
    sorn: 'None published (the DOL CRM Privacy Impact Assessment: no system of records notice)',
    security_classification: NOT_STATED,
    location: 'The Department of Labor Customer Relationship Management Solution (DOLCRM), a cloud-based Major Application.',
    manager: 'Office of the Assistant Secretary for Administration and Management (OASAM).',
    authority: 'The Privacy Act of 1974, Public Law 93-579, as amended.',
    purposes: [
      '1. To give DOL customers a web-based, self-service channel to submit inquiries, and agency users a way to answer them.',
      '2. To let a customer check the status of an inquiry by case number and home ZIP code.',
      '3. To match repeat inquiries by name and email or phone, and to produce statistical reports that address service gaps and improve response times and service quality.',
    ].join('\n'),
    categories_of_individuals: 'Members of the public who submit inquiries (DOL customers), and the DOL users who handle them.',
    categories_of_records: 'The inquiry intake form: first and last name, home ZIP code, preferred contact method, phone number, email address; employer information (company name, street address, state, county, city, workplace ZIP code); the category that describes the situation (from a finite list) and a free-form description; the case number and status.',
    record_sources: 'The individual, who enters their own information in the intake form, only at their discretion.',
    storage: 'Automated database (a cloud-based system).',
    safeguards: [
      'Only agency-designated program managers or IT support have access to the system.',
      'Security controls based on NIST standards protect the confidentiality, integrity, and availability of the information; only the information required to contact the individual is collected.',
    ].join('\n\n'),
    record_access: 'Customers may check the status of their inquiry with their case number and home ZIP code; they cannot view the information they submitted in the intake form. They may contact the agency about their information.',
    contesting: 'Customers cannot change an inquiry once submitted; they may submit another inquiry, which is matched to the previous one, or call the agency, which corrects the information manually.',
    notification: 'Individuals are notified of their privacy expectations and rights by the notice posted with the intake form.',
    exemptions: 'None.',
    history: 'None: no system of records notice has been published.',
  },
  {
    id: 'PA-REQUESTS',
    name: 'Privacy Act request and disclosure files',
    sorn: 'The agency\'s own notice',
    security_classification: NOT_STATED,
    location: 'The agency\'s Privacy Office.',
    manager: 'The agency\'s Privacy Officer.',
    authority: '5 U.S.C. 552a(c), (d) and (f).',
    purposes: [
      '1. To process requests of individuals for access to and amendment of records about them, within the time limits the law sets.',
      '2. To keep the accounting of disclosures of records outside the agency (date, nature and purpose of each disclosure, and the recipient\'s name and address), and statements of disagreement.',
    ].join('\n'),
    categories_of_individuals: 'Individuals who make Privacy Act requests, and individuals whose records were disclosed outside the agency.',
    categories_of_records: 'Requests, their extensions, amendment requests and decisions, statements of disagreement, and the accounting of disclosures.',
    record_sources: 'The individual making the request; the agency staff who process it and who disclose records.',
    storage: 'Automated database.',
    safeguards: 'Access is limited to privacy staff whose duties require it; every access and change is recorded in a tamper-evident audit trail.',
    record_access: 'Requests for access are made in writing to the agency\'s Privacy Office, with verification of identity.',
    contesting: 'Requests for amendment are made in writing to the agency\'s Privacy Office; an individual whose request is denied may appeal and file a statement of disagreement.',
    notification: 'Individuals wanting to know whether this system holds records about them write to the agency\'s Privacy Office, with their name and address.',
    exemptions: 'None.',
    history: 'None recorded.',
  },
]

/** Routine uses: `<system>-<n>`, and the named built-ins of RULES.md (`-PAY`, `-BREACH`). */
const USPS_STANDARD = 'a USPS standard routine use (the notice says "Standard routine uses 1. through 9. apply"; their text is published with the Postal Service\'s standard routine uses, not in this notice).'
const ROUTINE_USES: [system: string, code: string, description: string][] = [
  ['OPM/GOVT-1', 'OPM/GOVT-1-PAY', 'To the payroll service provider (the USDA National Finance Center), bi-weekly, to pay employees and account for leave: name, SSN, pay plan, duty hours, tour of duty, service computation date, agency code, accounting code and transaction codes, including amended timecards.'],
  ...Array.from({length: 9}, (_, i): [string, string, string] => ['USPS-550.000', `USPS-550.000-${i + 1}`, `Standard routine use ${i + 1}: ${USPS_STANDARD}`]),
  ['USPS-550.000', 'USPS-550.000-BREACH', 'To appropriate agencies, entities, and persons when (1) the Postal Service suspects or has confirmed that there has been a breach of the system of records; (2) the Postal Service has determined that as a result of the suspected or confirmed breach there is a risk of harm to individuals, the Postal Service (including its information systems, programs, and operations), the Federal Government, or national security; and (3) the disclosure made to such agencies, entities, and persons is reasonably necessary to assist in connection with the Postal Service\'s efforts to respond to the suspected or confirmed breach or to prevent, minimize, or remedy such harm.'],
  ['DHS/ALL-002', 'DHS/ALL-002-1', 'Outside DHS, consistent with the routine uses of the DHS/ALL-002 Mailing and Other Lists System notice (69 FR 70460). The information is not routinely shared outside DHS.'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    let systems = s.createTable('systems').addColumn('id', 'text', (c) => c.primaryKey())
    for (const column of Object.keys(SYSTEMS[0]!).filter((k) => k !== 'id')) systems = systems.addColumn(column, 'text', (c) => c.notNull())
    await systems.addColumn('updated_at', 'text').addColumn('updated_by', 'text').execute()
    await trx.insertInto('systems').values(SYSTEMS).execute()

    await s.createTable('routine_uses')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .addColumn('updated_by', 'text')
      .execute()
    await s.createIndex('routine_uses_system').on('routine_uses').column('system_id').execute()
    await trx.insertInto('routine_uses').values(ROUTINE_USES.map(([system, code, description]) => ({system_id: system, code, description}))).execute()

    await trx.deleteFrom('settings').where('key', '=', 'payroll.routine_use').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
