//! Assembling a [`Transformer`] from a file's tensors.
//!
//! Tensors are asked for by their GGUF names (`blk.3.attn_q.weight`); a
//! safetensors folder maps those onto Hugging Face names. Every tensor's shape
//! is checked against the configuration, so a file that does not match its
//! metadata fails here, naming the tensor, rather than computing garbage.

use std::fs::File;
use std::path::{Path, PathBuf};

use candle_core::safetensors::MmapedSafetensors;
use candle_core::{DType, Device};

use super::error::ModelError;
use super::gguf::{GgufFile, TensorType};
use super::matmul::Matrix;
use crate::error::{Error, Result};

/// Where weights come from.
pub trait WeightSource {
    fn has(&self, name: &str) -> bool;
    /// A `rows × cols` matrix (rows are output features).
    fn matrix(&mut self, name: &str, rows: usize, cols: usize) -> Result<Matrix>;
    fn vector(&mut self, name: &str, len: usize) -> Result<Vec<f32>>;
}

fn shape_error(path: &Path, name: &str, want: String, got: String) -> Error {
    ModelError::Shape {
        path: path.to_path_buf(),
        tensor: name.to_owned(),
        want,
        got,
    }
    .into()
}

fn missing(path: &Path, name: &str) -> Error {
    ModelError::MissingTensor {
        path: path.to_path_buf(),
        tensor: name.to_owned(),
    }
    .into()
}

/// Tensors of a GGUF file, read straight into their blocks.
pub struct GgufWeights<'a> {
    file: &'a GgufFile,
    handle: File,
}

impl<'a> GgufWeights<'a> {
    pub fn new(file: &'a GgufFile) -> Result<GgufWeights<'a>> {
        file.check_complete()?;
        let handle = File::open(&file.path).map_err(|e| Error::io(&file.path, e))?;
        Ok(GgufWeights { file, handle })
    }

    fn info(&self, name: &str) -> Result<&'a super::gguf::TensorInfo> {
        self.file
            .tensors
            .get(name)
            .ok_or_else(|| missing(&self.file.path, name))
    }

    fn raw(&mut self, info: &super::gguf::TensorInfo) -> Result<Vec<u8>> {
        let len = info
            .byte_len()
            .ok_or_else(|| unsupported(&self.file.path, info))? as usize;
        let mut buf = vec![0u8; len];
        self.file.read_into(&mut self.handle, info, &mut buf)?;
        Ok(buf)
    }

    fn floats(&mut self, info: &super::gguf::TensorInfo) -> Result<Vec<f32>> {
        let raw = self.raw(info)?;
        if info.kind.block().is_none_or(|(elements, _)| elements != 1) {
            return Err(unsupported(&self.file.path, info));
        }
        let mut out = vec![0f32; info.elements() as usize];
        info.kind.dequantize(&raw, &mut out);
        Ok(out)
    }
}

fn unsupported(path: &Path, info: &super::gguf::TensorInfo) -> Error {
    ModelError::UnsupportedType {
        path: path.to_path_buf(),
        tensor: info.name.clone(),
        message: format!(
            "unsupported quantization type {} for this tensor",
            info.kind.name()
        ),
    }
    .into()
}

impl WeightSource for GgufWeights<'_> {
    fn has(&self, name: &str) -> bool {
        self.file.tensors.contains_key(name)
    }

    fn matrix(&mut self, name: &str, rows: usize, cols: usize) -> Result<Matrix> {
        let info = self.info(name)?;
        if info.dims != [cols as u64, rows as u64] {
            return Err(shape_error(
                &self.file.path,
                name,
                format!("[{cols}, {rows}]"),
                format!("{:?}", info.dims),
            ));
        }
        if matches!(info.kind, TensorType::F16 | TensorType::BF16) {
            return Ok(Matrix::from_f32(rows, cols, &self.floats(info)?));
        }
        let mut m =
            Matrix::zeroed(info.kind, rows, cols).map_err(|e| ModelError::UnsupportedType {
                path: self.file.path.clone(),
                tensor: name.to_owned(),
                message: e.to_string(),
            })?;
        m.fill_ggml(|bytes| self.file.read_into(&mut self.handle, info, bytes))?;
        Ok(m)
    }

    fn vector(&mut self, name: &str, len: usize) -> Result<Vec<f32>> {
        let info = self.info(name)?;
        if info.elements() != len as u64 {
            return Err(shape_error(
                &self.file.path,
                name,
                format!("[{len}]"),
                format!("{:?}", info.dims),
            ));
        }
        self.floats(info)
    }
}

/// Tensors of one or more safetensors files (memory-mapped), under Hugging
/// Face llama names.
pub struct SafetensorsWeights {
    path: PathBuf,
    tensors: MmapedSafetensors,
    names: std::collections::HashSet<String>,
}

impl SafetensorsWeights {
    pub fn open(folder: &Path, files: &[PathBuf]) -> Result<SafetensorsWeights> {
        // SAFETY: the files are opened read-only; like every mmap reader we
        // rely on nobody truncating them while the model loads.
        let tensors = unsafe { MmapedSafetensors::multi(files) }.map_err(|e| Error::Invalid {
            path: files
                .first()
                .cloned()
                .unwrap_or_else(|| folder.to_path_buf()),
            field: "safetensors".into(),
            message: format!("corrupted or truncated weights: {e}"),
        })?;
        let names = tensors.tensors().into_iter().map(|(n, _)| n).collect();
        Ok(SafetensorsWeights {
            path: folder.to_path_buf(),
            tensors,
            names,
        })
    }

    fn hf_name(name: &str) -> String {
        let fixed = match name {
            "token_embd.weight" => return "model.embed_tokens.weight".into(),
            "output_norm.weight" => return "model.norm.weight".into(),
            "output.weight" => return "lm_head.weight".into(),
            other => other,
        };
        let Some(rest) = fixed.strip_prefix("blk.") else {
            return fixed.to_owned();
        };
        let (layer, part) = rest.split_once('.').unwrap_or((rest, ""));
        let part = part
            .replace("attn_q_norm.", "self_attn.q_norm.")
            .replace("attn_k_norm.", "self_attn.k_norm.")
            .replace("post_attention_norm.", "post_attention_layernorm.")
            .replace("post_ffw_norm.", "post_feedforward_layernorm.")
            .replace("attn_norm.", "input_layernorm.")
            .replace("ffn_norm.", "post_attention_layernorm.")
            .replace("attn_q.", "self_attn.q_proj.")
            .replace("attn_k.", "self_attn.k_proj.")
            .replace("attn_v.", "self_attn.v_proj.")
            .replace("attn_output.", "self_attn.o_proj.")
            .replace("ffn_gate.", "mlp.gate_proj.")
            .replace("ffn_up.", "mlp.up_proj.")
            .replace("ffn_down.", "mlp.down_proj.");
        format!("model.layers.{layer}.{part}")
    }

    fn load(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
        let hf = Self::hf_name(name);
        if !self.names.contains(&hf) {
            return Err(missing(&self.path, &hf));
        }
        let bad = |e: candle_core::Error| Error::Invalid {
            path: self.path.clone(),
            field: hf.clone(),
            message: format!("corrupted or truncated weights: {e}"),
        };
        let t = self.tensors.load(&hf, &Device::Cpu).map_err(bad)?;
        if t.dims() != shape {
            return Err(shape_error(
                &self.path,
                &hf,
                format!("{shape:?}"),
                format!("{:?}", t.dims()),
            ));
        }
        t.to_dtype(DType::F32)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1::<f32>())
            .map_err(bad)
    }
}

impl WeightSource for SafetensorsWeights {
    fn has(&self, name: &str) -> bool {
        self.names.contains(&Self::hf_name(name))
    }

    fn matrix(&mut self, name: &str, rows: usize, cols: usize) -> Result<Matrix> {
        Ok(Matrix::from_f32(
            rows,
            cols,
            &self.load(name, &[rows, cols])?,
        ))
    }

    fn vector(&mut self, name: &str, len: usize) -> Result<Vec<f32>> {
        self.load(name, &[len])
    }
}
