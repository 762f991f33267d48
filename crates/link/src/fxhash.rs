//! A small, fast, non-cryptographic hasher (the Fx hash of rustc) for the linker's
//! word-list and per-document maps, whose keys are short strings from trusted data or
//! the document itself; hash flooding is not a concern for a batch tool.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hasher.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // the rest zero-padded, read little-endian: two overlapping loads of four
            // (or two) bytes, or one byte
            let n = rest.len();
            let word = match rest {
                [a, b, c, d, ..] => {
                    let [e, f, g, h] = [rest[n - 4], rest[n - 3], rest[n - 2], rest[n - 1]];
                    let low = u64::from(u32::from_le_bytes([*a, *b, *c, *d]));
                    let high = u64::from(u32::from_le_bytes([e, f, g, h]));
                    low | (high << (8 * (n - 4)))
                }
                [a, b, ..] => {
                    let low = u64::from(u16::from_le_bytes([*a, *b]));
                    let high = u64::from(u16::from_le_bytes([rest[n - 2], rest[n - 1]]));
                    low | (high << (8 * (n - 2)))
                }
                [a] => u64::from(*a),
                [] => 0,
            };
            self.add(word);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = BuildHasherDefault<FxHasher>;
/// A `HashMap` with the Fx hasher.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
/// A `HashSet` with the Fx hasher.
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_with_fx() {
        let mut m: FxHashMap<String, u32> = FxHashMap::default();
        m.insert("minister".into(), 1);
        m.insert("ministers".into(), 2);
        assert_eq!(m.get("minister"), Some(&1));
        assert_eq!(m.get("ministers"), Some(&2));
        assert_eq!(m.get("minis"), None);
    }

    #[test]
    fn every_tail_length_hashes_as_its_zero_padded_word() {
        let bytes = b"abcdefghijklmnop";
        for len in 0..=bytes.len() {
            let data = &bytes[..len];
            let mut fast = FxHasher::default();
            fast.write(data);
            let mut slow = FxHasher::default();
            for chunk in data.chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                slow.add(u64::from_le_bytes(word));
            }
            assert_eq!(fast.finish(), slow.finish(), "{len}");
        }
    }

    #[test]
    fn short_tail_hashes_as_zero_padded_word() {
        let mut a = FxHasher::default();
        a.write(b"abc");
        let mut b = FxHasher::default();
        b.add(u64::from_le_bytes(*b"abc\0\0\0\0\0"));
        assert_eq!(a.finish(), b.finish());
    }
}
