import {randomBytes} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {hashSsn, ssnHasher, ssnKeysOf} from '../../../src/store/ssn-vault.js'

// The import's hasher (two one-shot hashes instead of an Hmac object per SSN) must give exactly the keyed hash
// hashSsn gives: the one that duplicate checks, the unique index and search by SSN compare.
describe('ssnHasher', () => {
  it('gives the keyed hash of hashSsn for every SSN, under every key', () => {
    for (let k = 0; k < 3; k++) {
      const keys = ssnKeysOf({hash: randomBytes(32), ssn: randomBytes(32)})
      const hash = ssnHasher(keys)
      for (let i = 0; i < 500; i++) {
        const ssn = String(100_000_000 + Math.floor(Math.random() * 799_999_999)).padStart(9, '0')
        expect(hash(ssn)).toBe(hashSsn(keys, ssn))
      }
    }
  })

  it('hashes anything but 9 digits as hashSsn does', () => {
    const keys = ssnKeysOf({hash: randomBytes(32), ssn: randomBytes(32)})
    const hash = ssnHasher(keys)
    // A shorter value after a 9-digit one: nothing of the earlier one may leak into its hash.
    hash('987654321')
    expect(hash('1234')).toBe(hashSsn(keys, '1234'))
  })
})
