import {describe, expect, it} from 'vitest'

import {
  type Finding,
  type PersonnelRow,
  PERSONNEL_CODES,
  checkPersonnelRow,
  isPlausibleEmail,
  maskSsn,
  normalizeSsn,
  parseHundredths,
  toEmployeeValues,
} from '../../../src/personnel/checks.js'

/** Every check is given this date explicitly; the real clock is never consulted. */
const TODAY = '2026-03-15'

/** A valid full-time GS row; `over` replaces (or, with undefined, removes) columns. */
function valid(over: PersonnelRow = {}): PersonnelRow {
  const row: PersonnelRow = {
    employee_id: 'E1001',
    ssn: '123-45-6789',
    last_name: 'Smith',
    first_name: 'Jane',
    middle_name: '',
    email: 'jane.smith@example.gov',
    pay_plan: 'GS',
    grade: '12',
    step: '3',
    tour_of_duty: 'FT',
    scheduled_hours: '80',
    agency_code: 'HS',
    org_code: '0301',
    supervisor_id: '',
    service_comp_date: '2010-06-01',
    hire_date: '2010-06-01',
    separation_date: '',
    annual_leave_balance: '120.5',
    sick_leave_balance: '300',
    comp_time_balance: '0',
  }
  for (const [k, v] of Object.entries(over) as [keyof PersonnelRow, string | undefined][]) {
    if (v === undefined) delete row[k]
    else row[k] = v
  }
  return row
}

const check = (over: PersonnelRow = {}, today = TODAY): Finding[] => checkPersonnelRow(valid(over), today)
/** The findings as "CODE column" strings, for compact assertions. */
const codes = (over: PersonnelRow = {}, today = TODAY): string[] => check(over, today).map((f) => `${f.code} ${f.column}`)

describe('valid() baseline', () => {
  it('the baseline row has no findings', () => {
    expect(check()).toEqual([])
  })

  it('a row with only the required columns (INT, ES: no grade, step or SCD) has no findings', () => {
    const row: PersonnelRow = {
      employee_id: 'X99',
      last_name: 'Lee',
      first_name: 'Ann',
      pay_plan: 'ES',
      tour_of_duty: 'INT',
      scheduled_hours: '0',
      agency_code: 'AG',
      org_code: '01',
    }
    expect(checkPersonnelRow(row, TODAY)).toEqual([])
  })

  it('every finding carries the severity of its code and a non-empty message', () => {
    const findings = check({employee_id: 'x', ssn: '000-00-0000', email: 'no', pay_plan: 'ZZ', tour_of_duty: 'Q'})
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) {
      expect(f.severity).toBe(PERSONNEL_CODES[f.code].severity)
      expect(f.message.length).toBeGreaterThan(10)
    }
  })
})

describe('PE-REQUIRED', () => {
  const required = ['employee_id', 'last_name', 'first_name', 'pay_plan', 'tour_of_duty', 'scheduled_hours', 'agency_code', 'org_code'] as const

  it.each(required)('fires when %s is empty', (column) => {
    expect(codes({[column]: ''})).toContain(`PE-REQUIRED ${column}`)
  })

  it.each(required)('fires when %s is absent from the row', (column) => {
    expect(codes({[column]: undefined})).toContain(`PE-REQUIRED ${column}`)
  })

  it.each(['ssn', 'middle_name', 'email', 'supervisor_id', 'hire_date', 'separation_date', 'annual_leave_balance', 'sick_leave_balance', 'comp_time_balance'] as const)(
    'does not fire when optional %s is empty',
    (column) => {
      expect(check({[column]: ''})).toEqual([])
    },
  )

  it.each([
    ['GS', 'grade', {grade: ''}],
    ['SV', 'grade', {pay_plan: 'SV', grade: '', step: ''}],
    ['FV', 'grade', {pay_plan: 'FV', grade: '', step: ''}],
    ['WG', 'grade', {pay_plan: 'WG', grade: '', step: '2'}],
    ['GS', 'step', {step: ''}],
    ['GG', 'step', {pay_plan: 'GG', step: ''}],
    ['WS', 'step', {pay_plan: 'WS', step: ''}],
  ] as const)('fires for pay plan %s when %s is empty', (_plan, column, over) => {
    expect(codes(over)).toEqual([`PE-REQUIRED ${column}`])
  })

  it.each([
    ['FT', {tour_of_duty: 'FT', scheduled_hours: '80'}],
    ['PT', {tour_of_duty: 'PT', scheduled_hours: '40'}],
  ])('fires when service_comp_date is empty on a %s tour', (_tour, over) => {
    expect(codes({...over, service_comp_date: ''})).toEqual(['PE-REQUIRED service_comp_date'])
  })

  it('does not require service_comp_date on an INT tour', () => {
    expect(check({tour_of_duty: 'INT', scheduled_hours: '0', service_comp_date: ''})).toEqual([])
  })

  it('an empty required value is reported as PE-REQUIRED only, not also as a format error', () => {
    expect(codes({employee_id: ''})).toEqual(['PE-REQUIRED employee_id'])
    expect(codes({agency_code: ''})).toEqual(['PE-REQUIRED agency_code'])
    expect(codes({org_code: ''})).toEqual(['PE-REQUIRED org_code'])
  })
})

describe('PE-ID', () => {
  it.each([
    ['E10', 'exactly 3 characters'],
    ['ABCDEFGHIJKL', 'exactly 12 characters'],
    ['e1001', 'lower case (stored upper-case)'],
    ['HR-2024-007', 'with hyphens'],
    ['000123', 'digits only, not SSN-shaped'],
  ])('accepts %s (%s)', (id) => {
    expect(check({employee_id: id})).toEqual([])
  })

  it.each([
    ['E1', 'too short (2)'],
    ['ABCDEFGHIJKLM', 'too long (13)'],
    ['E 1001', 'a space'],
    ['E_1001', 'an underscore'],
    ['É1001', 'an accented letter'],
    ['E1001!', 'punctuation'],
  ])('rejects %s (%s)', (id) => {
    expect(codes({employee_id: id})).toEqual(['PE-ID employee_id'])
  })

  it.each(['123-45-6789', '123456789'])('rejects an SSN-shaped employee_id %s without echoing it', (id) => {
    const findings = check({employee_id: id})
    expect(findings.map((f) => `${f.code} ${f.column}`)).toEqual(['PE-ID employee_id'])
    expect(findings[0].message).not.toMatch(/\d{4}/)
  })
})

describe('PE-SSN', () => {
  it.each([
    ['123-45-6789', 'with dashes'],
    ['123456789', 'without dashes'],
    ['001-01-0001', 'lowest valid parts'],
    ['665-99-9999', 'area 665'],
    ['667-01-0001', 'area 667'],
    ['899-99-9999', 'area 899'],
  ])('accepts %s (%s)', (ssn) => {
    expect(check({ssn})).toEqual([])
  })

  // Digits chosen so that they share no 4-digit run with the example (123-45-6789) in the fixed message.
  it.each([
    ['000-82-5190', 'area 000'],
    ['000825190', 'area 000, no dashes'],
    ['666-82-5190', 'area 666'],
    ['666825190', 'area 666, no dashes'],
    ['900-82-5190', 'area 900'],
    ['951-82-5190', 'area 951'],
    ['999-82-5190', 'area 999'],
    ['347-00-5190', 'group 00'],
    ['347005190', 'group 00, no dashes'],
    ['347-82-0000', 'serial 0000'],
    ['347820000', 'serial 0000, no dashes'],
    ['34-782-5190', 'dashes in the wrong places'],
    ['3478-25-190', 'dashes in the wrong places'],
    ['347-825190', 'only the first dash'],
    ['34782-5190', 'only the second dash'],
    ['347--82-5190', 'doubled dash'],
    ['-347825190', 'leading dash'],
    ['347825190-', 'trailing dash'],
    ['34782519', '8 digits'],
    ['3478251905', '10 digits'],
    ['347 82 5190', 'spaces'],
    ['347-82-519X', 'a letter'],
    ['３４７８２５１９０', 'full-width digits'],
  ])('rejects %s (%s) without echoing the digits', (ssn) => {
    const findings = check({ssn})
    expect(findings.map((f) => `${f.code} ${f.column}`)).toEqual(['PE-SSN ssn'])
    const message = findings[0].message
    expect(message).not.toContain(ssn)
    const digits = ssn.replace(/\D/g, '')
    // No run of 4 of the value's own digits appears in the message (this covers the last four). "0000" is
    // exempt: the message may name the rule "serial not 0000".
    for (let i = 0; i + 4 <= digits.length; i++) {
      const run = digits.slice(i, i + 4)
      if (run !== '0000') expect(message).not.toContain(run)
    }
  })

  it('no finding on a row with a bad SSN mentions its digits', () => {
    const findings = check({ssn: '987-65-4320', employee_id: '?', email: 'x'})
    expect(findings.some((f) => f.code === 'PE-SSN')).toBe(true)
    for (const f of findings) expect(f.message).not.toMatch(/987.?65.?4320|4320/)
  })
})

describe('normalizeSsn', () => {
  it.each([
    ['123-45-6789', '123456789'],
    ['123456789', '123456789'],
    ['899-01-0001', '899010001'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSsn(input)).toBe(expected)
  })

  it.each(['', '000-12-3456', '666-12-3456', '900-12-3456', '999999999', '123-00-4567', '123-45-0000', '123-456789', '12345-6789', 'abc-de-fghi'])(
    '%s → null',
    (input) => {
      expect(normalizeSsn(input)).toBeNull()
    },
  )
})

describe('maskSsn', () => {
  it('keeps only the last four digits', () => {
    expect(maskSsn('123456789')).toBe('***-**-6789')
  })
  it.each([null, ''])('%j → null', (input) => {
    expect(maskSsn(input)).toBeNull()
  })
})

describe('PE-NAME', () => {
  const NAME_COLUMNS = ['last_name', 'first_name', 'middle_name'] as const
  const thirtyFive = 'A'.repeat(35)
  const thirtySix = 'A'.repeat(36)

  const goodNames = [
    ['Núñez', 'accents'],
    ['Zoë', 'diaeresis (precomposed)'],
    ['Zoe\u0308', 'diaeresis (decomposed, combining mark)'],
    ['Siobhán', 'acute accent'],
    ["O'Brien", 'ASCII apostrophe'],
    ['O’Brien', 'typographic apostrophe'],
    ['Smith-Jones', 'hyphen'],
    ['St. John', 'period and space'],
    ['J.', 'initial with period'],
    ['de la Cruz', 'several spaces'],
    ['Łukasz', 'Polish letter'],
    ['Björk', 'umlaut'],
    ['X', 'one character'],
    [thirtyFive, '35 characters'],
    ['Ñ'.repeat(35), '35 accented characters'],
    ['\u{1D400}'.repeat(35), '35 letters outside the Basic Multilingual Plane (a surrogate pair each)'],
  ] as const

  const badNames = [
    [thirtySix, '36 characters'],
    ['Ñ'.repeat(36), '36 accented characters'],
    ['\u{1D400}'.repeat(36), '36 letters outside the Basic Multilingual Plane'],
    ['Smith2', 'a digit'],
    ['Smith_Jones', 'an underscore'],
    ['Smith, Jr', 'a comma'],
    ['Jane@', 'an at sign'],
    ['Jane"', 'a double quote'],
    ['=HYPERLINK()', 'formula characters'],
    ["'-.", 'punctuation with no letter'],
    ['.', 'a lone period'],
  ] as const

  for (const column of NAME_COLUMNS) {
    describe(column, () => {
      it.each(goodNames)(`accepts %s (%s)`, (name) => {
        expect(check({[column]: name})).toEqual([])
      })

      it.each(badNames)(`rejects %s (%s)`, (name) => {
        expect(codes({[column]: name})).toEqual([`PE-NAME ${column}`])
      })
    })
  }

  it('middle_name may be empty or absent', () => {
    expect(check({middle_name: ''})).toEqual([])
    expect(check({middle_name: undefined})).toEqual([])
  })

  it('names both first and last when both are wrong', () => {
    expect(codes({first_name: 'J4ne', last_name: thirtySix})).toEqual(['PE-NAME last_name', 'PE-NAME first_name'])
  })

  it('the length message gives the count found', () => {
    expect(check({last_name: thirtySix})[0].message).toContain('36')
  })
})

describe('PE-EMAIL', () => {
  it.each(['jane@example.gov', 'jane.smith+hr@mail.agency.gov', 'a@b.co', 'J.O’Brien@example.org'])('accepts %s', (email) => {
    expect(check({email})).toEqual([])
  })

  it.each([
    ['jane.example.gov', 'no @'],
    ['jane@@example.gov', 'two @ together'],
    ['ja@ne@example.gov', 'two @'],
    ['@example.gov', 'empty local part'],
    ['jane@', 'empty domain'],
    ['jane@localhost', 'no dot in the domain'],
    ['jane@example.', 'empty last label'],
    ['jane@.example.gov', 'empty first label'],
    ['jane@example..gov', 'empty middle label'],
    ['jane smith@example.gov', 'a space'],
    ['jane@exa mple.gov', 'a space in the domain'],
    ['jane\t@example.gov', 'a tab'],
    [`${'a'.repeat(250)}@ex.gov`, 'longer than 254'],
  ])('rejects %s (%s)', (email) => {
    expect(codes({email})).toEqual(['PE-EMAIL email'])
  })
})

describe('isPlausibleEmail', () => {
  it.each([
    ['x@y.z', true],
    ['x@yz', false],
    ['x y@z.w', false],
    ['', false],
    ['x@y.z@w.v', false],
  ])('%s → %s', (email, expected) => {
    expect(isPlausibleEmail(email)).toBe(expected)
  })
})

describe('PE-PAYPLAN', () => {
  const noGradePlans = ['ES', 'SL', 'ST', 'AD', 'EX']

  it.each(noGradePlans)('accepts %s with no grade or step', (plan) => {
    expect(check({pay_plan: plan, grade: '', step: ''})).toEqual([])
  })

  it('accepts lower-case pay plans', () => {
    expect(check({pay_plan: 'gs'})).toEqual([])
  })

  it.each(['XX', 'G', 'GSS', 'GS1', '12'])('rejects %s', (plan) => {
    expect(codes({pay_plan: plan})).toEqual(['PE-PAYPLAN pay_plan'])
  })

  it('does not judge grade or step when the pay plan is unknown', () => {
    expect(codes({pay_plan: 'ZZ', grade: 'Q', step: '99'})).toEqual(['PE-PAYPLAN pay_plan'])
  })
})

describe('PE-GRADE', () => {
  it.each([
    ['GS', '01', '1'],
    ['GS', '1', '1'],
    ['GS', '15', '10'],
    ['GM', '13', ''],
    ['GG', '07', '5'],
    ['WG', '15', '5'],
    ['WL', '01', '1'],
    ['WS', '10', '3'],
    ['SV', 'A', ''],
    ['SV', 'M', ''],
    ['FV', 'G', ''],
    ['FV', 'j', ''],
  ])('accepts pay plan %s grade %s', (pay_plan, grade, step) => {
    expect(check({pay_plan, grade, step})).toEqual([])
  })

  it.each([
    ['GS', '00', '1'],
    ['GS', '0', '1'],
    ['GS', '16', '1'],
    ['GS', '015', '1'],
    ['GS', 'A', '1'],
    ['GS', '-1', '1'],
    ['GS', '1.5', '1'],
    ['GM', '16', ''],
    ['GG', '00', '1'],
    ['WG', '16', '1'],
    ['WL', 'B', '1'],
    ['WS', '99', '1'],
    ['SV', 'N', ''],
    ['SV', 'Z', ''],
    ['SV', '12', ''],
    ['SV', 'AA', ''],
    ['FV', 'N', ''],
    ['ES', '15', ''],
    ['ES', 'A', ''],
    ['SL', '01', ''],
    ['EX', 'IV', ''],
  ])('rejects pay plan %s grade %s', (pay_plan, grade, step) => {
    expect(codes({pay_plan, grade, step})).toEqual(['PE-GRADE grade'])
  })
})

describe('PE-STEP', () => {
  it.each([
    ['GS', '12', '1'],
    ['GS', '12', '10'],
    ['GS', '12', '01'],
    ['GG', '09', '10'],
    ['WG', '05', '1'],
    ['WG', '05', '5'],
    ['WL', '05', '5'],
    ['WS', '05', '5'],
    ['GM', '14', ''],
    ['SV', 'C', ''],
    ['ES', '', ''],
  ])('accepts pay plan %s grade %s step %s', (pay_plan, grade, step) => {
    expect(check({pay_plan, grade, step})).toEqual([])
  })

  it.each([
    ['GS', '12', '0'],
    ['GS', '12', '11'],
    ['GS', '12', '1.5'],
    ['GS', '12', 'A'],
    ['GS', '12', '-1'],
    ['GS', '12', '100'],
    ['GG', '09', '11'],
    ['WG', '05', '6'],
    ['WG', '05', '10'],
    ['WL', '05', '6'],
    ['WS', '05', '0'],
    ['GM', '14', '1'],
    ['SV', 'C', '1'],
    ['FV', 'C', '2'],
    ['ES', '', '1'],
    ['AD', '', '5'],
  ])('rejects pay plan %s grade %s step %s', (pay_plan, grade, step) => {
    expect(codes({pay_plan, grade, step})).toEqual(['PE-STEP step'])
  })
})

describe('PE-TOUR', () => {
  it.each([
    ['FT', '80'],
    ['ft', '80'],
    ['PT', '40'],
    ['INT', '0'],
    ['int', '0'],
  ])('accepts tour %s', (tour_of_duty, scheduled_hours) => {
    expect(check({tour_of_duty, scheduled_hours})).toEqual([])
  })

  it.each(['F', 'FULL', 'PTT', 'IN', 'SEASONAL', 'F T'])('rejects tour %s', (tour_of_duty) => {
    expect(codes({tour_of_duty})).toEqual(['PE-TOUR tour_of_duty'])
  })
})

describe('PE-HOURS', () => {
  it.each([
    ['FT', '80'],
    ['FT', '80.0'],
    ['FT', '80.00'],
    ['PT', '32'],
    ['PT', '32.00'],
    ['PT', '48.5'],
    ['PT', '64'],
    ['INT', '0'],
    ['INT', '0.00'],
  ])('accepts tour %s with %s hours', (tour_of_duty, scheduled_hours) => {
    expect(check({tour_of_duty, scheduled_hours})).toEqual([])
  })

  it.each([
    ['FT', '79.99'],
    ['FT', '80.01'],
    ['FT', '40'],
    ['FT', '0'],
    ['PT', '31.99'],
    ['PT', '31'],
    ['PT', '64.01'],
    ['PT', '65'],
    ['PT', '80'],
    ['PT', '0'],
    ['INT', '0.01'],
    ['INT', '8'],
    ['INT', '80'],
  ])('rejects tour %s with %s hours', (tour_of_duty, scheduled_hours) => {
    expect(codes({tour_of_duty, scheduled_hours})).toEqual(['PE-HOURS scheduled_hours'])
  })

  it.each(['eighty', '80h', '80.001', '-80', '8,0', '1e2', ' '])('rejects the non-number %j', (scheduled_hours) => {
    expect(codes({scheduled_hours})).toEqual(['PE-HOURS scheduled_hours'])
  })
})

describe('PE-AGENCY', () => {
  it.each(['HS', 'hs', 'A1', '99'])('accepts %s', (agency_code) => {
    expect(check({agency_code})).toEqual([])
  })

  it.each(['H', 'HSX', 'H-', 'H S', 'É1'])('rejects %s', (agency_code) => {
    expect(codes({agency_code})).toEqual(['PE-AGENCY agency_code'])
  })
})

describe('PE-ORG', () => {
  it.each(['03', '030105', 'ab12', '123456789012'])('accepts %s', (org_code) => {
    expect(check({org_code})).toEqual([])
  })

  it.each(['0', '1234567890123', '03-01', '03 01', '03.01'])('rejects %s', (org_code) => {
    expect(codes({org_code})).toEqual(['PE-ORG org_code'])
  })
})

describe('PE-DATE', () => {
  const DATE_COLUMNS = ['service_comp_date', 'hire_date'] as const

  for (const column of DATE_COLUMNS) {
    describe(column, () => {
      it.each([
        ['2024-02-29', '2026-03-15', 'Feb 29 in a leap year'],
        ['2000-02-29', '2026-03-15', 'Feb 29 in a 400-year leap year'],
        ['2026-03-15', '2026-03-15', 'today'],
        ['2026-03-14', '2026-03-15', 'yesterday'],
        ['2026-12-31', '2026-12-31', 'today at year end'],
        ['1990-01-31', '2026-03-15', 'Jan 31'],
      ])('accepts %s when today is %s (%s)', (date, today) => {
        expect(check({[column]: date, separation_date: ''}, today)).toEqual([])
      })

      it.each([
        ['2025-02-29', 'Feb 29 in a non-leap year'],
        ['1900-02-29', 'Feb 29 in a century non-leap year'],
        ['2026-04-31', 'April 31'],
        ['2026-13-01', 'month 13'],
        ['2026-00-10', 'month 00'],
        ['2026-01-00', 'day 00'],
        ['2026-1-5', 'no zero padding'],
        ['01/05/2026', 'US format'],
        ['2026/01/05', 'slashes'],
        ['20260105', 'no dashes'],
        ['2026-01-05T00:00', 'with a time'],
        ['yesterday', 'a word'],
      ])('rejects %s (%s)', (date) => {
        expect(codes({[column]: date}, '2026-03-15')).toEqual([`PE-DATE ${column}`])
      })

      it.each([
        ['2026-03-16', '2026-03-15', 'tomorrow'],
        ['2027-01-01', '2026-12-31', 'next year'],
        ['2024-02-29', '2024-02-28', 'Feb 29 the day after today'],
      ])('rejects %s in the future when today is %s (%s)', (date, today) => {
        const findings = check({[column]: date}, today)
        expect(findings.map((f) => `${f.code} ${f.column}`)).toEqual([`PE-DATE ${column}`])
        expect(findings[0].message).toContain(today)
      })
    })
  }

  it('the future check follows the today argument, not the clock', () => {
    expect(codes({hire_date: '2030-01-01'}, '2029-12-31')).toEqual(['PE-DATE hire_date'])
    expect(check({hire_date: '2030-01-01'}, '2030-01-01')).toEqual([])
  })

  describe('separation_date', () => {
    it.each([
      ['2010-06-01', '2010-06-01', 'same day as hire'],
      ['2010-06-01', '2020-02-29', 'after hire, leap day'],
      ['2010-06-01', '2027-01-01', 'in the future (a planned separation)'],
      ['', '2020-01-01', 'no hire date'],
    ])('accepts hire %j, separation %s (%s)', (hire_date, separation_date) => {
      expect(check({hire_date, separation_date})).toEqual([])
    })

    it.each([
      ['2010-06-01', '2010-05-31', 'one day before hire'],
      ['2010-06-01', '2009-12-31', 'the year before hire'],
    ])('rejects hire %s, separation %s (%s)', (hire_date, separation_date) => {
      const findings = check({hire_date, separation_date})
      expect(findings.map((f) => `${f.code} ${f.column}`)).toEqual(['PE-DATE separation_date'])
      expect(findings[0].message).toContain(hire_date)
    })

    it.each(['2021-02-29', '2021-02-30', '31-12-2020'])('rejects the unreal date %s', (separation_date) => {
      expect(codes({separation_date})).toEqual(['PE-DATE separation_date'])
    })

    it('does not compare with an unreal hire date (only the hire date is reported)', () => {
      expect(codes({hire_date: '2010-02-30', separation_date: '2001-01-01'})).toEqual(['PE-DATE hire_date'])
    })
  })
})

describe('PE-BALANCE', () => {
  const BALANCES = ['annual_leave_balance', 'sick_leave_balance', 'comp_time_balance'] as const

  for (const column of BALANCES) {
    describe(column, () => {
      it.each(['0', '8', '120.5', '120.25', '0.01', '999999.99', ''])('accepts %j', (value) => {
        expect(check({[column]: value})).toEqual([])
      })

      it.each(['1.234', '0.001', 'abc', '1,5', '1e2', '+4', '1234567'])('rejects %j', (value) => {
        expect(codes({[column]: value})).toEqual([`PE-BALANCE ${column}`])
      })
    })
  }

  it.each(['-1', '-24.5', '-0.01'])('accepts a negative (advanced) sick leave balance %s', (value) => {
    expect(check({sick_leave_balance: value})).toEqual([])
  })

  it.each([
    ['annual_leave_balance', '-1'],
    ['annual_leave_balance', '-0.01'],
    ['comp_time_balance', '-8'],
  ] as const)('rejects a negative %s of %s', (column, value) => {
    const findings = check({[column]: value})
    expect(findings.map((f) => `${f.code} ${f.column}`)).toEqual([`PE-BALANCE ${column}`])
    expect(findings[0].message).toMatch(/negative/)
  })

  it('rejects a negative sick leave balance with 3 decimals', () => {
    expect(codes({sick_leave_balance: '-1.125'})).toEqual(['PE-BALANCE sick_leave_balance'])
  })
})

describe('parseHundredths', () => {
  it.each([
    ['0', 0],
    ['80', 8000],
    ['80.0', 8000],
    ['80.00', 8000],
    ['1.5', 150],
    ['1.05', 105],
    ['0.01', 1],
    ['-24.5', -2450],
    ['-0.01', -1],
    ['999999.99', 99999999],
  ])('%s → %d', (input, expected) => {
    expect(parseHundredths(input)).toBe(expected)
  })

  it.each(['', '1.234', 'abc', '1,5', '--1', '+1', ' 1', '1e2', '1234567'])('%j → null', (input) => {
    expect(parseHundredths(input)).toBeNull()
  })

  it('gives the integer the digits spell, for every shape of value it accepts (seeded)', () => {
    // The rule written out digit by digit: whole hours × 100 + the hundredths, with the sign.
    const byDigits = (v: string) => {
      const [whole, frac = ''] = v.replace('-', '').split('.')
      const n = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
      return v.startsWith('-') ? -n : n
    }
    let seed = 20_261_206
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed % n
    }
    for (let i = 0; i < 20_000; i++) {
      const whole = String(next(10 ** (1 + next(6)))).padStart(1 + next(3), '0').slice(-6)
      const decimals = next(3)
      const v = `${next(4) === 0 ? '-' : ''}${whole}${decimals === 0 ? '' : `.${String(next(10 ** decimals)).padStart(decimals, '0')}`}`
      expect(parseHundredths(v), v).toBe(byDigits(v))
    }
  })
})

describe('several codes on one row', () => {
  it('reports every problem, each with its own column', () => {
    const findings = checkPersonnelRow(
      {
        employee_id: 'x',
        ssn: '666-12-3456',
        last_name: 'Sm1th',
        first_name: '',
        middle_name: 'B'.repeat(36),
        email: 'not an email',
        pay_plan: 'GS',
        grade: '16',
        step: '11',
        tour_of_duty: 'PT',
        scheduled_hours: '80',
        agency_code: 'ABC',
        org_code: 'X',
        service_comp_date: '2099-01-01',
        hire_date: '2010-02-30',
        separation_date: '2009-13-01',
        annual_leave_balance: '-1',
        sick_leave_balance: '1.001',
        comp_time_balance: '-0.5',
      },
      TODAY,
    )
    expect(findings.map((f) => `${f.code} ${f.column}`).sort()).toEqual(
      [
        'PE-REQUIRED first_name',
        'PE-ID employee_id',
        'PE-SSN ssn',
        'PE-NAME last_name',
        'PE-NAME middle_name',
        'PE-EMAIL email',
        'PE-GRADE grade',
        'PE-STEP step',
        'PE-HOURS scheduled_hours',
        'PE-AGENCY agency_code',
        'PE-ORG org_code',
        'PE-DATE service_comp_date',
        'PE-DATE hire_date',
        'PE-DATE separation_date',
        'PE-BALANCE annual_leave_balance',
        'PE-BALANCE sick_leave_balance',
        'PE-BALANCE comp_time_balance',
      ].sort(),
    )
    for (const f of findings) expect(f.message).not.toMatch(/666.?12.?3456/)
  })

  it('reports unknown pay plan and unknown tour together with the other problems', () => {
    expect(codes({pay_plan: 'QQ', tour_of_duty: 'XX', email: 'a@b', ssn: '123-45-0000'})).toEqual([
      'PE-SSN ssn',
      'PE-EMAIL email',
      'PE-PAYPLAN pay_plan',
      'PE-TOUR tour_of_duty',
    ])
  })
})

describe('toEmployeeValues', () => {
  it('normalises a valid row for storage', () => {
    const values = toEmployeeValues(
      valid({
        employee_id: 'e-77',
        ssn: '123-45-6789',
        middle_name: 'Q.',
        email: '',
        pay_plan: 'gs',
        grade: '7',
        step: '03',
        tour_of_duty: 'ft',
        scheduled_hours: '80.00',
        agency_code: 'hs',
        org_code: '0301ab',
        supervisor_id: 'boss-1',
        separation_date: '',
        annual_leave_balance: '120.5',
        sick_leave_balance: '-4.25',
        comp_time_balance: '',
      }),
    )
    expect(values).toEqual({
      employee_id: 'E-77',
      ssn: '123456789',
      last_name: 'Smith',
      first_name: 'Jane',
      middle_name: 'Q.',
      email: null,
      pay_plan: 'GS',
      grade: '07',
      step: 3,
      tour_of_duty: 'FT',
      scheduled_hours: 8000,
      agency_code: 'HS',
      org_code: '0301AB',
      supervisor_id: 'BOSS-1',
      service_comp_date: '2010-06-01',
      hire_date: '2010-06-01',
      separation_date: null,
      annual_leave_balance: 12050,
      sick_leave_balance: -425,
      comp_time_balance: 0,
    })
  })

  it('keeps band letters upper-case and empty grade/step/ssn as null', () => {
    const values = toEmployeeValues(valid({pay_plan: 'SV', grade: 'k', step: '', ssn: ''}))
    expect(values.grade).toBe('K')
    expect(values.step).toBeNull()
    expect(values.ssn).toBeNull()
  })

  it('leaves columns absent from the file absent', () => {
    const values = toEmployeeValues({employee_id: 'abc', last_name: 'Lee'})
    expect(values).toEqual({employee_id: 'ABC', last_name: 'Lee'})
    expect('ssn' in values).toBe(false)
    expect('annual_leave_balance' in values).toBe(false)
  })

  it('never stores the SSN with dashes', () => {
    expect(toEmployeeValues({employee_id: 'E1', ssn: '001-01-0001'}).ssn).toBe('001010001')
  })
})

describe('messages never echo SSN-shaped values', () => {
  it.each(['123 45 6789', '123.45.6789x', '1234567890123'])('employee_id %s', (id) => {
    const findings = checkPersonnelRow({...valid(), employee_id: id}, '2026-03-15')
    expect(findings.map((f) => f.code)).toContain('PE-ID')
    for (const f of findings) expect(f.message).not.toMatch(/6789/)
  })

  it('counts decomposed accented letters once', () => {
    const name = 'N\u0303'.repeat(35)
    expect(checkPersonnelRow({...valid(), last_name: name}, '2026-03-15').map((f) => f.code)).not.toContain('PE-NAME')
    expect(toEmployeeValues({...valid(), last_name: 'Zoe\u0308'}).last_name).toBe('Zo\u00eb')
  })
})
