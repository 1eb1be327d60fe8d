//! The GGML block formats: which types exist, how many elements and bytes a
//! block of each holds, and how each one's blocks turn back into numbers.
//!
//! Every type is a variant of [`TensorType`] (ids this build cannot compute
//! with are kept as [`TensorType::Other`] and named in errors), and every
//! type this build computes with has one module here implementing
//! [`BlockFormat`]. The matrix products (`matmul`) ask [`TensorType::kernel`]
//! how to compute with a type; the match there has no catch-all arm, so a new
//! type is one module here plus the arms the compiler asks for.
//!
//! The integer kernels of most formats run on [`Sub`] blocks: 32 weights of
//! one block unpacked to bytes, with the scale of each half and an offset.
//! A row of weights is unpacked once and then met by every tile of 8-bit
//! activations (see `matmul`), so the unpacking is paid once per product.

mod candle;
mod q4_0;
mod q4_1;
mod q4_k;
mod q5_0;
mod q5_1;
mod q5_k;
mod q6_k;
mod q8_0;

pub use candle::CandleBlocks;

/// Values of an unpacked [`Sub`] block, and of one block of 8-bit activations.
pub const QK: usize = 32;

/// The GGML tensor types, by their on-disk number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TensorType {
    F32,
    F16,
    BF16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
    /// A type this build does not compute with (`IQ2_XS`, `Q8_K`, …), by
    /// its on-disk number.
    Other(u32),
}

/// The on-disk names of GGML types, by number.
const NAMES: [&str; 40] = [
    "F32",
    "F16",
    "Q4_0",
    "Q4_1",
    "Q4_2",
    "Q4_3",
    "Q5_0",
    "Q5_1",
    "Q8_0",
    "Q8_1",
    "Q2_K",
    "Q3_K",
    "Q4_K",
    "Q5_K",
    "Q6_K",
    "Q8_K",
    "IQ2_XXS",
    "IQ2_XS",
    "IQ3_XXS",
    "IQ1_S",
    "IQ4_NL",
    "IQ3_S",
    "IQ2_S",
    "IQ4_XS",
    "I8",
    "I16",
    "I32",
    "I64",
    "F64",
    "IQ1_M",
    "BF16",
    "Q4_0_4_4",
    "Q4_0_4_8",
    "Q4_0_8_8",
    "TQ1_0",
    "TQ2_0",
    "IQ4_NL_4_4",
    "IQ4_NL_4_8",
    "IQ4_NL_8_8",
    "MXFP4",
];

/// How the matrix products compute with a type.
#[derive(Debug, Clone, Copy)]
pub enum Kernel {
    /// Dedicated integer kernels on the blocks as they are (the hot path
    /// of small llama files).
    Direct(Direct),
    /// Integer kernels on rows unpacked to [`Sub`] blocks.
    Unpacked(Unpacking),
    /// candle's CPU kernels (dense f32, Q2_K, Q3_K).
    Candle,
}

/// The formats with kernels of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direct {
    Q4_0,
    Q4_1,
    Q5_0,
    Q8_0,
}

impl Direct {
    pub fn tensor_type(self) -> TensorType {
        match self {
            Direct::Q4_0 => TensorType::Q4_0,
            Direct::Q4_1 => TensorType::Q4_1,
            Direct::Q5_0 => TensorType::Q5_0,
            Direct::Q8_0 => TensorType::Q8_0,
        }
    }
}

/// How the blocks of a format unpack into [`Sub`] blocks.
#[derive(Debug, Clone, Copy)]
pub struct Unpacking {
    /// Unpacks one block into `elements / 32` sub-blocks.
    pub unpack: fn(&[u8], &mut [Sub]),
    /// Whether the values are signed bytes.
    pub signed: bool,
    pub elements: usize,
    pub bytes: usize,
}

impl TensorType {
    pub fn from_id(id: u32) -> TensorType {
        match id {
            0 => TensorType::F32,
            1 => TensorType::F16,
            2 => TensorType::Q4_0,
            3 => TensorType::Q4_1,
            6 => TensorType::Q5_0,
            7 => TensorType::Q5_1,
            8 => TensorType::Q8_0,
            10 => TensorType::Q2K,
            11 => TensorType::Q3K,
            12 => TensorType::Q4K,
            13 => TensorType::Q5K,
            14 => TensorType::Q6K,
            30 => TensorType::BF16,
            other => TensorType::Other(other),
        }
    }

    pub fn id(self) -> u32 {
        match self {
            TensorType::F32 => 0,
            TensorType::F16 => 1,
            TensorType::Q4_0 => 2,
            TensorType::Q4_1 => 3,
            TensorType::Q5_0 => 6,
            TensorType::Q5_1 => 7,
            TensorType::Q8_0 => 8,
            TensorType::Q2K => 10,
            TensorType::Q3K => 11,
            TensorType::Q4K => 12,
            TensorType::Q5K => 13,
            TensorType::Q6K => 14,
            TensorType::BF16 => 30,
            TensorType::Other(id) => id,
        }
    }

    pub fn name(self) -> String {
        NAMES
            .get(self.id() as usize)
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("type {}", self.id()))
    }

    /// (elements per block, bytes per block), for the types this build reads.
    pub fn block(self) -> Option<(usize, usize)> {
        fn of<B: BlockFormat>() -> Option<(usize, usize)> {
            Some((B::ELEMENTS, B::BYTES))
        }
        match self {
            TensorType::F32 => Some((1, 4)),
            TensorType::F16 | TensorType::BF16 => Some((1, 2)),
            TensorType::Q4_0 => of::<q4_0::Q4_0>(),
            TensorType::Q4_1 => of::<q4_1::Q4_1>(),
            TensorType::Q5_0 => of::<q5_0::Q5_0>(),
            TensorType::Q5_1 => of::<q5_1::Q5_1>(),
            TensorType::Q8_0 => of::<q8_0::Q8_0>(),
            TensorType::Q2K | TensorType::Q3K => CandleBlocks::block(self),
            TensorType::Q4K => of::<q4_k::Q4K>(),
            TensorType::Q5K => of::<q5_k::Q5K>(),
            TensorType::Q6K => of::<q6_k::Q6K>(),
            TensorType::Other(_) => None,
        }
    }

    /// How products with this type are computed; `None` for types held as
    /// f32 once loaded (F16, BF16) and those this build does not compute.
    pub fn kernel(self) -> Option<Kernel> {
        fn unpacked<B: BlockFormat>() -> Option<Kernel> {
            Some(Kernel::Unpacked(Unpacking {
                unpack: B::unpack,
                signed: B::SIGNED,
                elements: B::ELEMENTS,
                bytes: B::BYTES,
            }))
        }
        match self {
            TensorType::Q4_0 => Some(Kernel::Direct(Direct::Q4_0)),
            TensorType::Q4_1 => Some(Kernel::Direct(Direct::Q4_1)),
            TensorType::Q8_0 => Some(Kernel::Direct(Direct::Q8_0)),
            TensorType::Q5_0 => Some(Kernel::Direct(Direct::Q5_0)),
            TensorType::Q5_1 => unpacked::<q5_1::Q5_1>(),
            TensorType::Q4K => unpacked::<q4_k::Q4K>(),
            TensorType::Q5K => unpacked::<q5_k::Q5K>(),
            TensorType::Q6K => unpacked::<q6_k::Q6K>(),
            TensorType::F32 | TensorType::Q2K | TensorType::Q3K => Some(Kernel::Candle),
            TensorType::F16 | TensorType::BF16 | TensorType::Other(_) => None,
        }
    }

    /// Dequantizes whole blocks of this type (`bytes` holds
    /// `out.len() / elements` of them).
    pub fn dequantize(self, bytes: &[u8], out: &mut [f32]) {
        fn each<B: BlockFormat>(bytes: &[u8], out: &mut [f32]) {
            assert_eq!(
                bytes.len() / B::BYTES * B::ELEMENTS,
                out.len(),
                "block count"
            );
            for (b, o) in bytes
                .chunks_exact(B::BYTES)
                .zip(out.chunks_exact_mut(B::ELEMENTS))
            {
                B::dequantize(b, o);
            }
        }
        match self {
            TensorType::Q4_0 => each::<q4_0::Q4_0>(bytes, out),
            TensorType::Q4_1 => each::<q4_1::Q4_1>(bytes, out),
            TensorType::Q5_0 => each::<q5_0::Q5_0>(bytes, out),
            TensorType::Q5_1 => each::<q5_1::Q5_1>(bytes, out),
            TensorType::Q8_0 => each::<q8_0::Q8_0>(bytes, out),
            TensorType::Q4K => each::<q4_k::Q4K>(bytes, out),
            TensorType::Q5K => each::<q5_k::Q5K>(bytes, out),
            TensorType::Q6K => each::<q6_k::Q6K>(bytes, out),
            TensorType::F32 | TensorType::Q2K | TensorType::Q3K => {
                CandleBlocks::new(self, bytes).to_float(out)
            }
            TensorType::F16 => {
                for (o, b) in out.iter_mut().zip(bytes.chunks_exact(2)) {
                    *o = f16_to_f32(u16::from_le_bytes([b[0], b[1]]));
                }
            }
            TensorType::BF16 => {
                for (o, b) in out.iter_mut().zip(bytes.chunks_exact(2)) {
                    *o = f32::from_bits((u16::from_le_bytes([b[0], b[1]]) as u32) << 16);
                }
            }
            TensorType::Other(_) => panic!("{} has no dequantization", self.name()),
        }
    }
}

/// One block format: its geometry and how its blocks unpack.
pub trait BlockFormat {
    /// Elements per block.
    const ELEMENTS: usize;
    /// Bytes per block.
    const BYTES: usize;
    /// Whether the unpacked values are signed bytes (`i8`) rather than
    /// unsigned ones.
    const SIGNED: bool;

    /// Unpacks one block (`BYTES` bytes) into `ELEMENTS / 32` sub-blocks.
    fn unpack(block: &[u8], out: &mut [Sub]);

    /// The values of one block.
    fn dequantize(block: &[u8], out: &mut [f32]) {
        let mut subs = [Sub::ZERO; 8];
        let subs = &mut subs[..Self::ELEMENTS / QK];
        Self::unpack(block, subs);
        for (sub, out) in subs.iter().zip(out.chunks_exact_mut(QK)) {
            sub.values(Self::SIGNED, out);
        }
    }
}

/// 32 weights unpacked for the integer kernels: weight `c` is
/// `scale[c / 16] · q[c] + min`, with `q[c]` read as `i8` for signed formats
/// and as `u8` otherwise.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
pub struct Sub {
    pub q: [u8; QK],
    pub scale: [f32; 2],
    pub min: f32,
}

impl Sub {
    pub const ZERO: Sub = Sub {
        q: [0; QK],
        scale: [0.0; 2],
        min: 0.0,
    };

    fn values(&self, signed: bool, out: &mut [f32]) {
        for (c, (o, &q)) in out.iter_mut().zip(&self.q).enumerate() {
            let q = if signed { q as i8 as f32 } else { q as f32 };
            *o = self.scale[c / 16] * q + self.min;
        }
    }
}

/// IEEE half precision to f32.
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = ((bits >> 15) as u32) << 31;
    let exp = ((bits >> 10) & 0x1f) as u32;
    let man = (bits & 0x3ff) as u32;
    let v = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let shift = man.leading_zeros() - 21;
            let man = (man << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (man << 13)
        }
        (0x1f, _) => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(v)
}

/// The half-precision number at byte `at`.
pub fn half_at(bytes: &[u8], at: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

/// The scale and minimum of sub-block `j` of a Q4_K or Q5_K block, from
/// their 12 packed bytes of 6-bit values.
fn k_scale_min(j: usize, s: &[u8]) -> (u8, u8) {
    if j < 4 {
        (s[j] & 63, s[j + 4] & 63)
    } else {
        (
            (s[j + 4] & 0xf) | ((s[j - 4] >> 6) << 4),
            (s[j + 4] >> 4) | ((s[j] >> 6) << 4),
        )
    }
}

/// The eight sub-blocks of a Q4_K or Q5_K block: scales and minima from
/// the packed bytes after `d` and `dmin`, the low nibbles from `nibbles`
/// (128 bytes, sub-blocks `2j` and `2j + 1` sharing run `j`), and each
/// value's fifth bit, where the format has one, from `high_bit(s, l)`.
fn unpack_k_sub_blocks(
    b: &[u8],
    nibbles: &[u8],
    out: &mut [Sub],
    high_bit: impl Fn(usize, usize) -> u8,
) {
    let (d, dmin) = (half_at(b, 0), half_at(b, 2));
    let scales = &b[4..16];
    for (j, qs) in nibbles.chunks_exact(QK).enumerate() {
        for half in 0..2 {
            let s = 2 * j + half;
            let (sc, m) = k_scale_min(s, scales);
            let sub = &mut out[s];
            sub.scale = [d * sc as f32; 2];
            sub.min = -dmin * m as f32;
            for (l, (q, &byte)) in sub.q.iter_mut().zip(qs).enumerate() {
                *q = ((byte >> (4 * half)) & 0x0f) | (high_bit(s, l) << 4);
            }
        }
    }
}

#[cfg(test)]
mod tests;
