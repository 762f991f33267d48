//! A map from strings to entity indices for the linker's per-document tables (names,
//! surnames, ids): the keys are copied into one arena string that is kept from one
//! document to the next, so that a warm map inserts without allocating. Open
//! addressing on the Fx hash of the key, linear probing; a slot is in use when it has
//! the map's generation, so that emptying the map touches no slot.

use crate::fxhash::FxHasher;
use std::hash::Hasher;

/// One slot: the key's hash and place in the arena, its value, and the generation of
/// the map it was filled in (0: never).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    start: usize,
    len: usize,
    value: usize,
    generation: u32,
}

/// A string-keyed map of `usize` values (see the module documentation).
#[derive(Debug)]
pub struct StrMap {
    slots: Vec<Slot>,
    arena: String,
    len: usize,
    /// The slots of this generation are in use (never 0).
    generation: u32,
}

impl Default for StrMap {
    fn default() -> Self {
        StrMap {
            slots: Vec::new(),
            arena: String::new(),
            len: 0,
            generation: 1,
        }
    }
}

fn hash_of(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.finish()
}

impl StrMap {
    /// Empties the map, keeping its memory.
    pub fn clear(&mut self) {
        if self.len > 0 {
            self.generation = self.generation.wrapping_add(1);
            if self.generation == 0 {
                // every generation used: the slots are emptied once in four billion
                self.slots.fill(Slot::default());
                self.generation = 1;
            }
        }
        self.arena.clear();
        self.len = 0;
    }

    /// The slot holding `key`, or else the empty slot where it would go (`None` when
    /// the map has no slots).
    fn slot_of(&self, key: &str, hash: u64) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = (hash as usize) & mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.generation != self.generation {
                return Some(i);
            }
            if slot.hash == hash && self.arena.get(slot.start..slot.start + slot.len) == Some(key) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`, if it is in the map.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&usize> {
        if self.len == 0 {
            return None;
        }
        let i = self.slot_of(key, hash_of(key))?;
        self.slots
            .get(i)
            .filter(|s| s.generation == self.generation)
            .map(|s| &s.value)
    }

    /// Whether `key` is in the map.
    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets the value of `key` (a key already in the map keeps its place).
    pub fn insert(&mut self, key: &str, value: usize) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = hash_of(key);
        let Some(i) = self.slot_of(key, hash) else {
            return;
        };
        let (start, generation) = (self.arena.len(), self.generation);
        let Some(slot) = self.slots.get_mut(i) else {
            return;
        };
        if slot.generation == generation {
            slot.value = value;
            return;
        }
        *slot = Slot {
            hash,
            start,
            len: key.len(),
            value,
            generation,
        };
        self.arena.push_str(key);
        self.len += 1;
    }

    /// Doubles the slots (at least 16), placing every key again.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        let (mask, generation) = (size - 1, self.generation);
        for slot in old.into_iter().filter(|s| s.generation == generation) {
            let mut i = (slot.hash as usize) & mask;
            while self.slots[i].generation == generation {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn inserts_overwrite_and_clear_empties() {
        let mut m = StrMap::default();
        assert_eq!(m.get("a"), None);
        m.insert("Ana Soto", 1);
        m.insert("Soto", 2);
        m.insert("Ana Soto", 3);
        assert_eq!(m.get("Ana Soto"), Some(&3));
        assert_eq!(m.get("Soto"), Some(&2));
        assert!(!m.contains_key("Ana"));
        m.clear();
        assert_eq!(m.get("Soto"), None);
        m.insert("", 4);
        assert_eq!(m.get(""), Some(&4));
    }

    #[test]
    fn generations_wrap_around() {
        let mut m = StrMap::default();
        m.insert("x", 1);
        m.generation = u32::MAX;
        m.insert("y", 2);
        assert_eq!(m.get("y"), Some(&2));
        m.clear();
        assert_eq!(m.generation, 1);
        assert_eq!(m.get("x"), None);
        assert_eq!(m.get("y"), None);
        m.insert("y", 3);
        assert_eq!(m.get("y"), Some(&3));
    }

    proptest! {
        #[test]
        fn agrees_with_a_hash_map(
            ops in proptest::collection::vec(("[a-dé]{0,3}", 0usize..50, any::<bool>()), 0..200)
        ) {
            let mut m = StrMap::default();
            let mut reference: HashMap<String, usize> = HashMap::new();
            for (key, value, clear) in ops {
                if clear && value == 0 {
                    m.clear();
                    reference.clear();
                }
                m.insert(&key, value);
                reference.insert(key.clone(), value);
                prop_assert_eq!(m.get(&key), reference.get(&key));
            }
            for k in ["", "a", "ab", "é", "dd", "abc"] {
                prop_assert_eq!(m.get(k), reference.get(k));
            }
        }
    }
}
