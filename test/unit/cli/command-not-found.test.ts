import {describe, expect, it} from 'vitest'

import {editDistance, unknownCommandMessage} from '../../../src/cli/hooks/command-not-found.js'

const ids = ['init', 'operators:add', 'operators:list', 'payroll:export', 'payroll:verify', 'retention:schedules', 'retention:schedules:set', 'retention:sweep']
const topics = ['operators', 'payroll', 'retention', 'retention:schedules']
const message = (id: string) => unknownCommandMessage(id, ids, topics, 'custodian')

describe('unknown commands', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0)
    expect(editDistance('list', 'lst')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('abc', '')).toBe(3)
  })

  it('name the nearest command when it is close, and the help of the deepest topic typed', () => {
    expect(message('operators:lst')).toBe('"operators lst" is not a custodian command. Did you mean "operators list"? See: custodian operators --help')
    expect(message('retention:schedules:sett')).toBe('"retention schedules sett" is not a custodian command. Did you mean "retention schedules set"? See: custodian retention schedules --help')
    expect(message('operator:list')).toBe('"operator list" is not a custodian command. Did you mean "operators list"? See: custodian --help')
  })

  it('suggest nothing when nothing is close', () => {
    expect(message('frobnicate')).toBe('"frobnicate" is not a custodian command. See: custodian --help')
    expect(message('payroll:destroy-everything')).toBe('"payroll destroy-everything" is not a custodian command. See: custodian payroll --help')
  })

  it('point `help X` at `X --help`', () => {
    expect(message('help')).toBe('There is no "help" command. Run: custodian --help')
    expect(message('help:payroll:export')).toBe('There is no "help" command. Run: custodian payroll export --help')
  })

  it('print what was typed without its terminal escapes', () => {
    expect(message('\u001b[31mred')).toBe('"\\u001b[31mred" is not a custodian command. See: custodian --help')
  })
})
