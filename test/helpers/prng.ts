/**
 * A small seeded pseudo-random generator (mulberry32): numbers in [0, 1), the same for the same seed on every
 * run, so a generated or fuzzed case that fails can be reproduced.
 */
export function prng(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
