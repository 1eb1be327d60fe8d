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
    Array(Vec<Value>),
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

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// The GGML tensor types, by their on-disk number. Types this build computes
/// with are the ones [`TensorType::block`] knows; every other one is still
/// named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TensorType(pub u32);

impl TensorType {
    pub const F32: TensorType = TensorType(0);
    pub const F16: TensorType = TensorType(1);
    pub const Q4_0: TensorType = TensorType(2);
    pub const Q4_1: TensorType = TensorType(3);
    pub const Q8_0: TensorType = TensorType(8);
    pub const BF16: TensorType = TensorType(30);

    pub fn name(self) -> String {
        let known = [
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
        known
            .get(self.0 as usize)
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("type {}", self.0))
    }

    /// (elements per block, bytes per block) of the types this build reads.
    pub fn block(self) -> Option<(usize, usize)> {
        Some(match self.0 {
            0 => (1, 4),
            1 | 30 => (1, 2),
            2 => (32, 18),
            3 => (32, 20),
            6 => (32, 22),
            7 => (32, 24),
            8 => (32, 34),
            10 => (256, 84),
            11 => (256, 110),
            12 => (256, 144),
            13 => (256, 176),
            14 => (256, 210),
            _ => return None,
        })
    }
}

/// Where one tensor lives in the file.
#[derive(Debug, Clone)]
pub struct TensorInfo {
    pub name: String,
    /// GGML order: the first dimension is the contiguous one.
    pub dims: Vec<u64>,
    pub kind: TensorType,
    /// Absolute offset of the data in the file.
    pub offset: u64,
}

impl TensorInfo {
    pub fn elements(&self) -> u64 {
        self.dims.iter().product()
    }

    /// Bytes of data, for types this build reads.
    pub fn byte_len(&self) -> Option<u64> {
        let (block, size) = self.kind.block()?;
        Some(self.elements() / block as u64 * size as u64)
    }
}

/// A parsed GGUF file: metadata and the tensor directory.
pub struct GgufFile {
    pub path: PathBuf,
    pub metadata: HashMap<String, Value>,
    pub tensors: HashMap<String, TensorInfo>,
    file_len: u64,
}

impl GgufFile {
    pub fn open(path: &Path) -> Result<GgufFile> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let file_len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let mut r = Reader {
            inner: BufReader::new(file),
            path,
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
        let mut metadata = HashMap::new();
        for _ in 0..n_kv {
            let key = r.string()?;
            let kind = r.u32()?;
            let value = r.value(kind, 0)?;
            metadata.insert(key, value);
        }
        let mut infos = Vec::with_capacity(n_tensors as usize);
        for _ in 0..n_tensors {
            let name = r.string()?;
            let n_dims = r.u32()?;
            if n_dims > 4 {
                return Err(r.invalid(&format!("tensor `{name}` has {n_dims} dimensions")));
            }
            let dims = (0..n_dims).map(|_| r.u64()).collect::<Result<Vec<_>>>()?;
            let kind = TensorType(r.u32()?);
            let offset = r.u64()?;
            infos.push(TensorInfo {
                name,
                dims,
                kind,
                offset,
            });
        }
        let alignment = metadata
            .get("general.alignment")
            .and_then(Value::as_u64)
            .unwrap_or(DEFAULT_ALIGNMENT);
        let position = r.inner.stream_position().map_err(|e| Error::io(path, e))?;
        let data_start = position.div_ceil(alignment.max(1)) * alignment.max(1);
        let tensors = infos
            .into_iter()
            .map(|mut t| {
                t.offset += data_start;
                (t.name.clone(), t)
            })
            .collect();
        Ok(GgufFile {
            path: path.to_path_buf(),
            metadata,
            tensors,
            file_len,
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
        let mut worst: Option<&TensorInfo> = None;
        for t in self.tensors.values() {
            let Some(len) = t.byte_len() else { continue };
            if t.offset + len > self.file_len && worst.is_none_or(|w| t.offset < w.offset) {
                worst = Some(t);
            }
        }
        match worst {
            None => Ok(()),
            Some(t) => Err(Error::Invalid {
                path: self.path.clone(),
                field: t.name.clone(),
                message: format!(
                    "the file is truncated: this tensor needs bytes up to {} but the file has {} (download it again)",
                    t.offset + t.byte_len().unwrap_or(0),
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

struct Reader<'a> {
    inner: BufReader<File>,
    path: &'a Path,
}

impl Reader<'_> {
    fn invalid(&self, message: &str) -> Error {
        Error::Invalid {
            path: self.path.to_path_buf(),
            field: "gguf".into(),
            message: message.to_owned(),
        }
    }

    fn bytes(&mut self, buf: &mut [u8]) -> Result<()> {
        self.inner.read_exact(buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                self.invalid("the file is truncated inside its header")
            }
            _ => Error::io(self.path, e),
        })
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
        if len > 1 << 28 {
            return Err(self.invalid("corrupted header (impossible string length)"));
        }
        let mut buf = vec![0u8; len as usize];
        self.bytes(&mut buf)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    fn value(&mut self, kind: u32, depth: u32) -> Result<Value> {
        let mut b8 = [0u8; 8];
        Ok(match kind {
            0 | 1 | 7 => {
                self.bytes(&mut b8[..1])?;
                match kind {
                    0 => Value::Int(b8[0] as i64),
                    1 => Value::Int(b8[0] as i8 as i64),
                    _ => Value::Bool(b8[0] != 0),
                }
            }
            2 | 3 => {
                self.bytes(&mut b8[..2])?;
                let v = [b8[0], b8[1]];
                Value::Int(if kind == 2 {
                    u16::from_le_bytes(v) as i64
                } else {
                    i16::from_le_bytes(v) as i64
                })
            }
            4..=6 => {
                let v = self.u32()?;
                match kind {
                    4 => Value::Int(v as i64),
                    5 => Value::Int(v as i32 as i64),
                    _ => Value::Float(f32::from_bits(v) as f64),
                }
            }
            8 => Value::Str(self.string()?),
            9 => {
                if depth > 2 {
                    return Err(self.invalid("corrupted header (arrays nested too deep)"));
                }
                let inner = self.u32()?;
                let len = self.u64()?;
                if len > 1 << 26 {
                    return Err(self.invalid("corrupted header (impossible array length)"));
                }
                let items = (0..len)
                    .map(|_| self.value(inner, depth + 1))
                    .collect::<Result<Vec<_>>>()?;
                Value::Array(items)
            }
            10 | 11 => {
                let v = self.u64()?;
                Value::Int(v as i64)
            }
            12 => Value::Float(f64::from_bits(self.u64()?)),
            other => {
                return Err(
                    self.invalid(&format!("corrupted header (unknown metadata type {other})"))
                );
            }
        })
    }
}
