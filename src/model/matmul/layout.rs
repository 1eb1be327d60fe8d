//! How a matrix keeps the rows of the formats with kernels of their own
//! (Q4_0, Q4_1, Q5_0, Q8_0): each row repacked at load from GGML's blocks
//! (a header, then the values) into its parts side by side — every block's
//! scale first, then what else each block's header holds (Q4_1's minimum,
//! Q5_0's fifth bits), then the values of every block, in the order the
//! kernels read them. A row takes the same bytes as before and rows stay in order, so
//! a matrix still splits by rows; but the values of consecutive blocks are
//! now contiguous, so one 512-bit load takes four blocks of four-bit values
//! (or two of 8-bit ones), and one load takes the scales of sixteen blocks.

use super::Direct;
use crate::model::quant::f16_to_f32;

impl Direct {
    /// Bytes of one GGML block.
    pub(super) const fn block_bytes(self) -> usize {
        match self {
            Direct::Q4_0 => 18,
            Direct::Q4_1 => 20,
            Direct::Q5_0 => 22,
            Direct::Q8_0 => 34,
        }
    }

    /// Bytes of one block's values.
    pub(super) const fn value_bytes(self) -> usize {
        match self {
            Direct::Q4_0 | Direct::Q4_1 | Direct::Q5_0 => 16,
            Direct::Q8_0 => 32,
        }
    }

    /// Bytes of a block's header besides its scale: Q4_1's minimum, Q5_0's
    /// fifth bits.
    pub(super) const fn extra_bytes(self) -> usize {
        self.block_bytes() - self.value_bytes() - 2
    }
}

/// One repacked row of `blocks` blocks, read by block.
pub(super) struct Row<'a> {
    kind: Direct,
    blocks: usize,
    bytes: &'a [u8],
}

impl<'a> Row<'a> {
    pub(super) fn new(kind: Direct, bytes: &'a [u8]) -> Row<'a> {
        let blocks = bytes.len() / kind.block_bytes();
        assert_eq!(blocks * kind.block_bytes(), bytes.len(), "whole blocks");
        Row {
            kind,
            blocks,
            bytes,
        }
    }

    /// The values of block `b`.
    pub(super) fn values(&self, b: usize) -> &'a [u8] {
        let n = self.kind.value_bytes();
        let at = parts(self.kind, self.blocks).0 + b * n;
        &self.bytes[at..at + n]
    }

    /// The scale of block `b`.
    pub(super) fn d(&self, b: usize) -> f32 {
        self.half(parts(self.kind, self.blocks).1 + 2 * b)
    }

    /// The minimum of block `b` (Q4_1), or the offset that the unsigned
    /// values of Q4_0 (`-8 d`) and Q5_0 (`-16 d`) carry; Q8_0 has none.
    pub(super) fn min(&self, b: usize) -> f32 {
        match self.kind {
            Direct::Q4_1 => self.half(parts(self.kind, self.blocks).2 + 2 * b),
            Direct::Q4_0 => -8.0 * self.d(b),
            Direct::Q5_0 => -16.0 * self.d(b),
            Direct::Q8_0 => 0.0,
        }
    }

    /// Block `b`'s 32 values as unsigned bytes, in column order (four-
    /// and five-bit formats).
    pub(super) fn unsigned(&self, b: usize) -> [u8; 32] {
        let nibbles = self.values(b);
        let high = match self.kind {
            Direct::Q5_0 => {
                let at = parts(self.kind, self.blocks).2 + 4 * b;
                u32::from_le_bytes(self.bytes[at..at + 4].try_into().expect("four bytes"))
            }
            _ => 0,
        };
        std::array::from_fn(|c| {
            let nibble = if c < 16 {
                nibbles[c] & 0x0f
            } else {
                nibbles[c - 16] >> 4
            };
            nibble | (((high >> c) & 1) << 4) as u8
        })
    }

    fn half(&self, at: usize) -> f32 {
        f16_to_f32(u16::from_le_bytes([self.bytes[at], self.bytes[at + 1]]))
    }
}

/// Offsets in a repacked row of `blocks` blocks: of the values, of the
/// scales and of the rest of the headers.
pub(super) const fn parts(kind: Direct, blocks: usize) -> (usize, usize, usize) {
    let extra = 2 * blocks;
    (extra + kind.extra_bytes() * blocks, 0, extra)
}

/// Repacks one row from GGML's block order (`ggml`) into `out`.
pub(super) fn split(kind: Direct, ggml: &[u8], out: &mut [u8]) {
    let (size, values, extra) = (kind.block_bytes(), kind.value_bytes(), kind.extra_bytes());
    let blocks = ggml.len() / size;
    let (values_at, d_at, extra_at) = parts(kind, blocks);
    for (b, block) in ggml.chunks_exact(size).enumerate() {
        let header = size - values;
        out[values_at + b * values..values_at + (b + 1) * values].copy_from_slice(&block[header..]);
        out[d_at + 2 * b..d_at + 2 * b + 2].copy_from_slice(&block[..2]);
        out[extra_at + extra * b..extra_at + extra * (b + 1)].copy_from_slice(&block[2..header]);
    }
}

/// The inverse of [`split`]: one repacked row back in GGML's block order.
pub(super) fn join(kind: Direct, row: &[u8], out: &mut [u8]) {
    let (size, values, extra) = (kind.block_bytes(), kind.value_bytes(), kind.extra_bytes());
    let blocks = row.len() / size;
    let (values_at, d_at, extra_at) = parts(kind, blocks);
    for (b, block) in out.chunks_exact_mut(size).enumerate() {
        let header = size - values;
        block[header..].copy_from_slice(&row[values_at + b * values..values_at + (b + 1) * values]);
        block[..2].copy_from_slice(&row[d_at + 2 * b..d_at + 2 * b + 2]);
        block[2..header].copy_from_slice(&row[extra_at + extra * b..extra_at + extra * (b + 1)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_join_are_inverse_and_keep_every_field() {
        for kind in [Direct::Q4_0, Direct::Q4_1, Direct::Q5_0, Direct::Q8_0] {
            let blocks = 5;
            let ggml: Vec<u8> = (0..blocks * kind.block_bytes())
                .map(|i| (i * 7 + 3) as u8)
                .collect();
            let mut split_row = vec![0u8; ggml.len()];
            split(kind, &ggml, &mut split_row);
            let row = Row::new(kind, &split_row);
            let size = kind.block_bytes();
            for b in 0..blocks {
                let block = &ggml[b * size..(b + 1) * size];
                assert_eq!(row.values(b), &block[size - kind.value_bytes()..]);
                assert_eq!(row.d(b), crate::model::quant::half_at(block, 0));
                let min = match kind {
                    Direct::Q4_1 => crate::model::quant::half_at(block, 2),
                    Direct::Q4_0 => -8.0 * row.d(b),
                    Direct::Q5_0 => -16.0 * row.d(b),
                    Direct::Q8_0 => 0.0,
                };
                assert_eq!(row.min(b).to_bits(), min.to_bits());
                if kind != Direct::Q8_0 {
                    // The values as the block's own dequantization reads them.
                    let mut want = [0f32; 32];
                    kind.tensor_type().dequantize(block, &mut want);
                    for (c, &u) in row.unsigned(b).iter().enumerate() {
                        let got = row.d(b) * u as f32 + row.min(b);
                        if want[c].is_finite() {
                            assert!((got - want[c]).abs() <= 1e-3 * want[c].abs().max(1.0));
                        }
                    }
                }
            }
            let mut back = vec![0u8; ggml.len()];
            join(kind, &split_row, &mut back);
            assert_eq!(back, ggml, "{kind:?}");
        }
    }
}
