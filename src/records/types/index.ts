import type {RecordTypeEntry} from '../kit.js'
import {account} from './account.js'
import {contact} from './contact.js'
import {disclosure} from './disclosure.js'
import {employee} from './employee.js'
import {inquiry} from './inquiry.js'
import {interaction} from './interaction.js'
import {payrollBatch} from './payroll-batch.js'
import {request} from './request.js'
import {signIn} from './sign-in.js'
import {timecard} from './timecard.js'

/**
 * Every record type, one module each, in the order a sweep decides them: a type whose eligibility waits for
 * other records of the subject to be gone (`afterGone`) comes after them. Adding a record type is one module
 * here, its migration (its tables and its retention schedule) and its tests.
 */
export const REGISTRY = [timecard, payrollBatch, employee, request, signIn, account, interaction, contact, inquiry, disclosure] as const

export type RecordType = (typeof REGISTRY)[number]['type']

export {account, contact, disclosure, employee, inquiry, interaction, payrollBatch, request, signIn, timecard}
export type {RecordTypeEntry}
