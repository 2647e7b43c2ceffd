import {table} from './render.js'
import type {PlanItem} from '../retention/service.js'

/** The plan as a plain table (shown by `retention plan` and in the sweep's confirmation). */
export function planTable(items: readonly PlanItem[]): string {
  return table(['schedule', 'record type', 'retain', 'eligible', 'held', 'blocked by request', 'waiting'], items.map((i) => [
    i.code, i.recordType, `${i.retainMonths} mo`, i.eligible, i.held, i.blockedByRequest, i.waiting,
  ]))
}
