//! The records of a commons indexed once: by id, the evaluations of each
//! model, and the lineage upstream of a record. What the exports and the
//! openness assessment read, so each walks integers and hash lookups, not
//! the whole list again per record.

use std::collections::HashMap;

use crate::commons::Loaded;
use crate::manifest::{Kind, ManifestRef, RefKind};

pub struct RecordSet<'a> {
    pub all: &'a [Loaded],
    by_id: HashMap<&'a str, usize>,
    evals: HashMap<&'a str, Vec<usize>>,
}

impl<'a> RecordSet<'a> {
    pub fn new(all: &'a [Loaded]) -> RecordSet<'a> {
        let mut by_id = HashMap::with_capacity(all.len());
        let mut evals: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, l) in all.iter().enumerate() {
            by_id.insert(l.manifest.id.as_str(), i);
            if let Some(e) = &l.manifest.eval {
                evals.entry(e.model.id.as_str()).or_default().push(i);
            }
        }
        RecordSet { all, by_id, evals }
    }

    pub fn get(&self, id: &str) -> Option<&'a Loaded> {
        self.by_id.get(id).map(|&i| &self.all[i])
    }

    /// The evaluation records of a model, in the commons' order.
    pub fn evals_of(&self, model: &str) -> impl Iterator<Item = &'a Loaded> + '_ {
        self.evals
            .get(model)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }

    /// `root` and every record upstream of it (base models, training data,
    /// generating models, upstream data), each once, root first, then in
    /// the order they are reached. Evaluations of the models reached are
    /// included when `with_evals`; references to records this commons does
    /// not hold are skipped (verify reports them).
    pub fn lineage(&self, root: &'a Loaded, with_evals: bool) -> Vec<&'a Loaded> {
        let mut seen = vec![false; self.all.len()];
        let mut out = Vec::new();
        let mut stack = vec![root];
        if let Some(&i) = self.by_id.get(root.manifest.id.as_str()) {
            seen[i] = true;
        }
        while let Some(l) = stack.pop() {
            out.push(l);
            let evals = with_evals
                .then(|| self.evals.get(l.manifest.id.as_str()))
                .flatten();
            let upstream = l
                .manifest
                .references()
                .into_iter()
                .filter_map(|r| self.by_id.get(r.id).copied());
            for i in upstream.chain(evals.into_iter().flatten().copied()) {
                if !std::mem::replace(&mut seen[i], true) {
                    stack.push(&self.all[i]);
                }
            }
        }
        out
    }

    /// The base models of `model`, transitively (not including it), each
    /// once, nearest first.
    pub fn ancestors(&self, model: &'a Loaded) -> Vec<(&'a Loaded, ManifestRef<'a>)> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut queue = std::collections::VecDeque::from([model]);
        while let Some(l) = queue.pop_front() {
            for r in l.manifest.references() {
                if !matches!(r.kind, RefKind::BaseModel(_)) || !seen.insert(r.id) {
                    continue;
                }
                if let Some(up) = self.get(r.id) {
                    queue.push_back(up);
                    out.push((up, r));
                }
            }
        }
        out
    }

    /// The datasets `model` and its base models were trained on, each once.
    pub fn training_data(&self, model: &'a Loaded) -> Vec<(ManifestRef<'a>, Option<&'a Loaded>)> {
        let mut seen = std::collections::HashSet::new();
        let models =
            std::iter::once(model).chain(self.ancestors(model).into_iter().map(|(l, _)| l));
        let mut out = Vec::new();
        for m in models {
            for r in m.manifest.references() {
                if matches!(r.kind, RefKind::TrainedOn(_)) && seen.insert(r.id) {
                    let record = self.get(r.id).filter(|l| l.manifest.kind == Kind::Dataset);
                    out.push((r, record));
                }
            }
        }
        out
    }
}
