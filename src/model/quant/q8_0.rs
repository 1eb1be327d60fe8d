//! Q8_0: 32 signed bytes `q` and a half-precision scale `d`; weight `d · q`.

use super::{BlockFormat, QK, Sub, half_at};

pub struct Q8_0;

impl BlockFormat for Q8_0 {
    const ELEMENTS: usize = QK;
    const BYTES: usize = 34;
    const SIGNED: bool = true;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let d = half_at(b, 0);
        let mut q = [0u8; QK];
        q.copy_from_slice(&b[2..34]);
        out[0] = Sub {
            q,
            scale: [d; 2],
            min: 0.0,
        };
    }
}
