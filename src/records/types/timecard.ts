import {addDays} from '../../calendar/dates.js'
import {childRows, defineRecordType, destroyWith, eachRow, parseJson} from '../kit.js'

/** A timecard version with its lines and history (system: personnel, time and attendance, payroll). */
export const timecard = defineRecordType({
  type: 'timecard',
  title: 'timecard (every version, with its lines and history)',
  system: 'OPM/GOVT-1',
  noun: ['timecard (with every correction to it)', 'timecards (with every correction to them)'],
  tables: ['timecards', 'timecard_lines', 'timecard_history', 'payroll_batch_cards'],
  retrievedBy: ['employee_id', 'pay period'],
  schedule: 'GRS-2.4-030',
  afterGone: [],
  // A line, its value the hours it should hold (0: no such line); a grant makes a new draft version.
  amendable: ['line:<workDate>:<hourType>[:<accountingCode>]'],
  amender: () => import('../../timecards/amender.js'),
  async candidates(store, visit) {
    // Trigger: the end of the pay period (start + 13 days).
    const ends = new Map<string, string>()
    await eachRow<[number, string, string]>(store, 'SELECT t.id, t.pay_period_start, e.employee_id FROM timecards t JOIN employees e ON e.id = t.employee_ref', ([id, start, employeeId]) => {
      let trigger = ends.get(start)
      if (trigger === undefined) ends.set(start, (trigger = addDays(start, 13)))
      visit({id, trigger, subjects: [employeeId]})
    })
  },
  async destroy(store, ids) {
    await destroyWith(store, 'timecards', [['timecard_lines', 'timecard_id'], ['timecard_history', 'timecard_id'], ['payroll_batch_cards', 'timecard_id']], ids)
  },
  refOf: (record) => String(record.id),
  async find(store, {employeeIds}) {
    if (employeeIds.length === 0) return []
    const cards = await store.db.selectFrom('timecards as t').innerJoin('employees as e', 'e.id', 't.employee_ref')
      .select(['t.id', 'e.employee_id', 't.pay_period_start', 't.version', 't.status', 't.is_current', 't.reason', 't.findings', 't.created_at', 't.updated_at', 't.certified_by', 't.certified_at'])
      .where('e.employee_id', 'in', employeeIds).orderBy('e.employee_id').orderBy('t.pay_period_start').orderBy('t.version').execute()
    const ids = cards.map((c) => c.id)
    const lines = await childRows(ids, 'timecard_id', (part) => store.db.selectFrom('timecard_lines').select(['timecard_id', 'work_date', 'hour_type', 'accounting_code', 'hours'])
      .where('timecard_id', 'in', part).orderBy('timecard_id').orderBy('work_date').orderBy('hour_type').orderBy('accounting_code').execute())
    const history = await childRows(ids, 'timecard_id', (part) => store.db.selectFrom('timecard_history').select(['timecard_id', 'at', 'actor', 'action', 'version', 'changes', 'reason'])
      .where('timecard_id', 'in', part).orderBy('id').execute())
    return cards.map((c) => ({
      ...c,
      is_current: c.is_current === 1,
      findings: parseJson(c.findings),
      lines: (lines.get(c.id) ?? []).map((l) => ({...l, hours: (l.hours as number) / 100})),
      history: (history.get(c.id) ?? []).map((h) => ({...h, changes: parseJson(h.changes as string)})),
    }))
  },})
