//! What reaches a record from upstream, summarised once per record and
//! shared by every record made from it.
//!
//! A check asks, for each record, which upstream licenses bind it and by
//! which chain. Walking each record's whole lineage again costs the square
//! of the lineage's size (and building every chain on the way its cube).
//! Here each record's summary is computed once, upstreams first, from the
//! summaries of the records it was made from: one entry per distinct
//! obligation profile (the license, and whatever of the record that
//! license's clauses read) and path state, naming the first record in
//! breadth-first order that has it and the edge it is reached by. A record
//! merges its upstreams' summaries; a chain of ids is built only for an
//! entry that yields a finding, by following the edges back.
//!
//! The order is exactly that of a breadth-first walk from the record:
//! shortest distance first, then the lowest edge index at the first hop,
//! then the upstream's own order. So the record cited for each finding, and
//! its chain, are those the walk finds.
//!
//! A record's path state (does the path bind, does it pass through
//! outputs, is it training data, has it passed through a model) changes hop
//! by hop, so a record has one summary per state it is reached in (at most
//! 16, in practice one or two).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::license::catalog::Catalog;
use crate::license::graph::{Hop, LicenseGraph, Node};
use crate::manifest::{Kind, Relation};

/// Path state bits. The path can bind at all (a dataset a model generated
/// is not bound by the model's license).
pub const BINDS: u8 = 1;
/// The path passes through a model's outputs (distillation, or data a model
/// generated).
pub const OUTPUTS: u8 = 2;
/// The node is data a model was trained on (not data derived from data).
pub const TRAINING_DATA: u8 = 4;
/// The path has passed through a model (the subject or a generator).
pub const THROUGH_MODEL: u8 = 8;

/// The state a walk starts in at its subject.
pub fn start(subject: &Node) -> u8 {
    BINDS
        | if subject.kind() == Kind::Model {
            THROUGH_MODEL
        } else {
            0
        }
}

/// The state one hop further upstream.
pub fn step(state: u8, hop: Hop) -> u8 {
    let keep = state & (BINDS | OUTPUTS);
    match hop {
        Hop::Derived(Relation::Distillation) => keep | OUTPUTS | THROUGH_MODEL,
        Hop::Derived(_) => keep | THROUGH_MODEL,
        Hop::TrainedOn => keep | TRAINING_DATA | THROUGH_MODEL,
        Hop::Upstream => state,
        Hop::GeneratedBy if state & THROUGH_MODEL == 0 => THROUGH_MODEL,
        Hop::GeneratedBy => keep | OUTPUTS | THROUGH_MODEL,
    }
}

/// One distinct obligation profile reaching a record, in one path state.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Records with the same profile, reached in the same state, ask the
    /// same of a subject, except what names the record itself (see
    /// `Checker::varies_by_record`).
    pub profile: u32,
    pub state: u8,
    /// The first record in breadth-first order with this profile and state.
    pub origin: u32,
    dist: u32,
    /// The edge it is reached by (`NONE`: the record itself), and its
    /// entry's index in that upstream's summary.
    edge: u32,
    index: u32,
}

const NONE: u32 = u32::MAX;

/// The summaries of every record of a lineage, in each binding state it is
/// reached in (a path that cannot bind never binds again further up).
pub struct Summaries {
    sums: Vec<Vec<(u8, Vec<Entry>)>>,
    profiles: Vec<u32>,
    /// Per record: a dataset that records no source is among it and its
    /// upstreams.
    unsourced: Vec<bool>,
    /// Entries built and merged: the work done, for tests.
    work: AtomicUsize,
}

impl Summaries {
    /// Summarises the records of `order` (upstreams first, as
    /// [`LicenseGraph::upstream_first`] returns them).
    pub fn new(graph: &LicenseGraph, catalog: &Catalog, order: &[usize]) -> Summaries {
        let n = graph.nodes.len();
        let mut out = Summaries {
            sums: vec![Vec::new(); n],
            profiles: profiles(graph, catalog, order),
            unsourced: vec![false; n],
            work: AtomicUsize::new(0),
        };
        // The states each record is reached in from the records made from
        // it: only those summaries are built.
        let mut needed = vec![0u16; n];
        for &node in order.iter().rev() {
            let active = needed[node] | 1 << start(&graph.nodes[node]);
            for state in binding(active) {
                for e in &graph.nodes[node].edges {
                    needed[e.to] |= 1 << step(state, e.hop);
                }
            }
        }
        for &node in order {
            let nd = &graph.nodes[node];
            out.unsourced[node] = (nd.kind() == Kind::Dataset
                && nd.loaded.manifest.source.is_none())
                || nd.edges.iter().any(|e| out.unsourced[e.to]);
            for state in binding(needed[node]) {
                let own = Entry {
                    profile: out.profiles[node],
                    state,
                    origin: node as u32,
                    dist: 0,
                    edge: NONE,
                    index: 0,
                };
                let sum = out.merge(graph, node, state, Some(own));
                out.sums[node].push((state, sum));
            }
        }
        out
    }

    /// What reaches `subject` from its upstreams, in breadth-first order.
    pub fn upstream(&self, graph: &LicenseGraph, subject: usize) -> Vec<Entry> {
        self.merge(graph, subject, start(&graph.nodes[subject]), None)
    }

    /// Whether a dataset that records no source is among `node` and its
    /// upstreams.
    pub fn unsourced(&self, node: usize) -> bool {
        self.unsourced[node]
    }

    /// The chain of records from `subject` to the origin of `entry` (one of
    /// [`Summaries::upstream`]'s), as a breadth-first walk finds it.
    pub fn chain(&self, graph: &LicenseGraph, subject: usize, entry: &Entry) -> Vec<String> {
        let nodes = &graph.nodes;
        let mut chain = vec![nodes[subject].id().to_owned()];
        let (mut node, mut state, mut entry) = (subject, start(&nodes[subject]), *entry);
        while entry.edge != NONE {
            let edge = &nodes[node].edges[entry.edge as usize];
            state = step(state, edge.hop);
            node = edge.to;
            chain.push(format!("{}: {}", edge.hop.label(), nodes[node].id()));
            entry = self.sum(node, state)[entry.index as usize];
        }
        self.work.fetch_add(chain.len(), Ordering::Relaxed);
        chain
    }

    /// Entries built and links of chains followed so far.
    pub fn work(&self) -> usize {
        self.work.load(Ordering::Relaxed)
    }

    fn sum(&self, node: usize, state: u8) -> &[Entry] {
        self.sums[node]
            .iter()
            .find(|(s, _)| *s == state)
            .map(|(_, sum)| sum.as_slice())
            .unwrap_or_default()
    }

    /// `own`, then the summaries of `node`'s upstreams one hop further,
    /// each profile and state once, in breadth-first order.
    fn merge(
        &self,
        graph: &LicenseGraph,
        node: usize,
        state: u8,
        own: Option<Entry>,
    ) -> Vec<Entry> {
        let edges = &graph.nodes[node].edges;
        let mut reached: Vec<Entry> = Vec::new();
        for (i, e) in edges.iter().enumerate() {
            let upstream = self.sum(e.to, step(state, e.hop));
            reached.extend(upstream.iter().enumerate().map(|(j, x)| Entry {
                dist: x.dist + 1,
                edge: i as u32,
                index: j as u32,
                ..*x
            }));
        }
        if edges.len() > 1 {
            reached.sort_by_key(|x| (x.dist, x.edge, x.index));
        }
        self.work.fetch_add(reached.len() + 1, Ordering::Relaxed);
        let mut seen = Seen::with_capacity(reached.len() + 1);
        own.into_iter()
            .chain(reached)
            .filter(|x| seen.insert((x.profile, x.state)))
            .collect()
    }
}

/// The (profile, state) pairs a merge has kept: a list while short, a hash
/// set once long.
enum Seen {
    Few(Vec<(u32, u8)>),
    Many(HashSet<(u32, u8)>),
}

impl Seen {
    fn with_capacity(n: usize) -> Seen {
        if n <= 32 {
            Seen::Few(Vec::with_capacity(n))
        } else {
            Seen::Many(HashSet::with_capacity(n))
        }
    }

    fn insert(&mut self, key: (u32, u8)) -> bool {
        match self {
            Seen::Few(v) if v.contains(&key) => false,
            Seen::Few(v) => {
                v.push(key);
                true
            }
            Seen::Many(h) => h.insert(key),
        }
    }
}

/// The binding states in a bit set of states.
fn binding(set: u16) -> impl Iterator<Item = u8> {
    (0..16u8).filter(move |s| set & 1 << s != 0 && s & BINDS != 0)
}

/// Each record's obligation profile: its kind and license, with the notices
/// and use restrictions only when a license of it reads them. A record
/// whose license is missing or not in the catalog has a profile of its own,
/// since what it asks names it.
fn profiles(graph: &LicenseGraph, catalog: &Catalog, order: &[usize]) -> Vec<u32> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut out = vec![0; graph.nodes.len()];
    for &node in order {
        let a = &graph.nodes[node];
        let key = match &a.license {
            Ok(choices) if choices.licenses().all(|k| catalog.get(k).is_some()) => {
                let terms = || choices.licenses().filter_map(|k| catalog.get(k));
                let notices = terms()
                    .any(|t| t.obligations.notice.is_some() || t.obligations.attribution.is_some());
                let restrictions = terms().any(|t| t.obligations.use_restrictions.is_some());
                let m = &a.loaded.manifest;
                format!(
                    "{:?}\0{:?}\0{:?}\0{:?}",
                    a.kind(),
                    choices.options,
                    notices.then_some(m.license.as_ref().map(|l| &l.notices)),
                    restrictions.then_some(m.model.as_ref().map(|x| &x.use_restrictions)),
                )
            }
            _ => format!("\0record {node}"),
        };
        let next = ids.len() as u32;
        out[node] = *ids.entry(key).or_insert(next);
    }
    out
}
