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
//! cites the shortest chain of records that causes it.

use std::collections::{HashMap, HashSet};

use crate::finding::{Finding, Severity};
use crate::license::catalog::{
    Bound, Catalog, LicenseTerms, PermissionFor, Reach, Scope, Trigger, normalise,
};
use crate::license::graph::{Hop, LicenseGraph, Node};
use crate::license::identify::{self, Identity, LicenseCopy};
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

/// Path state bits. The path can bind at all (a dataset a model generated
/// is not bound by the model's license).
const BINDS: u8 = 1;
/// The path passes through a model's outputs (distillation, or data a model
/// generated).
const OUTPUTS: u8 = 2;
/// The node is data a model was trained on (not data derived from data).
const TRAINING_DATA: u8 = 4;
/// The path has passed through a model (the subject or a generator).
const THROUGH_MODEL: u8 = 8;
const STATES: usize = 16;

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

/// Checks records against the licenses of their lineage.
pub struct Checker<'g, 'a> {
    graph: &'g LicenseGraph<'a>,
    catalog: &'g Catalog,
    policy: &'g CheckPolicy,
}

/// A finding with the key that makes it unique for its subject, and the
/// upstream license whose share-alike clause it enforces, if any.
struct Candidate {
    key: String,
    finding: Finding,
    share_alike_of: Option<String>,
}

impl<'g, 'a> Checker<'g, 'a> {
    pub fn new(
        graph: &'g LicenseGraph<'a>,
        catalog: &'g Catalog,
        policy: &'g CheckPolicy,
    ) -> Checker<'g, 'a> {
        Checker {
            graph,
            catalog,
            policy,
        }
    }

    /// Every finding about `subject` (a node index).
    pub fn check(&self, subject: usize) -> Vec<Finding> {
        let s = Subject::new(&self.graph.nodes[subject]);
        let visits = self.walk(subject);
        let mut out = Findings::default();
        self.own_license(&s, &mut out);
        let mut share_alike: Vec<(usize, Vec<String>, Vec<String>)> = Vec::new();
        let mut seen_binding: HashSet<usize> = HashSet::new();
        for (i, r) in visits.iter().enumerate().skip(1) {
            if r.state & BINDS == 0 {
                continue;
            }
            let chain = self.chain(&visits, i);
            let a = &self.graph.nodes[r.node];
            out.extend(self.upstream(&s, a, &chain, r));
            if self.node_binds(r, &Scope::default())
                && seen_binding.insert(r.node)
                && let Some(allowed) = self.share_alike_allowed(&s, a, r)
            {
                share_alike.push((r.node, chain, allowed));
            }
        }
        self.share_alike_conflicts(&s, &share_alike, &mut out);
        self.provenance(&s, &visits, &mut out);
        self.competing_models(&s, &mut out);
        out.finish()
    }

    /// Whether an obligation of the license of the record reached by `r`
    /// binds the subject, given what the obligation's clause reaches.
    fn node_binds(&self, r: &Reached, scope: &Scope) -> bool {
        if r.state & BINDS == 0 {
            return false;
        }
        let node = &self.graph.nodes[r.node];
        let link = match node.kind() {
            Kind::Dataset if r.state & TRAINING_DATA != 0 => {
                self.policy.dataset_licenses_bind_weights && scope.reaches(Reach::TrainedModels)
            }
            Kind::Dataset => scope.reaches(Reach::Datasets),
            Kind::Model | Kind::Eval => scope.reaches(Reach::Weights),
        };
        if r.state & OUTPUTS == 0 {
            return link;
        }
        let named = scope.reaches(Reach::Outputs);
        named || (link && self.policy.distillation_is_derivative)
    }

    /// Breadth-first over (record, path state); the first entry is the
    /// subject.
    fn walk(&self, subject: usize) -> Vec<Reached> {
        let nodes = &self.graph.nodes;
        let start = BINDS
            | if nodes[subject].kind() == Kind::Model {
                THROUGH_MODEL
            } else {
                0
            };
        let mut seen: HashMap<usize, [bool; STATES]> = HashMap::new();
        seen.entry(subject).or_default()[start as usize] = true;
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
                let state = self.step(cur.state, edge.hop);
                let slot = &mut seen.entry(edge.to).or_default()[state as usize];
                if !std::mem::replace(slot, true) {
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
        visits
    }

    fn step(&self, state: u8, hop: Hop) -> u8 {
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
    fn upstream(&self, s: &Subject, a: &Node, chain: &[String], r: &Reached) -> Vec<Candidate> {
        let binds = self.node_binds(r, &Scope::default());
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
                        .chain(chain.to_vec())
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
                    Some(terms) => found.extend(self.obligations(s, a, terms, chain, r)),
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
                            .chain(chain.to_vec())
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
    fn obligations(
        &self,
        s: &Subject,
        a: &Node,
        t: &LicenseTerms,
        chain: &[String],
        r: &Reached,
    ) -> Vec<Candidate> {
        let mut out = Vec::new();
        let o = &t.obligations;
        // Whether an obligation reaches the subject by this path and its
        // trigger (or `default`) is set off.
        let applies = |ob: &dyn Bound, default: Trigger| {
            self.node_binds(r, ob.scope()) && s.triggered(ob.trigger().unwrap_or(default), a)
        };
        let mut add = |key: String, finding: Finding, share_alike_of: Option<String>| {
            out.push(Candidate {
                key,
                finding: s.finding(finding).chain(chain.to_vec()),
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
            .filter(|c| self.node_binds(r, c.scope()))
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
            .filter(|c| self.node_binds(r, c.scope()))
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
            .filter(|p| self.node_binds(r, p.scope()))
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
    fn share_alike_allowed(&self, s: &Subject, a: &Node, r: &Reached) -> Option<Vec<String>> {
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
                if !self.node_binds(r, &sa.scope) {
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
        found: &[(usize, Vec<String>, Vec<String>)],
        out: &mut Findings,
    ) {
        for (i, (a, chain_a, allowed_a)) in found.iter().enumerate() {
            for (b, chain_b, allowed_b) in &found[..i] {
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
                            chain_a.join(" -> ")
                        ),
                    ))
                    .field("license.expression")
                    .chain(chain_b.clone())
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

    /// Missing references, and the provenance a reciprocal license asks for.
    fn provenance(&self, s: &Subject, visits: &[Reached], out: &mut Findings) {
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
        let demanded = visits
            .iter()
            .skip(1)
            .filter(|r| self.node_binds(r, &Scope::default()))
            .find_map(|r| {
                let a = &self.graph.nodes[r.node];
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
                    .map(|t| (t, r))
            });
        let Some((terms, _)) = demanded else { return };
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
        let mut seen = HashSet::new();
        for r in visits {
            let n = &self.graph.nodes[r.node];
            if n.kind() == Kind::Dataset
                && n.loaded.manifest.source.is_none()
                && seen.insert(r.node)
            {
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
    }

    /// Outputs of a model whose license forbids improving other models with
    /// them, used to train the subject (by distillation, or through data it
    /// generated), when the subject is not under that same license.
    fn competing_models(&self, s: &Subject, out: &mut Findings) {
        if !s.is_model() {
            return;
        }
        let nodes = &self.graph.nodes;
        let mut sources: Vec<(usize, Vec<String>)> = Vec::new();
        let mut data: Vec<(usize, Vec<String>)> = Vec::new();
        for e in &s.node.edges {
            let link = vec![
                s.id().to_owned(),
                format!("{}: {}", e.hop.label(), nodes[e.to].id()),
            ];
            match e.hop {
                Hop::Derived(Relation::Distillation) => sources.push((e.to, link)),
                Hop::TrainedOn => data.push((e.to, link)),
                _ => {}
            }
        }
        let mut seen = HashSet::new();
        while let Some((d, chain)) = data.pop() {
            if !seen.insert(d) {
                continue;
            }
            for e in &nodes[d].edges {
                let mut next = chain.clone();
                next.push(format!("{}: {}", e.hop.label(), nodes[e.to].id()));
                match e.hop {
                    Hop::GeneratedBy => sources.push((e.to, next)),
                    Hop::Upstream => data.push((e.to, next)),
                    _ => {}
                }
            }
        }
        for (m, chain) in sources {
            let a = &nodes[m];
            let Ok(choices) = &a.license else { continue };
            self.generator_terms(s, a, choices, &chain, out);
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
                .chain(chain)
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
        chain: &[String],
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
                .chain(chain.to_vec())
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
        let Some(m) = self.node.loaded.manifest.model.as_ref() else {
            return false;
        };
        let name = identify::normalise(&self.name());
        let quantizes = m
            .derived_from
            .iter()
            .any(|u| u.relation == Relation::Quantization);
        let upstream_names = m
            .derived_from
            .iter()
            .filter(|u| u.relation == Relation::Quantization)
            .map(|u| u.id.rsplit('/').next().unwrap_or(&u.id).to_owned())
            .chain(std::iter::once(node_name(a)));
        quantizes
            && upstream_names
                .map(|n| identify::normalise(&n))
                .any(|n| !n.is_empty() && name.starts_with(&n))
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
    use super::check_prefix;

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
