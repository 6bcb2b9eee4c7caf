/** A source of numbers in [0, 1); tests and `--seed` runs pass a deterministic one. */
export interface RandomSource {
  random(): number;
}

/**
 * A small deterministic PRNG (mulberry32): the same seed gives the same sequence, so seed data and
 * fault injection can be replayed. Not for anything security-related.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    random(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
