//! The lineage as a compliance check sees it: records indexed once, each
//! reference typed by what it means for licensing (derived weights,
//! training data, derived data, generated data), and every record's license
//! parsed once, so that checking thousands of records walks integers, not
//! strings.

use std::collections::{HashMap, HashSet};

use crate::commons::Loaded;
use crate::license::catalog::normalise;
use crate::license::expression::Choices;
use crate::manifest::{Kind, RefKind, Relation};

/// What a reference means for the record that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hop {
    /// A model made from another model's weights.
    Derived(Relation),
    /// A model trained on a dataset.
    TrainedOn,
    /// A dataset derived from another dataset.
    Upstream,
    /// A dataset made of a model's outputs.
    GeneratedBy,
}

impl Hop {
    pub fn label(self) -> &'static str {
        match self {
            Hop::Derived(r) => r.as_str(),
            Hop::TrainedOn => "trained-on",
            Hop::Upstream => "upstream",
            Hop::GeneratedBy => "generated-by",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub to: usize,
    pub hop: Hop,
    /// The manifest field that makes the reference, e.g. `model.trained_on[0]`.
    pub field: String,
}

/// A reference to a record this commons does not hold, or does not pin.
#[derive(Debug, Clone)]
pub struct Dangling {
    pub field: String,
    pub id: String,
    pub reason: &'static str,
}

pub struct Node<'a> {
    pub loaded: &'a Loaded,
    pub edges: Vec<Edge>,
    pub dangling: Vec<Dangling>,
    /// The parsed license, or why there is none.
    pub license: Result<Choices, String>,
    /// Its notices, normalised for comparison (see `catalog::normalise`).
    pub notices: Vec<String>,
    /// Its id and title, normalised: what a credit must mention.
    pub names: Vec<String>,
}

impl Node<'_> {
    pub fn id(&self) -> &str {
        &self.loaded.manifest.id
    }

    pub fn kind(&self) -> Kind {
        self.loaded.manifest.kind
    }

    /// The title, else the id.
    pub fn title(&self) -> &str {
        self.loaded.manifest.title.as_deref().unwrap_or(self.id())
    }
}

/// A lineage that cannot be checked.
#[derive(Debug, thiserror::Error)]
pub enum LineageError {
    #[error("lineage cycle: {}; a record cannot descend from itself: fix the references in these manifests", .0.join(" -> "))]
    Cycle(Vec<String>),
}

pub struct LicenseGraph<'a> {
    pub nodes: Vec<Node<'a>>,
    index: HashMap<&'a str, usize>,
    /// Models that have at least one evaluation recorded.
    evaluated: HashSet<&'a str>,
}

impl<'a> LicenseGraph<'a> {
    /// Indexes the models and datasets among `loaded`; evaluations count
    /// only as evidence that a model was evaluated.
    pub fn new(loaded: &'a [Loaded]) -> LicenseGraph<'a> {
        let mut index = HashMap::with_capacity(loaded.len());
        let mut evaluated = HashSet::new();
        let mut members = Vec::with_capacity(loaded.len());
        for l in loaded {
            match (&l.manifest.kind, &l.manifest.eval) {
                (Kind::Eval, Some(e)) => {
                    evaluated.insert(e.model.id.as_str());
                }
                (Kind::Eval, None) => {}
                _ => {
                    index.insert(l.manifest.id.as_str(), members.len());
                    members.push(l);
                }
            }
        }
        let nodes = {
            use rayon::prelude::*;
            members.par_iter().map(|l| node(l, &index)).collect()
        };
        LicenseGraph {
            nodes,
            index,
            evaluated,
        }
    }

    pub fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn was_evaluated(&self, id: &str) -> bool {
        self.evaluated.contains(id)
    }

    /// Checks that the lineage upstream of `roots` can be walked (no
    /// cycle) and returns every record of it, upstreams before the records
    /// made from them. The walk keeps its own stack, so a lineage of any
    /// depth is walked without recursion. (A pin that does not match is a
    /// finding: see [`crate::pins`].)
    pub fn upstream_first(&self, roots: &[usize]) -> Result<Vec<usize>, LineageError> {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; self.nodes.len()];
        let mut path: Vec<usize> = Vec::new();
        let mut order = Vec::new();
        for &root in roots {
            if state[root] != NEW {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = OPEN;
            path.push(root);
            while let Some(&mut (n, ref mut next)) = stack.last_mut() {
                let Some(edge) = self.nodes[n].edges.get(*next) else {
                    state[n] = DONE;
                    order.push(n);
                    stack.pop();
                    path.pop();
                    continue;
                };
                *next += 1;
                match state[edge.to] {
                    NEW => {
                        state[edge.to] = OPEN;
                        stack.push((edge.to, 0));
                        path.push(edge.to);
                    }
                    OPEN => {
                        let start = path.iter().position(|&p| p == edge.to).unwrap_or(0);
                        let mut cycle: Vec<String> = path[start..]
                            .iter()
                            .map(|&p| self.nodes[p].id().to_owned())
                            .collect();
                        cycle.push(self.nodes[edge.to].id().to_owned());
                        return Err(LineageError::Cycle(cycle));
                    }
                    _ => {}
                }
            }
        }
        Ok(order)
    }
}

fn node<'a>(l: &'a Loaded, index: &HashMap<&'a str, usize>) -> Node<'a> {
    let m = &l.manifest;
    // Evaluations are not part of a lineage: only models' and datasets'
    // references are edges here.
    let refs = m.references().into_iter().filter_map(|r| {
        let hop = match r.kind {
            RefKind::BaseModel(relation) => Hop::Derived(relation),
            RefKind::TrainedOn(_) => Hop::TrainedOn,
            RefKind::UpstreamData => Hop::Upstream,
            RefKind::GeneratedBy => Hop::GeneratedBy,
            RefKind::Evaluates | RefKind::TestedOn => return None,
        };
        Some((r.field, r.id, r.digest, hop))
    });
    let mut edges = Vec::new();
    let mut dangling = Vec::new();
    for (field, id, digest, hop) in refs {
        match index.get(id) {
            None => dangling.push(Dangling {
                field,
                id: id.to_owned(),
                reason: "is not recorded in this commons",
            }),
            Some(&to) => {
                if digest.is_none() {
                    dangling.push(Dangling {
                        field: field.clone(),
                        id: id.to_owned(),
                        reason: "is not pinned by digest",
                    });
                }
                edges.push(Edge { to, hop, field });
            }
        }
    }
    if let Some(model) = &m.model {
        for (i, u) in model.unresolved.iter().enumerate() {
            dangling.push(Dangling {
                field: format!("model.unresolved[{i}]"),
                id: unresolved_id(u).to_owned(),
                reason: "was named by the model card but could not be resolved",
            });
        }
    }
    let license = match &m.license {
        None => Err("records no license".to_owned()),
        Some(lic) => Choices::parse(&lic.expression),
    };
    let notices = m
        .license
        .iter()
        .flat_map(|l| &l.notices)
        .map(|n| normalise(n))
        .collect();
    let names = std::iter::once(&m.id)
        .chain(&m.title)
        .map(|n| normalise(n))
        .collect();
    Node {
        loaded: l,
        edges,
        dangling,
        license,
        notices,
        names,
    }
}

/// The record id an entry of `model.unresolved` names: entries are written
/// `derived_from: ID (relation)` or `trained_on: ID`.
fn unresolved_id(entry: &str) -> &str {
    let named = entry.split_once(": ").map_or(entry, |(_, id)| id);
    named.split_once(" (").map_or(named, |(id, _)| id).trim()
}
