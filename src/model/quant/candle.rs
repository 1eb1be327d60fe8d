//! The formats computed through candle's CPU kernels: dense f32, and Q2_K
//! and Q3_K (dequantized or multiplied by candle's reference code, on the
//! file's own bytes).

use candle_core::quantized::GgmlType;
use candle_core::quantized::k_quants::{self, BlockQ2K, BlockQ3K};

use super::TensorType;

/// A run of blocks of one candle-computed type, viewed in place.
pub enum CandleBlocks<'a> {
    F32(&'a [f32]),
    Q2K(&'a [BlockQ2K]),
    Q3K(&'a [BlockQ3K]),
}

impl<'a> CandleBlocks<'a> {
    /// (elements, bytes) of a block of a candle-computed K-quant.
    pub fn block(kind: TensorType) -> Option<(usize, usize)> {
        match kind {
            TensorType::Q2K => Some((BlockQ2K::BLCK_SIZE, std::mem::size_of::<BlockQ2K>())),
            TensorType::Q3K => Some((BlockQ3K::BLCK_SIZE, std::mem::size_of::<BlockQ3K>())),
            _ => None,
        }
    }

    /// Views `bytes` (aligned for the type, whole blocks) as blocks.
    pub fn new(kind: TensorType, bytes: &'a [u8]) -> CandleBlocks<'a> {
        match kind {
            TensorType::F32 => CandleBlocks::F32(cast(bytes)),
            TensorType::Q2K => CandleBlocks::Q2K(cast(bytes)),
            TensorType::Q3K => CandleBlocks::Q3K(cast(bytes)),
            other => panic!("{} is not computed through candle", other.name()),
        }
    }

    pub fn to_float(&self, out: &mut [f32]) {
        match self {
            CandleBlocks::F32(v) => out.copy_from_slice(v),
            CandleBlocks::Q2K(b) => BlockQ2K::to_float(b, out),
            CandleBlocks::Q3K(b) => BlockQ3K::to_float(b, out),
        }
    }

    /// `out = x · selfᵀ` for `dims = (m, k, n)`.
    pub fn matmul(&self, dims: (usize, usize, usize), x: &[f32], out: &mut [f32]) {
        let done = match self {
            CandleBlocks::F32(b) => k_quants::matmul(dims, x, b, out),
            CandleBlocks::Q2K(b) => k_quants::matmul(dims, x, b, out),
            CandleBlocks::Q3K(b) => k_quants::matmul(dims, x, b, out),
        };
        done.expect("shapes checked by Matrix");
    }
}

/// Plain-old-data blocks over bytes.
trait Pod {}
impl Pod for f32 {}
impl Pod for BlockQ2K {}
impl Pod for BlockQ3K {}

fn cast<T: Pod>(bytes: &[u8]) -> &[T] {
    let size = std::mem::size_of::<T>();
    assert_eq!(
        bytes.as_ptr() as usize % std::mem::align_of::<T>(),
        0,
        "block alignment"
    );
    assert_eq!(bytes.len() % size, 0, "whole blocks");
    // SAFETY: the pointer is aligned for T and the length a whole number of
    // T (both asserted above); T is plain old data (f32 or candle's
    // `repr(C)` blocks of integers and halves), for which every bit pattern
    // is a valid value; the borrow keeps the bytes alive and unchanged.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr() as *const T, bytes.len() / size) }
}
