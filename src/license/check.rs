//! The compliance check: walk each record's lineage, decide which upstream
//! licenses bind it, and test every obligation they carry.
//!
//! Whether an upstream license binds a record depends on the path between
//! them. Weights derived from weights (fine-tune, adapter, merge,
//! quantization, continued pre-training) always carry the upstream's
//! obligations. Each obligation reaches what its own clause says (its
//! catalog `scope`): derived weights, models trained on outputs, adapted
//! data, models trained on the data. Two legally contested links are policy
//! switches: training data binds the weights only when
//! `dataset_licenses_bind_weights` is on; a distillation, or training on
//! data a model generated, binds an obligation whose text is silent on
//! outputs only when `distillation_is_derivative` is on. A clause that names
//! outputs (Llama 3.1's naming rule, Gemma's definition of Model
//! Derivatives, a competing-model clause) holds whatever that switch says.
//! Each obligation also has its trigger: distributing copies, offering the
//! model at all, serving it, or publishing it under a name of one's own.
//!
//! The walk is breadth-first over (record, path state), so each finding
//! cites the shortest chain of records that causes it. Its results are
//! shared between records through [`crate::license::reach`], so checking a
//! lineage costs about its size: a record's upstreams are walked one by one
//! only when records of one obligation profile may ask different things of
//! it (credit owed to each by name, a quantization's name), or when a
//! finding names every record of some kind (conflicting share-alike
//! licenses, datasets without a source).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::finding::{Finding, Severity};
use crate::license::catalog::{
    Bound, Catalog, LicenseTerms, PermissionFor, Reach, Scope, Trigger, normalise,
};
use crate::license::graph::{Hop, LicenseGraph, Node};
use crate::license::identify::{self, Identity, LicenseCopy};
use crate::license::reach::{self, BINDS, OUTPUTS, Summaries, TRAINING_DATA};
use crate::manifest::{Kind, ObtainedFor, Relation, Weights};
use crate::rule::Rule;

/// The contested questions, answered.
#[derive(Debug, Clone)]
pub struct CheckPolicy {
    pub dataset_licenses_bind_weights: bool,
    pub distillation_is_derivative: bool,
    /// Licenses the commons accepts (empty: any).
    pub accepted_licenses: Vec<String>,
    /// License files read from records' artifact folders, by record id:
    /// where a record has them, its license copies are judged by content.
    pub license_copies: HashMap<String, Vec<LicenseCopy>>,
}

impl Default for CheckPolicy {
    fn default() -> CheckPolicy {
        CheckPolicy {
            dataset_licenses_bind_weights: true,
            distillation_is_derivative: true,
            accepted_licenses: Vec::new(),
            license_copies: HashMap::new(),
        }
    }
}

impl CheckPolicy {
    /// What the policy's switches leave out of a check, one line each.
    pub fn exclusions(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.dataset_licenses_bind_weights {
            out.push("the licenses of training data: they do not bind trained weights (dataset_licenses_bind_weights: false)".to_owned());
        }
        if !self.distillation_is_derivative {
            out.push("the distribution terms of models distilled from: distillation is not derivation (distillation_is_derivative: false)".to_owned());
        }
        out
    }
}

/// One record reached upstream of the subject, by one path.
#[derive(Debug, Clone, Copy)]
struct Reached {
    node: usize,
    state: u8,
    /// Index into the walk's visit list of the record before it, or the
    /// subject.
    parent: Option<usize>,
    hop: Option<Hop>,
}

/// An upstream record reached in a binding state: a visit of the walk, or
/// an entry of the shared summaries standing for every record of its
/// profile reached in that state.
#[derive(Debug, Clone, Copy)]
struct Event {
    node: usize,
    state: u8,
    /// Where its chain starts: a visit of the walk, or an entry of the
    /// summaries.
    at: usize,
}

/// How the subject's upstream events were found.
enum Walked {
    /// From the shared summaries. Whether a dataset without a source is
    /// among the lineage.
    Shared { unsourced: bool },
    /// By walking every upstream: the datasets without a source, in the
    /// order the walk reached them.
    Exhaustive { unsourced: Vec<usize> },
}

/// Checks records against the licenses of their lineage.
pub struct Checker<'g, 'a> {
    graph: &'g LicenseGraph<'a>,
    catalog: &'g Catalog,
    policy: &'g CheckPolicy,
    summaries: Summaries,
    /// Upstream records walked and events judged: the work done, for tests.
    work: AtomicUsize,
}

/// A finding with the key that makes it unique for its subject, and the
/// upstream license whose share-alike clause it enforces, if any.
struct Candidate {
    key: String,
    finding: Finding,
    share_alike_of: Option<String>,
}

impl<'g, 'a> Checker<'g, 'a> {
    /// A checker of the records of `order` (every record of the lineage,
    /// upstreams first: [`LicenseGraph::upstream_first`]).
    pub fn new(
        graph: &'g LicenseGraph<'a>,
        catalog: &'g Catalog,
        policy: &'g CheckPolicy,
        order: &[usize],
    ) -> Checker<'g, 'a> {
        Checker {
            graph,
            catalog,
            policy,
            summaries: Summaries::new(graph, catalog, order),
            work: AtomicUsize::new(0),
        }
    }

    /// Summary entries built, upstream records walked, events judged and
    /// links of chains built so far.
    pub fn work(&self) -> usize {
        self.summaries.work() + self.work.load(Ordering::Relaxed)
    }

    /// Every finding about `subject` (a node index): from the shared
    /// summaries when its upstreams' profiles decide them, else by walking
    /// every upstream (when the records of one profile may ask different
    /// things of it, or a finding names every record of some kind).
    pub fn check(&self, subject: usize) -> Vec<Finding> {
        let s = Subject::new(&self.graph.nodes[subject]);
        self.shared(&s, subject)
            .unwrap_or_else(|| self.exhaustive(&s, subject))
    }

    /// Every finding about `subject` from the shared summaries, or `None`
    /// when they cannot decide them.
    fn shared(&self, s: &Subject, subject: usize) -> Option<Vec<Finding>> {
        let entries = self.summaries.upstream(self.graph, subject);
        let events: Vec<Event> = entries
            .iter()
            .enumerate()
            .map(|(at, e)| Event {
                node: e.origin as usize,
                state: e.state,
                at,
            })
            .collect();
        let walked = Walked::Shared {
            unsourced: self.summaries.unsourced(subject),
        };
        let chain = |at: usize| self.summaries.chain(self.graph, subject, &entries[at]);
        self.findings(s, &events, &chain, walked)
    }

    /// Every finding about `subject`, walking each of its upstreams.
    fn exhaustive(&self, s: &Subject, subject: usize) -> Vec<Finding> {
        let visits = self.walk(subject);
        let chain = |at: usize| self.chain(&visits, at);
        let mut seen_datasets = vec![false; self.graph.nodes.len()];
        let mut unsourced = Vec::new();
        let mut events = Vec::new();
        for (at, r) in visits.iter().enumerate() {
            let n = &self.graph.nodes[r.node];
            if n.kind() == Kind::Dataset
                && n.loaded.manifest.source.is_none()
                && !std::mem::replace(&mut seen_datasets[r.node], true)
            {
                unsourced.push(r.node);
            }
            if at > 0 && r.state & BINDS != 0 {
                events.push(Event {
                    node: r.node,
                    state: r.state,
                    at,
                });
            }
        }
        self.findings(s, &events, &chain, Walked::Exhaustive { unsourced })
            .unwrap_or_default()
    }

    /// The findings the events cause, in their order; `None` when shared
    /// events cannot decide them.
    fn findings(
        &self,
        s: &Subject,
        events: &[Event],
        chain: &dyn Fn(usize) -> Vec<String>,
        walked: Walked,
    ) -> Option<Vec<Finding>> {
        let shared = matches!(walked, Walked::Shared { .. });
        let mut out = Findings::default();
        self.own_license(s, &mut out);
        let mut share_alike: Vec<(usize, usize, Vec<String>)> = Vec::new();
        let mut seen_binding: HashSet<usize> = HashSet::new();
        for ev in events {
            self.work.fetch_add(1, Ordering::Relaxed);
            let a = &self.graph.nodes[ev.node];
            if shared && self.varies_by_record(s, a, ev.state) {
                return None;
            }
            let mut candidates = self.upstream(s, a, ev.state);
            if candidates.iter().any(|c| !out.keys.contains(&c.key)) {
                let chain = chain(ev.at);
                for c in &mut candidates {
                    c.finding.chain = chain.clone();
                }
                out.extend(candidates);
            }
            // Shared entries all count: a record of the profile may be
            // reached first in the entry's state.
            if self.binds(a, ev.state, &Scope::default())
                && (shared || seen_binding.insert(ev.node))
                && let Some(allowed) = self.share_alike_allowed(s, a, ev.state)
            {
                share_alike.push((ev.node, ev.at, allowed));
            }
        }
        if shared && self.may_conflict(&share_alike) {
            return None;
        }
        self.share_alike_conflicts(s, &share_alike, chain, &mut out);
        let demanded = events
            .iter()
            .filter(|ev| self.binds(&self.graph.nodes[ev.node], ev.state, &Scope::default()))
            .find_map(|ev| self.demands_provenance(&self.graph.nodes[ev.node]));
        let unsourced = match walked {
            Walked::Exhaustive { unsourced } => unsourced,
            Walked::Shared { unsourced } => {
                if unsourced && demanded.is_some() && s.distributed() {
                    return None;
                }
                Vec::new()
            }
        };
        self.provenance(s, demanded, &unsourced, &mut out);
        self.competing_models(s, &mut out);
        Some(out.finish())
    }

    /// Whether records of `a`'s profile, reached in `state`, may ask
    /// different things of `s`: credit owed to each by name (no shared
    /// notice of theirs credits them), or a clause set off by publishing
    /// under a new name, when `s` is a quantization whose name may keep the
    /// name of one of them and not of another.
    fn varies_by_record(&self, s: &Subject, a: &Node, state: u8) -> bool {
        let Ok(choices) = &a.license else {
            return false;
        };
        let renames = s.renames_quantization();
        choices
            .licenses()
            .filter_map(|k| self.catalog.get(k))
            .any(|t| {
                let o = &t.obligations;
                let credit = o.attribution.as_ref().is_some_and(|c| {
                    let trigger = c.trigger().unwrap_or(Trigger::Distribution);
                    self.binds(a, state, c.scope())
                        && (trigger == Trigger::NewName || s.triggered(trigger, a))
                        && !s.credits_by_notice(a)
                });
                // A name that passes the naming rule passes it whichever
                // record set the rule off.
                let naming = o.naming.as_ref().is_some_and(|n| {
                    n.trigger().unwrap_or(Trigger::NewName) == Trigger::NewName
                        && check_prefix(&s.name(), &n.prefix).is_err()
                });
                let other = o
                    .all()
                    .iter()
                    .any(|(name, b)| *name != "naming" && b.trigger() == Some(Trigger::NewName));
                credit || (renames && (naming || other))
            })
    }

    /// Whether two share-alike entries may leave no license in common.
    fn may_conflict(&self, found: &[(usize, usize, Vec<String>)]) -> bool {
        found.iter().enumerate().any(|(i, (_, _, a))| {
            a.is_empty()
                || found[..i]
                    .iter()
                    .any(|(_, _, b)| !a.iter().any(|x| b.iter().any(|y| self.catalog.same(x, y))))
        })
    }

    /// Whether an obligation of the license of `node`, reached in `state`,
    /// binds the subject, given what the obligation's clause reaches.
    fn binds(&self, node: &Node, state: u8, scope: &Scope) -> bool {
        if state & BINDS == 0 {
            return false;
        }
        let link = match node.kind() {
            Kind::Dataset if state & TRAINING_DATA != 0 => {
                self.policy.dataset_licenses_bind_weights && scope.reaches(Reach::TrainedModels)
            }
            Kind::Dataset => scope.reaches(Reach::Datasets),
            Kind::Model | Kind::Eval => scope.reaches(Reach::Weights),
        };
        if state & OUTPUTS == 0 {
            return link;
        }
        let named = scope.reaches(Reach::Outputs);
        named || (link && self.policy.distillation_is_derivative)
    }

    /// Breadth-first over (record, path state); the first entry is the
    /// subject.
    fn walk(&self, subject: usize) -> Vec<Reached> {
        let nodes = &self.graph.nodes;
        let start = reach::start(&nodes[subject]);
        let mut seen: HashMap<usize, u16> = HashMap::new();
        seen.insert(subject, 1 << start);
        let mut visits = vec![Reached {
            node: subject,
            state: start,
            parent: None,
            hop: None,
        }];
        let mut next = 0;
        while next < visits.len() {
            let cur = visits[next];
            for edge in &nodes[cur.node].edges {
                let state = reach::step(cur.state, edge.hop);
                let slot = seen.entry(edge.to).or_default();
                if *slot & 1 << state == 0 {
                    *slot |= 1 << state;
                    visits.push(Reached {
                        node: edge.to,
                        state,
                        parent: Some(next),
                        hop: Some(edge.hop),
                    });
                }
            }
            next += 1;
        }
        self.work.fetch_add(visits.len(), Ordering::Relaxed);
        visits
    }

    /// The chain of record ids from the subject to visit `i`.
    fn chain(&self, visits: &[Reached], mut i: usize) -> Vec<String> {
        let mut rev = Vec::new();
        loop {
            let r = visits[i];
            let id = self.graph.nodes[r.node].id();
            match (r.hop, r.parent) {
                (Some(hop), Some(p)) => {
                    rev.push(format!("{}: {id}", hop.label()));
                    i = p;
                }
                _ => {
                    rev.push(id.to_owned());
                    break;
                }
            }
        }
        self.work.fetch_add(rev.len(), Ordering::Relaxed);
        rev.reverse();
        rev
    }

    /// Checks on the subject's own license.
    fn own_license(&self, s: &Subject, out: &mut Findings) {
        let Some(choices) = &s.choices else {
            out.push(
                "license-missing",
                s.finding(Finding::new(
                    Rule::LicenseMissing,
                    format!("{} {} states no license", s.kind(), s.id()),
                ))
                .field("license")
                .fix("record the license it is offered under: `commons record … --license EXPR`"),
            );
            return;
        };
        for key in choices.iter().flatten() {
            if self.catalog.get(key).is_none() {
                out.push(
                    format!("license-unknown {key}"),
                    s.finding(Finding::new(
                        Rule::LicenseUnknown,
                        format!("license `{key}` is not in the catalog, so what it allows derivatives cannot be checked"),
                    ))
                    .field("license.expression")
                    .fix(format!("add licenses/{key}.yaml to this commons describing its obligations")),
                );
            }
        }
        let accepted = &self.policy.accepted_licenses;
        if !accepted.is_empty()
            && !choices.iter().any(|o| {
                o.iter()
                    .all(|k| accepted.iter().any(|a| self.catalog.same(a, k)))
            })
        {
            out.push(
                "license-not-accepted",
                s.finding(Finding::new(
                    Rule::LicenseNotAccepted,
                    format!("`{}` is not among the licenses this commons accepts ({})", s.expression(), accepted.join(", ")),
                ))
                .field("license.expression")
                .fix("offer the record under an accepted license, or change policy.accepted_licenses in commons.yaml"),
            );
        }
        if let Some(declared) = s
            .node
            .loaded
            .manifest
            .license
            .as_ref()
            .and_then(|l| l.declared.as_deref())
        {
            self.declared(s, declared, out);
        }
    }

    /// The source's declared license must name a license of the expression.
    fn declared(&self, s: &Subject, declared: &str, out: &mut Findings) {
        let (hub, name) = match declared.split_once(':') {
            Some((h, n)) if h.eq_ignore_ascii_case("other") => (h, Some(n)),
            _ => (declared, None),
        };
        let ids: Vec<String> = match self.catalog.from_hub(hub, name) {
            Some(t) => vec![t.id.clone()],
            None => match crate::license::expression::Choices::parse(declared) {
                Ok(c) => c.licenses().map(str::to_owned).collect(),
                Err(_) => return,
            },
        };
        if s.licenses()
            .any(|k| ids.iter().any(|d| self.catalog.same(d, k)))
        {
            return;
        }
        out.push(
            "upstream-declared-mismatch",
            s.finding(Finding::new(
                Rule::UpstreamDeclaredMismatch,
                format!(
                    "the source declares `{declared}` ({}), but the manifest records `{}`",
                    ids.join(" / "),
                    s.expression()
                ),
            ))
            .field("license.declared")
            .fix("find out which license really applies; correct license.expression, or the source's card"),
        );
    }

    /// The findings one upstream record causes: the best choice among its
    /// license options (a derivative need satisfy only one).
    fn upstream(&self, s: &Subject, a: &Node, state: u8) -> Vec<Candidate> {
        let binds = self.binds(a, state, &Scope::default());
        let choices = match &a.license {
            Ok(c) => c,
            Err(why) => {
                if !binds {
                    return Vec::new();
                }
                return vec![Candidate {
                    key: format!("upstream-unknown {}", a.id()),
                    finding: s
                        .finding(Finding::new(
                            Rule::UpstreamLicenseUnknown,
                            format!("upstream {} {} {why}", a.kind(), a.id()),
                        ))
                        .fix(format!(
                            "record the license of {} (`commons record … {} --license EXPR`)",
                            a.id(),
                            a.id()
                        )),
                    share_alike_of: None,
                }];
            }
        };
        let mut best: Option<Vec<Candidate>> = None;
        for option in &choices.options {
            let mut found = Vec::new();
            for key in option {
                match self.catalog.get(key) {
                    Some(terms) => found.extend(self.obligations(s, a, terms, state)),
                    None if binds => found.push(Candidate {
                        key: format!("upstream-unknown {} {key}", a.id()),
                        finding: s
                            .finding(Finding::new(
                                Rule::UpstreamLicenseUnknown,
                                format!(
                                    "upstream {} is under `{key}`, which the catalog does not know",
                                    a.id()
                                ),
                            ))
                            .fix(format!(
                                "add licenses/{key}.yaml to this commons describing its obligations"
                            )),
                        share_alike_of: None,
                    }),
                    None => {}
                }
            }
            let errors = found
                .iter()
                .filter(|c| c.finding.severity == Severity::Error)
                .count();
            if best.as_ref().is_none_or(|b| {
                errors
                    < b.iter()
                        .filter(|c| c.finding.severity == Severity::Error)
                        .count()
            }) {
                best = Some(found);
            }
        }
        best.unwrap_or_default()
    }

    /// The obligations of one upstream license, tested on the subject.
    fn obligations(&self, s: &Subject, a: &Node, t: &LicenseTerms, state: u8) -> Vec<Candidate> {
        let mut out = Vec::new();
        let o = &t.obligations;
        // Whether an obligation reaches the subject by this path and its
        // trigger (or `default`) is set off.
        let applies = |ob: &dyn Bound, default: Trigger| {
            self.binds(a, state, ob.scope()) && s.triggered(ob.trigger().unwrap_or(default), a)
        };
        let mut add = |key: String, finding: Finding, share_alike_of: Option<String>| {
            out.push(Candidate {
                key,
                finding: s.finding(finding),
                share_alike_of,
            });
        };
        let under = format!("{} is under {}", a.id(), t.id);
        if let Some(n) = &o.naming
            && s.is_model()
            && applies(n, Trigger::NewName)
            && let Err(why) = check_prefix(&s.name(), &n.prefix)
        {
            add(
                format!("naming {}", n.prefix),
                Finding::new(
                    Rule::NamingPrefix,
                    format!(
                        "{under}, whose clause {} requires the name to begin with \"{}\"; {why}",
                        n.clause, n.prefix
                    ),
                )
                .field("model.published_name")
                .fix(format!(
                    "publish it under a name that begins with \"{}\" (`--published-name`)",
                    n.prefix
                )),
                None,
            );
        }
        if let Some(c) = o
            .license_copy
            .as_ref()
            .filter(|c| applies(*c, Trigger::Distribution))
            && let Some(problem) = s.license_copy_problem()
        {
            add(
                format!("license-copy {}", t.id),
                Finding::new(
                    Rule::LicenseCopyMissing,
                    format!(
                        "{under}, whose clause {} requires a copy of it with every copy; {problem}",
                        c.clause
                    ),
                )
                .field("license.license_files")
                .fix(format!(
                    "ship the text of {} with the files and list it: `--license-file LICENSE`",
                    t.name
                )),
                None,
            );
        } else if let Some(c) = o
            .license_copy
            .as_ref()
            .filter(|c| applies(*c, Trigger::Distribution))
            && let Some(copies) = self.policy.license_copies.get(s.id())
            && identify::identifiable(t)
            && let Some(problem) = self.copy_mismatch(copies, t)
        {
            let rule = if problem.1 {
                Rule::LicenseCopyMissing
            } else {
                Rule::LicenseCopyMismatch
            };
            add(
                format!("license-copy {}", t.id),
                Finding::new(
                    rule,
                    format!(
                        "{under}, whose clause {} requires a copy of it with every copy; {}",
                        c.clause, problem.0
                    ),
                )
                .field("license.license_files")
                .fix(format!(
                    "ship the text of {} itself with the files and list it: `--license-file FILE`",
                    t.name
                )),
                None,
            );
        }
        if let Some(n) = o
            .notice
            .as_ref()
            .filter(|n| applies(*n, Trigger::Distribution))
        {
            let upstream_notices = a
                .loaded
                .manifest
                .license
                .as_ref()
                .map(|l| l.notices.as_slice())
                .unwrap_or_default();
            let prescribed = n.text.iter().map(|t| (t, normalise(t)));
            let recorded = upstream_notices.iter().zip(a.notices.iter().cloned());
            for (text, want) in prescribed.chain(recorded) {
                if !s.carries_notice(&want) {
                    add(
                        format!("notice {want}"),
                        Finding::new(Rule::NoticeMissing, format!("{under}, whose clause {} requires every copy to carry the notice \"{text}\"", n.clause))
                            .field("license.notices")
                            .fix(format!("add it: `--notice \"{text}\"`")),
                        None,
                    );
                }
            }
        }
        if let Some(c) = o
            .attribution
            .as_ref()
            .filter(|c| applies(*c, Trigger::Distribution))
            && !s.credits(a)
        {
            add(
                format!("attribution {}", a.id()),
                Finding::new(
                    Rule::AttributionMissing,
                    format!(
                        "{under}, whose clause {} requires credit; no notice of {} names it",
                        c.clause,
                        s.id()
                    ),
                )
                .field("license.notices")
                .fix(format!(
                    "add a notice crediting {} and its license, e.g. `--notice \"{} ({})\"`",
                    a.id(),
                    a.title(),
                    t.id
                )),
                None,
            );
        }
        if let Some(sa) = o
            .share_alike
            .as_ref()
            .filter(|c| applies(*c, Trigger::Distribution))
        {
            let allowed = self.share_alike_set(t);
            if let Some(bad) = s.option_without(|k| allowed.iter().any(|x| self.catalog.same(x, k)))
            {
                add(
                    format!("share-alike {}", t.id),
                    Finding::new(
                        Rule::ShareAlikeViolation,
                        format!("{under}, whose clause {} requires derivatives under {}; {} may be taken under `{bad}`", sa.clause, allowed.join(" or "), s.id()),
                    )
                    .field("license.expression")
                    .fix(format!("offer {} under {} only, or remove {} from its lineage", s.id(), allowed[0], a.id())),
                    Some(t.id.clone()),
                );
            }
        }
        if let Some(c) = o
            .non_commercial
            .as_ref()
            .filter(|c| self.binds(a, state, c.scope()))
        {
            let loose = if s.distributed() {
                s.option_without(|k| {
                    self.catalog
                        .get(k)
                        .is_some_and(LicenseTerms::restricts_commerce)
                })
            } else {
                None
            };
            if s.commercial() || loose.is_some() {
                let what = if s.commercial() {
                    "it is offered for commercial use".to_owned()
                } else {
                    format!(
                        "it may be taken under `{}`, which allows commercial use",
                        loose.unwrap_or_default()
                    )
                };
                add(
                    format!("nc {}", t.id),
                    Finding::new(Rule::NcPropagation, format!("{under}, non-commercial by clause {}; {what}", c.clause))
                        .field(if s.commercial() { "model.commercial" } else { "license.expression" })
                        .fix(format!("offer {} under a non-commercial license (e.g. CC-BY-NC-4.0) and not commercially, or remove {} from its lineage", s.id(), a.id())),
                    None,
                );
            }
        }
        if let Some(c) = o
            .research_only
            .as_ref()
            .filter(|c| self.binds(a, state, c.scope()))
        {
            let loose = if s.distributed() {
                s.option_without(|k| {
                    self.catalog
                        .get(k)
                        .is_some_and(|x| x.obligations.research_only.is_some())
                })
            } else {
                None
            };
            if s.commercial() || loose.is_some() {
                let what = if s.commercial() {
                    "it is offered for commercial use".to_owned()
                } else {
                    format!(
                        "it may be taken under `{}`, which is not limited to research",
                        loose.unwrap_or_default()
                    )
                };
                add(
                    format!("research {}", t.id),
                    Finding::new(Rule::ResearchOnly, format!("{under}, for research purposes only by clause {}; {what}", c.clause))
                        .field(if s.commercial() { "model.commercial" } else { "license.expression" })
                        .fix(format!("keep {} for research under {} (commercial: false), or obtain a commercial license", s.id(), t.id)),
                    None,
                );
            }
        }
        if let Some(u) = o
            .use_restrictions
            .as_ref()
            .filter(|u| s.is_model() && applies(*u, Trigger::Distribution))
        {
            let upstream = a
                .loaded
                .manifest
                .model
                .as_ref()
                .map(|m| m.use_restrictions.as_slice())
                .unwrap_or_default();
            for text in std::iter::once(&u.policy).chain(upstream) {
                let want = normalise(text);
                if !s.restricts(&want) {
                    add(
                        format!("use-restriction {want}"),
                        Finding::new(Rule::UseRestrictionsDropped, format!("{under}, whose clause {} requires its use restrictions to be passed on; \"{text}\" is not among {}'s", u.clause, s.id()))
                            .field("model.use_restrictions")
                            .fix(format!("add it: `--use-restriction \"{text}\"`")),
                        None,
                    );
                }
            }
        }
        if let Some(d) = o
            .display_attribution
            .as_ref()
            .filter(|d| s.is_model() && applies(*d, Trigger::Offering))
            && !s.displays(&d.text)
        {
            add(
                    format!("display {}", t.id),
                    Finding::new(Rule::DisplayAttribution, format!("{under}, whose clause {} requires \"{}\" to be displayed where the model is offered", d.clause, d.text[0]))
                        .field("license.display_attribution")
                        .fix(format!("add `--display-attribution \"{}\"` and show it on the model's page", d.text[0])),
                    None,
                );
        }
        if let Some(h) = o
            .hosting
            .as_ref()
            .filter(|h| applies(*h, Trigger::Serving) && !s.obtained(&t.id, ObtainedFor::Hosting))
        {
            add(
                format!("hosting {}", t.id),
                Finding::new(
                    Rule::HostingUse,
                    format!(
                        "{under}; {} is served, and clause {} makes that require {}",
                        s.id(),
                        h.clause,
                        h.requires
                    ),
                )
                .field("model.weights")
                .fix(format!(
                    "obtain {} before serving, and record it (`--obtained {}:hosting:EVIDENCE`); or do not serve {}",
                    h.requires,
                    t.id,
                    s.id()
                )),
                None,
            );
        }
        if let Some(p) = o
            .permission
            .as_ref()
            .filter(|p| self.binds(a, state, p.scope()))
        {
            let (needed, obtained) = match p.act {
                PermissionFor::Commercial => (
                    s.commercial().then_some("commercial use"),
                    ObtainedFor::Commercial,
                ),
                PermissionFor::Derivatives => (
                    s.distributed().then_some("sharing a derivative"),
                    ObtainedFor::Derivatives,
                ),
            };
            let needed = needed.filter(|_| !s.obtained(&t.id, obtained));
            if let Some(act) = needed {
                add(
                    format!("permission {}", t.id),
                    Finding::new(Rule::PermissionRequired, format!("{under}, whose clause {} requires permission from {} for {act}", p.clause, p.from))
                        .field(if p.act == PermissionFor::Commercial { "model.commercial" } else { "model.weights" })
                        .fix(format!("obtain written permission from {} and record it (`--obtained {}:{}:EVIDENCE`), or stop {act}", p.from, t.id, obtained.as_str())),
                    None,
                );
            }
        }
        if let Some(r) = o
            .reciprocity
            .as_ref()
            .filter(|x| x.evaluations && s.is_model() && applies(*x, Trigger::Offering))
            && !self.graph.was_evaluated(s.id())
        {
            add(
                    format!("reciprocity {}", t.id),
                    Finding::new(Rule::ReciprocityReport, format!("{under}, whose clause {} requires evaluations of derivatives to be contributed back; no evaluation of {} is recorded", r.clause, s.id()))
                        .fix(format!("evaluate it and record the result: `commons eval {}`", s.id())),
                    None,
                );
        }
        if let Some(ob) = o
            .outbound
            .as_ref()
            .filter(|x| applies(*x, Trigger::Distribution))
            && let Some(bad) =
                s.option_without(|k| ob.licenses.iter().any(|x| self.catalog.same(x, k)))
        {
            add(
                    format!("outbound {}", t.id),
                    Finding::new(Rule::OutboundIncompatible, format!("{under}, whose clause {} requires derivatives to remain under {}; {} may be taken under `{bad}`", ob.clause, ob.licenses.join(" or "), s.id()))
                        .field("license.expression")
                        .fix(format!("include {} in the license: e.g. `--license \"{}\"`", ob.licenses[0], ob.licenses[0])),
                    None,
                );
        }
        out
    }

    /// Why none of a record's license files is a copy of `t` (and whether
    /// because a listed file is absent), or `None` when one is.
    fn copy_mismatch(&self, copies: &[LicenseCopy], t: &LicenseTerms) -> Option<(String, bool)> {
        if copies
            .iter()
            .filter_map(|c| c.identity.as_ref())
            .any(|i| identify::is_copy_of(self.catalog, i, t))
        {
            return None;
        }
        let said: Vec<String> = copies
            .iter()
            .map(|c| match &c.identity {
                None => format!("`{}` is not in its artifact folder", c.file),
                Some(Identity::Spdx(id, score)) => {
                    format!(
                        "`{}` is the text of {id} ({:.0}% match)",
                        c.file,
                        score * 100.0
                    )
                }
                Some(Identity::Fingerprint(id)) => format!("`{}` is the text of {id}", c.file),
                Some(Identity::Unknown) => {
                    format!("`{}` is not recognisably a license text", c.file)
                }
            })
            .collect();
        let absent = copies.iter().all(|c| c.identity.is_none());
        Some((format!("{}, not of {}", said.join("; "), t.id), absent))
    }

    /// The licenses a share-alike license allows derivatives to take.
    fn share_alike_set(&self, t: &LicenseTerms) -> Vec<String> {
        let mut allowed = vec![t.id.clone()];
        if let Some(sa) = &t.obligations.share_alike {
            for c in &sa.compatible {
                if !allowed.iter().any(|x| self.catalog.same(x, c)) {
                    allowed.push(c.clone());
                }
            }
        }
        allowed
    }

    /// What an upstream's share-alike terms leave open to the subject, when
    /// every choice of its license is share-alike (else `None`).
    fn share_alike_allowed(&self, s: &Subject, a: &Node, state: u8) -> Option<Vec<String>> {
        if !s.distributed() {
            return None;
        }
        let choices = a.license.as_ref().ok()?;
        let mut union: Vec<String> = Vec::new();
        for option in &choices.options {
            let mut allowed: Option<Vec<String>> = None;
            for terms in option.iter().filter_map(|k| self.catalog.get(k)) {
                let Some(sa) = &terms.obligations.share_alike else {
                    continue;
                };
                if !self.binds(a, state, &sa.scope) {
                    continue;
                }
                let set = self.share_alike_set(terms);
                allowed = Some(match allowed {
                    None => set,
                    Some(prev) => prev
                        .into_iter()
                        .filter(|x| set.iter().any(|y| self.catalog.same(x, y)))
                        .collect(),
                });
            }
            union.extend(allowed?);
        }
        Some(union)
    }

    fn share_alike_conflicts(
        &self,
        s: &Subject,
        found: &[(usize, usize, Vec<String>)],
        chain: &dyn Fn(usize) -> Vec<String>,
        out: &mut Findings,
    ) {
        for (i, (a, at_a, allowed_a)) in found.iter().enumerate() {
            for (b, at_b, allowed_b) in &found[..i] {
                let common = allowed_a
                    .iter()
                    .any(|x| allowed_b.iter().any(|y| self.catalog.same(x, y)));
                if common {
                    continue;
                }
                let (na, nb) = (&self.graph.nodes[*a], &self.graph.nodes[*b]);
                let lic = |n: &Node| {
                    n.loaded
                        .manifest
                        .license
                        .as_ref()
                        .map(|l| l.expression.clone())
                        .unwrap_or_default()
                };
                out.push(
                    format!("share-alike-conflict {} {}", nb.id(), na.id()),
                    s.finding(Finding::new(
                        Rule::ShareAlikeConflict,
                        format!(
                            "{} ({}) requires derivatives under {}, and {} ({}) under {}; no license satisfies both (other chain: {})",
                            nb.id(),
                            lic(nb),
                            allowed_b.join(" or "),
                            na.id(),
                            lic(na),
                            allowed_a.join(" or "),
                            chain(*at_a).join(" -> ")
                        ),
                    ))
                    .field("license.expression")
                    .chain(chain(*at_b))
                    .fix(format!("remove {} or {} from the lineage of {}", nb.id(), na.id(), s.id())),
                );
                let rule_of = |n: &Node| {
                    n.license
                        .as_ref()
                        .map(|c| c.licenses().map(str::to_owned).collect::<Vec<_>>())
                        .unwrap_or_default()
                };
                out.suppress_share_alike(rule_of(na).into_iter().chain(rule_of(nb)));
            }
        }
    }

    /// The first reciprocal license of `a` that asks derivatives for their
    /// data provenance.
    fn demands_provenance(&self, a: &Node) -> Option<&'g LicenseTerms> {
        let choices = a.license.as_ref().ok()?;
        choices
            .licenses()
            .filter_map(|k| self.catalog.get(k))
            .find(|t| {
                t.obligations
                    .reciprocity
                    .as_ref()
                    .is_some_and(|x| x.provenance)
            })
    }

    /// Missing references, and the provenance a reciprocal license
    /// (`demanded`, the first that binds) asks for; `unsourced` are the
    /// datasets of the lineage that record no source.
    fn provenance(
        &self,
        s: &Subject,
        demanded: Option<&LicenseTerms>,
        unsourced: &[usize],
        out: &mut Findings,
    ) {
        for d in &s.node.dangling {
            out.push(
                format!("dangling {}", d.field),
                s.finding(Finding::new(
                    Rule::MissingProvenance,
                    format!("`{}` {}, so its lineage cannot be checked", d.id, d.reason),
                ))
                .field(d.field.clone())
                .fix(format!(
                    "record or fetch `{}`, then re-record {} so the reference is pinned",
                    d.id,
                    s.id()
                )),
            );
        }
        let Some(terms) = demanded else { return };
        if !s.distributed() {
            return;
        }
        let clause = terms
            .obligations
            .reciprocity
            .as_ref()
            .map(|r| r.clause.as_str())
            .unwrap_or_default();
        if let Some(m) = s.node.loaded.manifest.model.as_ref() {
            let trains = m
                .derived_from
                .iter()
                .any(|u| !matches!(u.relation, Relation::Quantization | Relation::Merge));
            if m.trained_on.is_empty() && trains {
                out.push(
                    "provenance training-data",
                    s.finding(Finding::new(
                        Rule::MissingProvenance,
                        format!("{} (clause {clause}) requires derivatives to record their training data; {} records none", terms.id, s.id()),
                    ))
                    .field("model.trained_on")
                    .fix("record the datasets it was trained on and re-record it with `--trained-on ID`"),
                );
            }
        }
        for &d in unsourced {
            let n = &self.graph.nodes[d];
            out.push(
                format!("provenance source {}", n.id()),
                s.finding(Finding::new(
                    Rule::MissingProvenance,
                    format!("{} (clause {clause}) requires full data provenance; dataset {} records no source", terms.id, n.id()),
                ))
                .fix(format!("record where {} came from (`--source-url URL --retrieved DATE`, `--source-hub`, or `--source-local`)", n.id())),
            );
        }
    }

    /// Outputs of a model whose license forbids improving other models with
    /// them, used to train the subject (by distillation, or through data it
    /// generated), when the subject is not under that same license.
    fn competing_models(&self, s: &Subject, out: &mut Findings) {
        if !s.is_model() {
            return;
        }
        let nodes = &self.graph.nodes;
        // Each record reached, with the link before it (none: the subject)
        // and the hop to it: chains are built only for findings.
        let mut links: Vec<(usize, Option<usize>, Hop)> = Vec::new();
        let mut sources: Vec<usize> = Vec::new();
        let mut data: Vec<usize> = Vec::new();
        for e in &s.node.edges {
            match e.hop {
                Hop::Derived(Relation::Distillation) => sources.push(links.len()),
                Hop::TrainedOn => data.push(links.len()),
                _ => continue,
            }
            links.push((e.to, None, e.hop));
        }
        let mut seen = HashSet::new();
        while let Some(l) = data.pop() {
            let d = links[l].0;
            if !seen.insert(d) {
                continue;
            }
            for e in &nodes[d].edges {
                match e.hop {
                    Hop::GeneratedBy => sources.push(links.len()),
                    Hop::Upstream => data.push(links.len()),
                    _ => continue,
                }
                links.push((e.to, Some(l), e.hop));
            }
        }
        let chain = |mut l: usize| {
            let mut rev = Vec::new();
            loop {
                let (n, before, hop) = links[l];
                rev.push(format!("{}: {}", hop.label(), nodes[n].id()));
                match before {
                    Some(b) => l = b,
                    None => break,
                }
            }
            rev.push(s.id().to_owned());
            rev.reverse();
            rev
        };
        for l in sources {
            let m = links[l].0;
            let a = &nodes[m];
            let Ok(choices) = &a.license else { continue };
            self.generator_terms(s, a, choices, &|| chain(l), out);
            let clause = choices.options.iter().all(|o| {
                o.iter()
                    .filter_map(|k| self.catalog.get(k))
                    .any(|t| t.obligations.competing_models.is_some())
            });
            if !clause {
                continue;
            }
            let Some(t) = choices
                .licenses()
                .filter_map(|k| self.catalog.get(k))
                .find(|t| t.obligations.competing_models.is_some())
            else {
                continue;
            };
            if s.licenses().any(|k| self.catalog.same(k, &t.id)) {
                continue;
            }
            let c = t
                .obligations
                .competing_models
                .as_ref()
                .map(|c| c.clause.as_str())
                .unwrap_or_default();
            out.push(
                format!("competing {}", a.id()),
                s.finding(Finding::new(
                    Rule::CompetingModelClause,
                    format!("{} was trained on outputs of {}, which is under {}; clause {c} forbids using its outputs to improve other models", s.id(), a.id(), t.id),
                ))
                .chain(chain(l))
                .fix(format!("retrain without data generated by {}, or offer {} under {} as a derivative of it", a.id(), s.id(), t.id)),
            );
        }
    }
}

impl Checker<'_, '_> {
    /// A generator's terms of service that restrict what its outputs may
    /// build, for a model trained on them: a warning, since such terms bind
    /// the service's customer by contract rather than the outputs by
    /// license, and whether they reach a later trainer is for counsel.
    fn generator_terms(
        &self,
        s: &Subject,
        a: &Node,
        choices: &crate::license::expression::Choices,
        chain: &dyn Fn() -> Vec<String>,
        out: &mut Findings,
    ) {
        for t in choices.licenses().filter_map(|k| self.catalog.get(k)) {
            let Some(terms) = &t.obligations.output_terms else {
                continue;
            };
            out.push(
                format!("generator-terms {} {}", a.id(), t.id),
                s.finding(Finding::new(
                    Rule::GeneratorTerms,
                    format!(
                        "{} was trained on outputs of {}, whose {} (clause {}) forbid {}",
                        s.id(),
                        a.id(),
                        t.name,
                        terms.clause,
                        terms.forbids
                    ),
                ))
                .chain(chain())
                .fix(format!(
                    "make sure {} does not compete with {} as those terms mean it, or retrain without data it generated",
                    s.id(),
                    a.id()
                )),
            );
        }
    }
}

/// The record being checked, with the facts the rules ask about.
struct Subject<'n, 'a> {
    node: &'n Node<'a>,
    choices: Option<&'n Vec<Vec<String>>>,
    restrictions: Vec<String>,
    display: Option<String>,
}

impl<'n, 'a> Subject<'n, 'a> {
    fn new(node: &'n Node<'a>) -> Subject<'n, 'a> {
        let m = &node.loaded.manifest;
        Subject {
            node,
            choices: node.license.as_ref().ok().map(|c| &c.options),
            restrictions: m
                .model
                .iter()
                .flat_map(|x| &x.use_restrictions)
                .map(|r| normalise(r))
                .collect(),
            display: m
                .license
                .as_ref()
                .and_then(|l| l.display_attribution.as_deref())
                .map(normalise),
        }
    }

    fn id(&self) -> &str {
        self.node.id()
    }

    fn kind(&self) -> Kind {
        self.node.kind()
    }

    fn is_model(&self) -> bool {
        self.kind() == Kind::Model
    }

    fn expression(&self) -> &str {
        self.node
            .loaded
            .manifest
            .license
            .as_ref()
            .map(|l| l.expression.as_str())
            .unwrap_or("")
    }

    fn licenses(&self) -> impl Iterator<Item = &String> {
        self.choices.into_iter().flatten().flatten()
    }

    fn weights(&self) -> Option<Weights> {
        self.node
            .loaded
            .manifest
            .model
            .as_ref()
            .and_then(|m| m.weights)
    }

    /// Copies are handed out: published weights, or any dataset.
    fn distributed(&self) -> bool {
        !matches!(
            self.weights(),
            Some(Weights::Private) | Some(Weights::Served)
        )
    }

    /// Made available to others at all: published or served.
    fn offered(&self) -> bool {
        self.weights() != Some(Weights::Private)
    }

    /// Whether the record says it obtained `act` under `license`.
    fn obtained(&self, license: &str, act: ObtainedFor) -> bool {
        let m = &self.node.loaded.manifest;
        m.license
            .iter()
            .flat_map(|l| &l.obtained)
            .any(|o| o.act == act && o.license.eq_ignore_ascii_case(license))
    }

    /// Whether `trigger` is set off by the subject, for upstream `a`.
    fn triggered(&self, trigger: Trigger, a: &Node) -> bool {
        match trigger {
            Trigger::Distribution => self.distributed(),
            Trigger::Offering => self.offered(),
            Trigger::Serving => self.served(),
            Trigger::NewName => self.offered() && !self.keeps_upstream_name(a),
        }
    }

    /// A quantization published under the name of the model it quantizes
    /// (or of `a`): no name of its own.
    fn keeps_upstream_name(&self, a: &Node) -> bool {
        self.quantizes() && (self.keeps_quantized_name() || self.named_after(&node_name(a)))
    }

    /// A quantization whose name does not begin with the name of a model it
    /// quantizes: whether it keeps an upstream's name depends on which.
    fn renames_quantization(&self) -> bool {
        self.quantizes() && !self.keeps_quantized_name()
    }

    /// The ids of the models it quantizes.
    fn quantized(&self) -> impl Iterator<Item = &str> {
        self.node
            .loaded
            .manifest
            .model
            .iter()
            .flat_map(|m| &m.derived_from)
            .filter(|u| u.relation == Relation::Quantization)
            .map(|u| u.id.as_str())
    }

    fn quantizes(&self) -> bool {
        self.quantized().next().is_some()
    }

    fn keeps_quantized_name(&self) -> bool {
        self.quantized()
            .any(|id| self.named_after(id.rsplit('/').next().unwrap_or(id)))
    }

    /// Whether its name begins with `upstream` (normalised, not empty).
    fn named_after(&self, upstream: &str) -> bool {
        let n = identify::normalise(upstream);
        !n.is_empty() && identify::normalise(&self.name()).starts_with(&n)
    }

    fn served(&self) -> bool {
        self.weights() == Some(Weights::Served)
    }

    fn commercial(&self) -> bool {
        self.node
            .loaded
            .manifest
            .model
            .as_ref()
            .and_then(|m| m.commercial)
            == Some(true)
    }

    /// The name it is published under (else the name part of its id).
    fn name(&self) -> String {
        node_name(self.node)
    }

    fn carries_notice(&self, want: &str) -> bool {
        self.node.notices.iter().any(|n| n.contains(want))
    }

    fn credits(&self, a: &Node) -> bool {
        self.node.notices.iter().any(|n| {
            a.names
                .iter()
                .chain(&a.notices)
                .any(|x| n.contains(x.as_str()))
        })
    }

    /// Whether a notice of its own contains a notice of `a`'s: credit that
    /// every record with `a`'s notices receives alike.
    fn credits_by_notice(&self, a: &Node) -> bool {
        self.node
            .notices
            .iter()
            .any(|n| a.notices.iter().any(|x| n.contains(x.as_str())))
    }

    fn restricts(&self, want: &str) -> bool {
        self.restrictions.iter().any(|r| r.contains(want))
    }

    fn displays(&self, texts: &[String]) -> bool {
        self.display
            .as_ref()
            .is_some_and(|s| texts.iter().any(|t| s.contains(&normalise(t))))
    }

    fn license_copy_problem(&self) -> Option<String> {
        let m = &self.node.loaded.manifest;
        let listed = m
            .license
            .as_ref()
            .map(|l| l.license_files.as_slice())
            .unwrap_or_default();
        if listed.is_empty() {
            return Some(format!("{} lists no license file", self.id()));
        }
        if !m.files.is_empty()
            && let Some(absent) = listed
                .iter()
                .find(|f| !m.files.iter().any(|x| &x.path == *f))
        {
            return Some(format!(
                "its license file `{absent}` is not among its files"
            ));
        }
        None
    }

    /// An option of the subject's license with no license satisfying `ok`.
    fn option_without(&self, ok: impl Fn(&str) -> bool) -> Option<String> {
        self.choices?
            .iter()
            .find(|o| !o.iter().any(|k| ok(k)))
            .map(|o| o.join(" AND "))
    }

    fn finding(&self, f: Finding) -> Finding {
        f.id(self.id()).file(self.node.loaded.rel.clone())
    }
}

/// The name a record is published under, else the name part of its id.
fn node_name(n: &Node) -> String {
    let m = &n.loaded.manifest;
    m.model
        .as_ref()
        .and_then(|x| x.published_name.clone())
        .unwrap_or_else(|| m.id.rsplit('/').next().unwrap_or(&m.id).to_owned())
}

/// Whether `name` begins with `prefix`, spaces in the prefix matching a
/// space, `-` or `_`. Letters compare as ASCII only, so look-alike letters
/// from other scripts never pass.
pub fn check_prefix(name: &str, prefix: &str) -> Result<(), String> {
    let mut chars = name.chars();
    for want in prefix.chars() {
        let got = chars.next();
        let ok = match got {
            Some(c) if want == ' ' => matches!(c, ' ' | '-' | '_'),
            Some(c) => c.is_ascii() && c.eq_ignore_ascii_case(&want),
            None => false,
        };
        if !ok {
            let detail = match got {
                Some(c) if !c.is_ascii() && c.is_alphanumeric() => {
                    format!(
                        " (U+{:04X} `{c}` is a look-alike of `{want}`, not the letter itself)",
                        c as u32
                    )
                }
                _ => String::new(),
            };
            return Err(format!("\"{name}\" does not{detail}"));
        }
    }
    Ok(())
}

/// Findings of one subject, unique by key, in the order found.
#[derive(Default)]
struct Findings {
    items: Vec<Candidate>,
    keys: HashSet<String>,
    suppressed: Vec<String>,
}

impl Findings {
    fn push(&mut self, key: impl Into<String>, finding: Finding) {
        self.extend([Candidate {
            key: key.into(),
            finding,
            share_alike_of: None,
        }]);
    }

    fn extend(&mut self, candidates: impl IntoIterator<Item = Candidate>) {
        for c in candidates {
            if self.keys.insert(c.key.clone()) {
                self.items.push(c);
            }
        }
    }

    /// Share-alike violations of these licenses are explained by a conflict.
    fn suppress_share_alike(&mut self, licenses: impl Iterator<Item = String>) {
        self.suppressed.extend(licenses);
    }

    fn finish(self) -> Vec<Finding> {
        let suppressed = self.suppressed;
        self.items
            .into_iter()
            .filter(|c| {
                c.share_alike_of
                    .as_ref()
                    .is_none_or(|l| !suppressed.iter().any(|s| s.eq_ignore_ascii_case(l)))
            })
            .map(|c| c.finding)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{CheckPolicy, Checker, Subject, check_prefix};
    use crate::commons::Loaded;
    use crate::license::{Catalog, LicenseGraph};
    use crate::manifest::{
        Kind, License, Manifest, Reference, Relation, Source, TrainingData, Upstream, Weights,
    };

    fn loaded(m: Manifest) -> Loaded {
        Loaded::in_memory(m)
    }

    fn license(expression: &str, notices: &[&str]) -> Option<License> {
        Some(License {
            expression: expression.into(),
            notices: notices.iter().map(|n| n.to_string()).collect(),
            license_files: vec!["LICENSE".into()],
            display_attribution: Some("Built with Llama".into()),
            declared: None,
            obtained: Vec::new(),
        })
    }

    fn local_source() -> Option<Source> {
        Some(Source {
            hub: None,
            url: None,
            retrieved: None,
            git: None,
            local: Some("made here".into()),
        })
    }

    fn pin(l: &Loaded) -> Reference {
        Reference {
            id: l.manifest.id.clone(),
            digest: Some(l.digest.clone()),
        }
    }

    fn derive(m: &mut Manifest, from: &Loaded, relation: Relation) {
        m.model.as_mut().unwrap().derived_from.push(Upstream {
            id: from.manifest.id.clone(),
            relation,
            digest: Some(from.digest.clone()),
        });
    }

    fn train(m: &mut Manifest, on: &Loaded) {
        let r = pin(on);
        m.model.as_mut().unwrap().trained_on.push(TrainingData {
            id: r.id,
            digest: r.digest,
            stage: None,
        });
    }

    const NOTICE: &str = "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.";
    const AUP: &str = "Llama 3.1 Acceptable Use Policy";

    /// A Llama 3.1 model and `depth` fine-tunes, each of the one before,
    /// every one honouring the license; with `merges`, each also merges the
    /// record two before it (a lineage of diamonds).
    fn llama_lineage(depth: usize, merges: bool) -> Vec<Loaded> {
        let mut out: Vec<Loaded> = Vec::new();
        for i in 0..=depth {
            let mut m = Manifest::new(Kind::Model, format!("acme/llama-{i}"));
            m.license = license("LicenseRef-llama3.1", &[NOTICE]);
            m.source = local_source();
            let model = m.model.as_mut().unwrap();
            model.published_name = Some(format!("Llama-3.1-Acme-{i}"));
            model.use_restrictions = vec![AUP.into()];
            model.weights = Some(Weights::Published);
            if i > 0 {
                let relation = if merges && i > 1 {
                    Relation::Merge
                } else {
                    Relation::FineTune
                };
                derive(&mut m, &out[i - 1], relation);
                if merges && i > 1 {
                    derive(&mut m, &out[i - 2], relation);
                }
            }
            out.push(loaded(m));
        }
        out
    }

    /// The work of checking every record of `loaded`, and the findings.
    fn check_all(loaded: &[Loaded], policy: &CheckPolicy) -> (usize, usize) {
        let graph = LicenseGraph::new(loaded);
        let catalog = Catalog::built_in();
        let all: Vec<usize> = (0..graph.nodes.len()).collect();
        let order = graph.upstream_first(&all).unwrap();
        let checker = Checker::new(&graph, &catalog, policy, &order);
        let findings = order.iter().map(|&n| checker.check(n).len()).sum();
        (checker.work(), findings)
    }

    /// Each record's obligations are computed once and shared by the
    /// records made from it: checking every record of a lineage 3,000 deep
    /// (plain, or every record merging the two before it) visits a bounded
    /// number of entries per record, not the whole lineage again.
    #[test]
    fn checking_a_lineage_is_linear_in_its_size() {
        let policy = CheckPolicy::default();
        for merges in [false, true] {
            let lineage = llama_lineage(3_000, merges);
            let (work, found) = check_all(&lineage, &policy);
            assert_eq!(found, 0, "a lineage that honours its license");
            assert!(
                work <= 10 * lineage.len(),
                "checking {} records did {work} units of work (merges: {merges})",
                lineage.len()
            );
        }
    }

    /// A lineage as deep as a hundred thousand records is checked without
    /// recursion.
    #[test]
    fn a_very_deep_lineage_is_checked() {
        let (_, found) = check_all(&llama_lineage(100_000, false), &CheckPolicy::default());
        assert_eq!(found, 0);
    }

    /// A deterministic mixed lineage: models and datasets under licenses
    /// that credit, share alike, restrict, reciprocate, name, forbid
    /// competing models or are unknown, with merges, distillation,
    /// quantizations, training data and generated data, notices from a
    /// small pool (so some credit and some do not), some datasets without a
    /// source.
    fn mixed_lineage(records: usize, seed: u64) -> Vec<Loaded> {
        const LICENSES: &[&str] = &[
            "Apache-2.0",
            "MIT",
            "LicenseRef-llama3.1",
            "CC-BY-4.0",
            "CC-BY-SA-4.0",
            "GPL-3.0-only",
            "CC-BY-NC-4.0",
            "MIT OR CC-BY-NC-4.0",
            "LicenseRef-Commons-Reciprocal-1.0",
            "LicenseRef-qwen",
            "LicenseRef-not-in-the-catalog",
            "ODbL-1.0",
            "LicenseRef-openai-terms",
            "LicenseRef-gemma",
            "CC-BY-SA-4.0 AND GPL-3.0-only",
        ];
        const NOTICES: &[&str] = &["Copyright Acme", NOTICE, "Data by the Commons", "acme/m-3"];
        const NAMES: &[&str] = &["Llama-3.1-x", "Other", "m-1-q", "Llama-3.1-x-GGUF"];
        let mut state = seed;
        let mut rng = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut out: Vec<Loaded> = Vec::new();
        for i in 0..records {
            let dataset = rng(3) == 0;
            let kind = if dataset { Kind::Dataset } else { Kind::Model };
            let mut m = Manifest::new(
                kind,
                format!("acme/{}-{i}", if dataset { "d" } else { "m" }),
            );
            m.license = match rng(16) {
                0 => None,
                k => {
                    let notices: Vec<&str> =
                        (0..rng(3)).map(|_| NOTICES[rng(NOTICES.len())]).collect();
                    license(LICENSES[k % LICENSES.len()], &notices)
                }
            };
            m.source = if dataset && rng(6) == 0 {
                None
            } else {
                local_source()
            };
            let earlier =
                |rng: &mut dyn FnMut(usize) -> usize| (i > 0).then(|| i - 1 - rng(i.min(6)));
            if dataset {
                let ds = m.dataset.as_mut().unwrap();
                for _ in 0..rng(3) {
                    if let Some(u) =
                        earlier(&mut rng).filter(|&u| out[u].manifest.kind == Kind::Dataset)
                        && !ds.upstream.iter().any(|r| r.id == out[u].manifest.id)
                    {
                        ds.upstream.push(pin(&out[u]));
                    }
                }
                if let Some(g) = earlier(&mut rng).filter(|&g| out[g].manifest.kind == Kind::Model)
                {
                    ds.generated_by = Some(pin(&out[g]));
                }
            } else {
                for _ in 0..rng(3) {
                    let Some(u) = earlier(&mut rng) else { break };
                    let id = &out[u].manifest.id;
                    let model = m.model.as_ref().unwrap();
                    if model.derived_from.iter().any(|x| &x.id == id)
                        || model.trained_on.iter().any(|x| &x.id == id)
                    {
                        continue;
                    }
                    if out[u].manifest.kind == Kind::Model {
                        let relation = [
                            Relation::FineTune,
                            Relation::Merge,
                            Relation::Distillation,
                            Relation::Quantization,
                        ][rng(4)];
                        derive(&mut m, &out[u], relation);
                    } else {
                        train(&mut m, &out[u]);
                    }
                }
                let model = m.model.as_mut().unwrap();
                model.published_name = Some(NAMES[rng(NAMES.len())].into());
                model.use_restrictions = (0..rng(2)).map(|_| AUP.to_owned()).collect();
                model.weights =
                    Some([Weights::Published, Weights::Served, Weights::Private][rng(3)]);
                model.commercial = Some(rng(2) == 0);
            }
            out.push(loaded(m));
        }
        out
    }

    /// The shared summaries find exactly what walking every upstream of
    /// every record finds: the same findings, in the same order, with the
    /// same chains; and they decide most checks.
    #[test]
    fn shared_summaries_find_what_walking_every_upstream_finds() {
        let catalog = Catalog::built_in();
        let (mut shared, mut checks, mut found) = (0, 0, 0);
        for seed in 1..=12u64 {
            let loaded = mixed_lineage(150, seed * 0x9E37_79B9);
            let graph = LicenseGraph::new(&loaded);
            let all: Vec<usize> = (0..graph.nodes.len()).collect();
            let order = graph.upstream_first(&all).unwrap();
            for (bind, distil) in [(true, true), (false, false), (true, false), (false, true)] {
                let policy = CheckPolicy {
                    dataset_licenses_bind_weights: bind,
                    distillation_is_derivative: distil,
                    ..CheckPolicy::default()
                };
                let checker = Checker::new(&graph, &catalog, &policy, &order);
                for &n in &order {
                    let s = Subject::new(&graph.nodes[n]);
                    let walked = checker.exhaustive(&s, n);
                    found += walked.len();
                    if let Some(summarised) = checker.shared(&s, n) {
                        assert_eq!(summarised, walked, "findings of {}", graph.nodes[n].id());
                        shared += 1;
                    }
                    checks += 1;
                }
            }
        }
        assert!(
            found > checks,
            "the lineages have findings to compare: {found}"
        );
        assert!(
            shared * 2 > checks,
            "the summaries decided only {shared} of {checks} checks"
        );
    }

    #[test]
    fn prefixes() {
        assert!(check_prefix("Llama-3.1-Acme-8B", "Llama").is_ok());
        assert!(check_prefix("llama 3 chat", "Llama 3").is_ok());
        assert!(check_prefix("Llama-3-chat", "Llama 3").is_ok());
        assert!(check_prefix("Acme-8B", "Llama").is_err());
        assert!(check_prefix("Llama-2-chat", "Llama 3").is_err());
        assert!(check_prefix("Lla", "Llama").is_err());
    }

    #[test]
    fn look_alike_letters_fail() {
        // Cyrillic а (U+0430) in place of the Latin a.
        let err = check_prefix("Llаma-3.1-chat", "Llama").unwrap_err();
        assert!(err.contains("U+0430"), "{err}");
        // Fullwidth letters.
        assert!(check_prefix("Ｌｌａｍａ-chat", "Llama").is_err());
        // Roman numeral fifty (U+216C) looks like L.
        assert!(check_prefix("\u{216C}lama-3.1", "Llama").is_err());
    }
}
