//! The effects' randomness: SplitMix64, seeded, one independent stream per step.

/// Sebastiano Vigna's SplitMix64: small, fast and good enough to place sparkles.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    /// The stream of step `k` of an effect seeded with `seed`: a pure function of both,
    /// so a step's sparkles are the same on every run and can be drawn without drawing
    /// the steps before it.
    pub(crate) fn for_step(seed: u64, k: u64) -> SplitMix64 {
        let base = SplitMix64(seed).next();
        SplitMix64(base ^ k.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (multiply and shift: no division, no visible bias).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_gives_the_reference_values() {
        // The first outputs for seed 0 (as in Vigna's splitmix64.c).
        let mut s = SplitMix64(0);
        assert_eq!(s.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(s.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn steps_get_different_streams_and_below_stays_below() {
        let a = SplitMix64::for_step(7, 0).next();
        let b = SplitMix64::for_step(7, 1).next();
        let c = SplitMix64::for_step(8, 0).next();
        assert!(a != b && a != c && b != c);
        assert_eq!(SplitMix64::for_step(7, 1).next(), b);
        let mut s = SplitMix64::for_step(1, 2);
        let mut seen = [false; 5];
        for _ in 0..200 {
            seen[s.below(5)] = true;
        }
        assert_eq!(seen, [true; 5]);
    }
}
