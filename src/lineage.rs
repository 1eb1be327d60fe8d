//! The lineage graph: which records each record was made from.
//!
//! Edges point from a record to its upstreams (base models, training data,
//! generating models). Rendering walks upstream from one record; a cycle is
//! reported, never followed forever.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::commons::Loaded;

/// How many levels of upstreams a text tree draws.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub kind: String,
    pub license: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub to: String,
    /// `fine-tune`, `trained-on`, `generated-by`, `upstream`, `evaluates`, …
    pub label: String,
}

#[derive(Debug, Default)]
pub struct LineageGraph {
    pub nodes: BTreeMap<String, Node>,
    pub edges: BTreeMap<String, Vec<Edge>>,
}

impl LineageGraph {
    pub fn from_manifests(loaded: &[Loaded]) -> LineageGraph {
        let mut g = LineageGraph::default();
        for l in loaded {
            let m = &l.manifest;
            g.nodes.insert(
                m.id.clone(),
                Node {
                    id: m.id.clone(),
                    kind: m.kind.to_string(),
                    license: m.license.as_ref().map(|l| l.expression.clone()),
                },
            );
            let edges = m
                .references()
                .into_iter()
                .map(|r| Edge {
                    to: r.id.to_owned(),
                    label: r.kind.label().into(),
                })
                .collect();
            g.edges.insert(m.id.clone(), edges);
        }
        g
    }

    pub fn upstreams(&self, id: &str) -> &[Edge] {
        self.edges.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every record reachable upstream from `root`, including it.
    pub fn closure(&self, root: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![root.to_owned()];
        while let Some(id) = stack.pop() {
            if seen.insert(id.clone()) {
                stack.extend(self.upstreams(&id).iter().map(|e| e.to.clone()));
            }
        }
        seen
    }

    fn label(&self, id: &str) -> String {
        match self.nodes.get(id) {
            Some(n) => format!(
                "{} ({}, {})",
                n.id,
                n.kind,
                n.license.as_deref().unwrap_or("no license")
            ),
            None => format!("{id} (not in this commons)"),
        }
    }

    /// An indented text tree, upstream from `root`. Each record's upstreams
    /// are drawn once: where it appears again, it is marked `(*)`. A record
    /// that is its own upstream is marked `[cycle]`. Past [`MAX_DEPTH`]
    /// levels a line says that more lie further upstream (`--format dot`
    /// draws them all). The walk keeps its own stack, so a lineage of any
    /// depth is drawn without recursion.
    pub fn render_text(&self, root: &str) -> String {
        let mut out = self.label(root);
        out.push('\n');
        let mut drawn: HashSet<&str> = HashSet::from([root]);
        let mut on_path: HashSet<&str> = HashSet::from([root]);
        // One frame per record on the path: its id, its next edge, and the
        // prefix its upstreams are drawn with.
        let mut stack: Vec<(&str, usize, String)> = vec![(root, 0, String::new())];
        while let Some((id, next, prefix)) = stack.last_mut() {
            let edges = self.upstreams(id);
            let Some(e) = edges.get(*next) else {
                on_path.remove(*id);
                stack.pop();
                continue;
            };
            *next += 1;
            let (branch, indent) = if *next == edges.len() {
                ("└── ", "    ")
            } else {
                ("├── ", "│   ")
            };
            let to = e.to.as_str();
            if on_path.contains(to) {
                out.push_str(&format!("{prefix}{branch}{}: {to} [cycle]\n", e.label));
                continue;
            }
            let again = drawn.contains(to) && !self.upstreams(to).is_empty();
            let mark = if again { " (*)" } else { "" };
            out.push_str(&format!(
                "{prefix}{branch}{}: {}{mark}\n",
                e.label,
                self.label(to)
            ));
            if again || self.upstreams(to).is_empty() {
                continue;
            }
            let prefix = format!("{prefix}{indent}");
            if stack.len() == MAX_DEPTH {
                out.push_str(&format!(
                    "{prefix}└── … upstreams past {MAX_DEPTH} levels not drawn (`--format dot` draws them all)\n"
                ));
                continue;
            }
            drawn.insert(to);
            on_path.insert(to);
            stack.push((to, 0, prefix));
        }
        out
    }

    /// Graphviz DOT of the closure of `root`.
    pub fn render_dot(&self, root: &str) -> String {
        let ids = self.closure(root);
        let mut out = String::from("digraph lineage {\n  rankdir=BT;\n  node [shape=box];\n");
        for id in &ids {
            out.push_str(&format!(
                "  \"{id}\" [label=\"{}\"];\n",
                self.label(id).replace('"', "'")
            ));
        }
        for id in &ids {
            for e in self.upstreams(id) {
                out.push_str(&format!(
                    "  \"{id}\" -> \"{}\" [label=\"{}\"];\n",
                    e.to, e.label
                ));
            }
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart of the closure of `root`.
    pub fn render_mermaid(&self, root: &str) -> String {
        let ids: Vec<String> = self.closure(root).into_iter().collect();
        let keys: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let key = |id: &str| format!("n{}", keys.get(id).copied().unwrap_or(0));
        let mut out = String::from("flowchart BT\n");
        for id in &ids {
            out.push_str(&format!(
                "  {}[\"{}\"]\n",
                key(id),
                self.label(id).replace('"', "'")
            ));
        }
        for id in &ids {
            for e in self.upstreams(id) {
                out.push_str(&format!("  {} -->|{}| {}\n", key(id), e.label, key(&e.to)));
            }
        }
        out
    }
}
