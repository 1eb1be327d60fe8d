//! The lineage graph: which records each record was made from.
//!
//! Edges point from a record to its upstreams (base models, training data,
//! generating models). Rendering walks upstream from one record; a cycle is
//! reported, never followed forever.

use std::collections::{BTreeMap, BTreeSet};

use crate::commons::Loaded;

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

    /// An indented text tree, upstream from `root`.
    pub fn render_text(&self, root: &str) -> String {
        let mut out = self.label(root);
        out.push('\n');
        let mut path = vec![root.to_owned()];
        self.render_children(root, "", &mut path, &mut out);
        out
    }

    fn render_children(&self, id: &str, prefix: &str, path: &mut Vec<String>, out: &mut String) {
        let edges = self.upstreams(id);
        for (i, e) in edges.iter().enumerate() {
            let last = i + 1 == edges.len();
            let (branch, next) = if last {
                ("└── ", "    ")
            } else {
                ("├── ", "│   ")
            };
            if path.contains(&e.to) {
                out.push_str(&format!("{prefix}{branch}{}: {} [cycle]\n", e.label, e.to));
                continue;
            }
            out.push_str(&format!(
                "{prefix}{branch}{}: {}\n",
                e.label,
                self.label(&e.to)
            ));
            path.push(e.to.clone());
            self.render_children(&e.to, &format!("{prefix}{next}"), path, out);
            path.pop();
        }
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
        let key = |id: &str| format!("n{}", ids.iter().position(|x| x == id).unwrap_or(0));
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
