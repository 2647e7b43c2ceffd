import {randomBytes} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {decryptSsn, hashSsn, sealSsn, ssnKeysOf, ssnSealer} from '../../../src/store/ssn-vault.js'

// The import's sealer (two one-shot hashes instead of an Hmac object per SSN) must give exactly the columns
// sealSsn gives: the keyed hash that duplicate checks, the unique index and search by SSN compare.
describe('ssnSealer', () => {
  it('gives the keyed hash and last four of sealSsn, and a ciphertext the key opens, for every SSN', () => {
    for (let k = 0; k < 3; k++) {
      const keys = ssnKeysOf({hash: randomBytes(32), ssn: randomBytes(32)})
      const seal = ssnSealer(keys)
      for (let i = 0; i < 500; i++) {
        const ssn = String(100_000_000 + Math.floor(Math.random() * 799_999_999)).padStart(9, '0')
        const fast = seal(ssn)
        const slow = sealSsn(keys, ssn)
        expect(fast.ssn_hash).toBe(slow.ssn_hash)
        expect(fast.ssn_hash).toBe(hashSsn(keys, ssn))
        expect(fast.ssn_last4).toBe(ssn.slice(-4))
        expect(decryptSsn(keys, fast.ssn_cipher!)).toBe(ssn)
      }
    }
  })

  it('seals no SSN as nulls, and anything but 9 digits as sealSsn does', () => {
    const keys = ssnKeysOf({hash: randomBytes(32), ssn: randomBytes(32)})
    const seal = ssnSealer(keys)
    expect(seal(null)).toEqual({ssn_cipher: null, ssn_hash: null, ssn_last4: null})
    // A shorter value after a 9-digit one: nothing of the earlier one may leak into its hash.
    seal('987654321')
    expect(seal('1234').ssn_hash).toBe(hashSsn(keys, '1234'))
  })
})
