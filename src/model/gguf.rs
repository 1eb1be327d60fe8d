//! Reading GGUF files: the metadata, the tensor directory, and tensor bytes.
//!
//! Written here rather than taken from candle's `gguf_file` so that a file
//! holding a tensor type this build cannot compute with is reported by the
//! type's name (`IQ2_XS`), and so that a truncated file is caught before any
//! weight is used.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const MAGIC: &[u8; 4] = b"GGUF";
const DEFAULT_ALIGNMENT: u64 = 32;

/// One metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Array(Array),
}

/// A metadata array. Numbers and booleans stay in their on-disk bytes, so an
/// array costs what it takes in the file and no more (a `Value` per element
/// would cost 32 bytes for each byte of a `u8` array).
#[derive(Debug, Clone, PartialEq)]
pub enum Array {
    /// Elements of one fixed-size type (its GGUF type number), little-endian.
    Packed { kind: u32, raw: Vec<u8> },
    /// Strings and nested arrays.
    Values(Vec<Value>),
}

impl Array {
    pub fn len(&self) -> usize {
        match self {
            Array::Packed { kind, raw } => raw.len() / fixed_width(*kind).unwrap_or(1),
            Array::Values(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<Value> {
        match self {
            Array::Packed { kind, raw } => {
                let width = fixed_width(*kind)?;
                let bytes = raw.get(i.checked_mul(width)?..(i + 1).checked_mul(width)?)?;
                Some(scalar(*kind, bytes))
            }
            Array::Values(v) => v.get(i).cloned(),
        }
    }

    /// The elements, decoded one by one.
    pub fn iter(&self) -> impl Iterator<Item = Value> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Bytes of one value of a fixed-size metadata type.
fn fixed_width(kind: u32) -> Option<usize> {
    match kind {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

/// Decodes a fixed-size value from exactly `fixed_width(kind)` bytes.
fn scalar(kind: u32, b: &[u8]) -> Value {
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    let (u16v, u32v, u64v) = (
        u16::from_le_bytes([w[0], w[1]]),
        u32::from_le_bytes([w[0], w[1], w[2], w[3]]),
        u64::from_le_bytes(w),
    );
    match kind {
        0 => Value::Int(w[0] as i64),
        1 => Value::Int(w[0] as i8 as i64),
        7 => Value::Bool(w[0] != 0),
        2 => Value::Int(u16v as i64),
        3 => Value::Int(u16v as i16 as i64),
        4 => Value::Int(u32v as i64),
        5 => Value::Int(u32v as i32 as i64),
        6 => Value::Float(f32::from_bits(u32v) as f64),
        12 => Value::Float(f64::from_bits(u64v)),
        _ => Value::Int(u64v as i64),
    }
}

impl Value {
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
}

pub use super::quant::TensorType;

/// Where one tensor lives in the file.
#[derive(Debug, Clone)]
pub struct TensorInfo {
    pub name: String,
    /// GGML order: the first dimension is the contiguous one.
    pub dims: Vec<u64>,
    pub kind: TensorType,
    /// Absolute offset of the data in the file.
    pub offset: u64,
    elements: u64,
    byte_len: Option<u64>,
}

impl TensorInfo {
    pub fn elements(&self) -> u64 {
        self.elements
    }

    /// Bytes of data, for types this build reads.
    pub fn byte_len(&self) -> Option<u64> {
        self.byte_len
    }
}

/// The most elements one tensor may have (2^40: far beyond any open model's
/// largest matrix, far below where byte counts overflow).
const MAX_TENSOR_ELEMENTS: u64 = 1 << 40;
/// The largest alignment accepted for tensor data.
const MAX_ALIGNMENT: u64 = 1 << 20;

/// A parsed GGUF file: metadata and the tensor directory.
pub struct GgufFile {
    pub path: PathBuf,
    pub metadata: HashMap<String, Value>,
    pub tensors: HashMap<String, TensorInfo>,
    file_len: u64,
}

/// One entry of the tensor table as the file states it.
struct RawTensor {
    name: String,
    dims: Vec<u64>,
    kind: TensorType,
    offset: u64,
}

impl GgufFile {
    /// Parses the header, metadata and tensor table. Every count, length and
    /// offset is checked against what the rest of the file can hold before
    /// anything is allocated for it, so memory stays within a small factor
    /// of the file's size whatever the header claims.
    pub fn open(path: &Path) -> Result<GgufFile> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let file_len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        GgufFile::read_from(path, BufReader::new(file), file_len)
    }

    /// Parses a GGUF file of `file_len` bytes from `source`; `path` names it
    /// in errors (and is where tensor data is read from later).
    pub fn read_from(path: &Path, source: impl Read, file_len: u64) -> Result<GgufFile> {
        let mut r = Reader {
            inner: source,
            path,
            position: 0,
            len: file_len,
        };
        let mut magic = [0u8; 4];
        r.bytes(&mut magic)?;
        if &magic != MAGIC {
            return Err(r.invalid("not a GGUF file (bad magic number)"));
        }
        let version = r.u32()?;
        if !(2..=3).contains(&version) {
            return Err(r.invalid(&format!(
                "GGUF version {version} is not supported (2 and 3 are)"
            )));
        }
        let n_tensors = r.u64()?;
        let n_kv = r.u64()?;
        if n_tensors > 1 << 24 || n_kv > 1 << 24 {
            return Err(r.invalid("corrupted header (impossible tensor or metadata count)"));
        }
        // A metadata entry takes at least 13 bytes (key length, type, one
        // byte of value), a tensor entry at least 24.
        r.room_for(n_kv, 13, "metadata count")?;
        r.room_for(n_tensors, 24, "tensor count")?;
        let mut metadata = HashMap::new();
        for _ in 0..n_kv {
            let key = r.string()?;
            let kind = r.u32()?;
            let value = r.value(kind, 0)?;
            metadata.insert(key, value);
        }
        let mut raw = Vec::with_capacity(n_tensors as usize);
        for _ in 0..n_tensors {
            let name = r.string()?;
            let n_dims = r.u32()?;
            if n_dims > 4 {
                return Err(r.invalid(&format!("tensor `{name}` has {n_dims} dimensions")));
            }
            let dims = (0..n_dims).map(|_| r.u64()).collect::<Result<Vec<_>>>()?;
            let kind = TensorType::from_id(r.u32()?);
            let offset = r.u64()?;
            raw.push(RawTensor {
                name,
                dims,
                kind,
                offset,
            });
        }
        let mut file = GgufFile {
            path: path.to_path_buf(),
            metadata,
            tensors: HashMap::new(),
            file_len,
        };
        let alignment = file.alignment()?;
        let data_start = r.position.div_ceil(alignment) * alignment;
        for t in raw {
            let info = file.place(t, data_start, alignment)?;
            if file.tensors.contains_key(&info.name) {
                return Err(file.invalid_key(&info.name, "this tensor is listed twice"));
            }
            file.tensors.insert(info.name.clone(), info);
        }
        Ok(file)
    }

    /// `general.alignment`: a power of two, 32 when absent.
    fn alignment(&self) -> Result<u64> {
        let Some(value) = self.get("general.alignment") else {
            return Ok(DEFAULT_ALIGNMENT);
        };
        value
            .as_u64()
            .filter(|a| a.is_power_of_two() && *a <= MAX_ALIGNMENT)
            .ok_or_else(|| {
                self.invalid_key(
                    "general.alignment",
                    &format!(
                        "{value:?} is not a power of two up to {MAX_ALIGNMENT}; the file is corrupted"
                    ),
                )
            })
    }

    /// Checks a tensor entry's shape and offset and makes its offset absolute.
    fn place(&self, t: RawTensor, data_start: u64, alignment: u64) -> Result<TensorInfo> {
        let bad = |message: String| self.invalid_key(&t.name, &message);
        if t.dims.contains(&0) {
            return Err(bad(format!("has an empty dimension {:?}", t.dims)));
        }
        let elements = t
            .dims
            .iter()
            .try_fold(1u64, |n, &d| n.checked_mul(d))
            .filter(|&n| n <= MAX_TENSOR_ELEMENTS)
            .ok_or_else(|| {
                bad(format!(
                    "dimensions {:?} exceed {MAX_TENSOR_ELEMENTS} elements",
                    t.dims
                ))
            })?;
        let byte_len = match t.kind.block() {
            None => None,
            Some((block, size)) => {
                let row = t.dims.first().copied().unwrap_or(1);
                if !row.is_multiple_of(block as u64) {
                    return Err(bad(format!(
                        "{} data needs rows that are a multiple of {block} elements, not {row}",
                        t.kind.name()
                    )));
                }
                Some(elements / block as u64 * size as u64)
            }
        };
        if !t.offset.is_multiple_of(alignment) {
            return Err(bad(format!(
                "data offset {} is not a multiple of the alignment {alignment}",
                t.offset
            )));
        }
        let offset = data_start
            .checked_add(t.offset)
            .filter(|o| o.checked_add(byte_len.unwrap_or(0)).is_some())
            .ok_or_else(|| bad(format!("data offset {} is impossible", t.offset)))?;
        Ok(TensorInfo {
            name: t.name,
            dims: t.dims,
            kind: t.kind,
            offset,
            elements,
            byte_len,
        })
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.metadata.get(key)
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    pub fn u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }

    pub fn f64(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }

    /// A required metadata number, or an error naming the key.
    pub fn require_u64(&self, key: &str) -> Result<u64> {
        self.u64(key)
            .ok_or_else(|| self.invalid_key(key, "is missing or not an integer"))
    }

    pub fn invalid_key(&self, key: &str, message: &str) -> Error {
        Error::Invalid {
            path: self.path.clone(),
            field: key.to_owned(),
            message: message.to_owned(),
        }
    }

    /// Checks that every tensor's data lies inside the file: a truncated
    /// download fails here, before loading, with the first tensor cut off.
    pub fn check_complete(&self) -> Result<()> {
        let end = |t: &TensorInfo| t.offset.saturating_add(t.byte_len.unwrap_or(0));
        let worst = self
            .tensors
            .values()
            .filter(|t| t.byte_len.is_some() && end(t) > self.file_len)
            .min_by_key(|t| t.offset);
        match worst {
            None => Ok(()),
            Some(t) => Err(Error::Invalid {
                path: self.path.clone(),
                field: t.name.clone(),
                message: format!(
                    "the file is truncated: this tensor needs bytes up to {} but the file has {} (download it again)",
                    end(t),
                    self.file_len
                ),
            }),
        }
    }

    /// Reads a tensor's raw bytes into `dst` (exactly its byte length).
    pub fn read_into(&self, file: &mut File, info: &TensorInfo, dst: &mut [u8]) -> Result<()> {
        file.seek(SeekFrom::Start(info.offset))
            .map_err(|e| Error::io(&self.path, e))?;
        file.read_exact(dst).map_err(|e| Error::io(&self.path, e))
    }
}

struct Reader<'a, R> {
    inner: R,
    path: &'a Path,
    /// Bytes read so far.
    position: u64,
    /// The file's length.
    len: u64,
}

impl<R: Read> Reader<'_, R> {
    fn invalid(&self, message: &str) -> Error {
        Error::Invalid {
            path: self.path.to_path_buf(),
            field: "gguf".into(),
            message: message.to_owned(),
        }
    }

    /// Refuses a count of items of at least `each` bytes that the rest of
    /// the file cannot hold.
    fn room_for(&self, count: u64, each: u64, what: &str) -> Result<()> {
        let left = self.len.saturating_sub(self.position);
        match count.checked_mul(each) {
            Some(need) if need <= left => Ok(()),
            _ => Err(self.invalid(&format!(
                "the file is truncated or corrupted: its {what} {count} needs more than the {left} bytes left in the file"
            ))),
        }
    }

    fn bytes(&mut self, buf: &mut [u8]) -> Result<()> {
        self.inner.read_exact(buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                self.invalid("the file is truncated inside its header")
            }
            _ => Error::io(self.path, e),
        })?;
        self.position += buf.len() as u64;
        Ok(())
    }

    /// `len` bytes, allocated only once they are known to be in the file.
    fn vec(&mut self, len: u64, what: &str) -> Result<Vec<u8>> {
        self.room_for(len, 1, what)?;
        let mut buf = vec![0u8; len as usize];
        self.bytes(&mut buf)?;
        Ok(buf)
    }

    fn u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn string(&mut self) -> Result<String> {
        let len = self.u64()?;
        let buf = self.vec(len, "string length")?;
        Ok(match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    fn value(&mut self, kind: u32, depth: u32) -> Result<Value> {
        if let Some(width) = fixed_width(kind) {
            let mut b = [0u8; 8];
            self.bytes(&mut b[..width])?;
            return Ok(scalar(kind, &b[..width]));
        }
        match kind {
            8 => Ok(Value::Str(self.string()?)),
            9 => {
                if depth > 2 {
                    return Err(self.invalid("corrupted header (arrays nested too deep)"));
                }
                let inner = self.u32()?;
                let len = self.u64()?;
                if let Some(width) = fixed_width(inner) {
                    let bytes = len.saturating_mul(width as u64);
                    let raw = self.vec(bytes, "array length")?;
                    return Ok(Value::Array(Array::Packed { kind: inner, raw }));
                }
                // A string takes at least 8 bytes, a nested array 12.
                self.room_for(len, 8, "array length")?;
                let items = (0..len)
                    .map(|_| self.value(inner, depth + 1))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Value::Array(Array::Values(items)))
            }
            other => {
                Err(self.invalid(&format!("corrupted header (unknown metadata type {other})")))
            }
        }
    }
}
