//! Each format's dequantization against candle's reference code, on blocks
//! of random bytes.

use candle_core::quantized::GgmlType;
use candle_core::quantized::k_quants::{
    BlockQ4_0, BlockQ4_1, BlockQ4K, BlockQ5_0, BlockQ5_1, BlockQ5K, BlockQ6K, BlockQ8_0,
};

use super::TensorType;

/// Random bytes, with a valid half-precision number of magnitude 2^-7..2
/// at each of `halves`.
fn random_blocks(n: usize, size: usize, halves: &[usize], seed: u64) -> Vec<u8> {
    let mut s = seed;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) as u32
    };
    let mut bytes: Vec<u8> = (0..n * size).map(|_| next() as u8).collect();
    for block in bytes.chunks_exact_mut(size) {
        for &at in halves {
            let r = next();
            let bits = ((r & 1) << 15) | ((8 + (r >> 1) % 8) << 10) | ((r >> 4) & 0x3ff);
            block[at..at + 2].copy_from_slice(&(bits as u16).to_le_bytes());
        }
    }
    bytes
}

/// candle's dequantization of `bytes` as blocks of `T`.
fn reference<T: GgmlType>(bytes: &[u8]) -> Vec<f32> {
    let size = std::mem::size_of::<T>();
    let n = bytes.len() / size;
    let mut blocks: Vec<T> = (0..n).map(|_| T::zeros()).collect();
    // SAFETY: `blocks` holds exactly `n · size` bytes of plain-old-data
    // blocks (integers and halves, every bit pattern valid), which the copy
    // overwrites whole from a distinct buffer of the same length.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), blocks.as_mut_ptr() as *mut u8, n * size);
    }
    let mut out = vec![0f32; n * T::BLCK_SIZE];
    T::to_float(&blocks, &mut out);
    out
}

fn check<T: GgmlType>(kind: TensorType, halves: &[usize]) {
    let (elements, size) = kind.block().unwrap();
    assert_eq!((elements, size), (T::BLCK_SIZE, std::mem::size_of::<T>()));
    for seed in 0..4 {
        let bytes = random_blocks(5, size, halves, seed);
        let want = reference::<T>(&bytes);
        let mut got = vec![0f32; want.len()];
        kind.dequantize(&bytes, &mut got);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-5 * w.abs().max(1.0),
                "{} element {i}: {g} vs candle's {w}",
                kind.name()
            );
        }
    }
}

#[test]
fn dequantization_matches_candle() {
    check::<BlockQ4_0>(TensorType::Q4_0, &[0]);
    check::<BlockQ4_1>(TensorType::Q4_1, &[0, 2]);
    check::<BlockQ5_0>(TensorType::Q5_0, &[0]);
    check::<BlockQ5_1>(TensorType::Q5_1, &[0, 2]);
    check::<BlockQ8_0>(TensorType::Q8_0, &[0]);
    check::<BlockQ4K>(TensorType::Q4K, &[0, 2]);
    check::<BlockQ5K>(TensorType::Q5K, &[0, 2]);
    check::<BlockQ6K>(TensorType::Q6K, &[208]);
}

#[test]
fn every_id_keeps_its_number_and_name() {
    for id in 0..64 {
        assert_eq!(TensorType::from_id(id).id(), id);
    }
    assert_eq!(TensorType::from_id(17).name(), "IQ2_XS");
    assert_eq!(TensorType::from_id(17), TensorType::Other(17));
    assert_eq!(TensorType::from_id(99).name(), "type 99");
    assert!(TensorType::Other(17).kernel().is_none());
}
