//! A fast hash for the crate's in-memory look-ups: the tier prices of a run (`calculator`) and a
//! snapshot's resolved price keys (`catalog::snapshot`). Their keys are the catalog's own or come
//! from the file being priced, hashed on every look-up, so the resistance of the standard SipHash
//! to keys an attacker picks buys nothing and costs about twice the time. One hasher for both,
//! here at the bottom, instead of one in each.

use std::hash::Hasher;

/// The multiply-rotate hash of rustc's FxHasher, eight bytes a step.
#[derive(Default)]
pub struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
