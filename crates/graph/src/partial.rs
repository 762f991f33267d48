//! Partial graphs: what the statements and events of some documents contribute to the
//! relation graph, kept as raw observations so that merging is a set union.
//!
//! Every statement target and every pair of event actors becomes one observation under
//! its edge key `(source, target, relation)`, keyed by its evidence (document, start,
//! id). Because a merge is a union of observation sets (with `min` deciding between two
//! different observations under the same evidence key; see [`EdgeObservations`], which
//! keeps them compactly in a sorted vector), it is associative, commutative
//! and idempotent: the same documents give the same partial graph for any split, order
//! or thread count. Aggregates (weight, mean stance, counts, dates) are computed only
//! when a view is built, from integers, so they cannot depend on merge order either.
//! The top-level maps are hash maps for speed; views sort their keys, so no hash order
//! reaches any output.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use stancegraph_model::{Event, Relations, Statement};

use crate::observation::Label;
pub use crate::observation::{EdgeObservations, Observation, Text};

/// The relation name of statement edges.
pub const STANCE_RELATION: &str = "stance";
/// The relation name of affiliation edges.
pub const AFFILIATION_RELATION: &str = "affiliation";
/// The relation given to an event whose type is empty.
pub const DEFAULT_EVENT_RELATION: &str = "event";

/// Stances are stored as integer millionths so that sums are exact (an f32 carries
/// about seven significant digits, so nothing is lost).
pub(crate) const STANCE_SCALE: f64 = 1e6;

/// Converts a stance in [-1, 1] to integer millionths (NaN counts as 0; values are
/// clamped to [-1, 1]).
pub(crate) fn stance_to_micros(stance: f32) -> i64 {
    if stance.is_nan() {
        return 0;
    }
    let clamped = f64::from(stance).clamp(-1.0, 1.0);
    // |clamped * 1e6| <= 1e6, well inside i64.
    (clamped * STANCE_SCALE).round() as i64
}

/// The key of an edge: source and target entity ids and the relation
/// (`stance`, an event type such as `meet`, or `affiliation`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeKey {
    pub source: String,
    pub target: String,
    /// Borrowed for `stance` (no allocation per statement edge).
    pub relation: Cow<'static, str>,
}

/// A set of dates (None = undated). Hashed, because a busy speaker gathers thousands of
/// dates and each statement asks whether its date is already there; nothing iterates it
/// in an order that could reach an output (views only ask whether any date qualifies).
pub type DateSet = FxHashSet<Option<String>>;

/// How an entity takes part without an edge: the dates of its statements without any
/// target, and of events where it is the only actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeRefs {
    pub as_speaker: DateSet,
    pub in_event: DateSet,
}

impl NodeRefs {
    fn merge(&mut self, other: NodeRefs) {
        union_into(&mut self.as_speaker, other.as_speaker);
        union_into(&mut self.in_event, other.in_event);
    }
}

fn union_into(into: &mut DateSet, mut other: DateSet) {
    if other.len() > into.len() {
        std::mem::swap(into, &mut other);
    }
    into.extend(other);
}

/// The relation graph contributed by some documents, as raw observations. Iterate the
/// maps into sorted structures (or through [`PartialGraph::sorted_edges`]), never in
/// hash order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartialGraph {
    /// Entity id → how it takes part without an edge (entities on edges are not here
    /// unless they also take part alone).
    pub nodes: FxHashMap<String, NodeRefs>,
    /// Edge key → observations by evidence.
    pub edges: FxHashMap<EdgeKey, EdgeObservations>,
}

impl PartialGraph {
    /// An empty partial graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// The partial graph of one document's relations.
    pub fn from_relations(relations: &Relations) -> Self {
        let mut graph = Self::new();
        graph.add_relations(relations);
        graph
    }

    /// Adds every statement and event of one document.
    pub fn add_relations(&mut self, relations: &Relations) {
        for statement in &relations.statements {
            self.add_statement(statement);
        }
        for event in &relations.events {
            self.add_event(event);
        }
    }

    /// Records that `id` takes part on `date` in the role `role` picks out.
    fn note_node(
        &mut self,
        id: &str,
        date: &Option<String>,
        role: fn(&mut NodeRefs) -> &mut DateSet,
    ) {
        let add = |refs: &mut NodeRefs| {
            let dates = role(refs);
            if !dates.contains(date) {
                dates.insert(date.clone());
            }
        };
        match self.nodes.get_mut(id) {
            Some(refs) => add(refs),
            None => {
                let mut refs = NodeRefs::default();
                add(&mut refs);
                self.nodes.insert(id.to_owned(), refs);
            }
        }
    }

    /// Adds a statement: one observation on `speaker → target` (relation `stance`) for
    /// every distinct target other than the speaker. A statement without a speaker is
    /// ignored; one without targets only makes its speaker a node.
    pub fn add_statement(&mut self, statement: &Statement) {
        let speaker = statement.speaker.as_str();
        if speaker.is_empty() {
            return;
        }
        let date = &statement.date;
        let targets = &statement.targets;
        // Few targets: look back linearly; many: a set, so any input stays near-linear.
        let mut seen: Option<BTreeSet<&str>> = (targets.len() > 8).then(BTreeSet::new);
        let mut any_target = false;
        // Everything but the stance is the same for every target (built at the first).
        let mut template: Option<Observation> = None;
        for (i, target) in targets.iter().enumerate() {
            let target_id = target.entity.as_str();
            if target_id.is_empty() || target_id == speaker {
                continue;
            }
            let repeated = match seen.as_mut() {
                Some(seen) => !seen.insert(target_id),
                None => targets[..i].iter().any(|t| t.entity == target_id),
            };
            if repeated {
                continue;
            }
            any_target = true;
            let key = EdgeKey {
                source: speaker.to_owned(),
                target: target_id.to_owned(),
                relation: Cow::Borrowed(STANCE_RELATION),
            };
            let template = template.get_or_insert_with(|| {
                Observation::new(
                    &statement.doc,
                    statement.start,
                    Label::Statement(&statement.id),
                    None,
                    date.as_deref(),
                    statement.code.as_deref(),
                )
            });
            let observation = template.with_stance_micros(Some(stance_to_micros(target.stance)));
            self.edges.entry(key).or_default().push(observation);
        }
        if !any_target {
            self.note_node(speaker, date, |r| &mut r.as_speaker);
        }
    }

    /// Adds an event: one undirected observation for every pair of distinct actors, in
    /// canonical order (source < target), under the relation named by the event type.
    pub fn add_event(&mut self, event: &Event) {
        let actors: BTreeSet<&str> = event
            .actors
            .iter()
            .map(String::as_str)
            .filter(|a| !a.is_empty())
            .collect();
        if actors.is_empty() {
            return;
        }
        let relation: Cow<'static, str> = if event.event_type.is_empty() {
            Cow::Borrowed(DEFAULT_EVENT_RELATION)
        } else {
            Cow::Owned(event.event_type.clone())
        };
        if actors.len() == 1 {
            for actor in &actors {
                self.note_node(actor, &event.date, |r| &mut r.in_event);
            }
            return;
        }
        let actors: Vec<&str> = actors.into_iter().collect();
        let observation = Observation::new(
            &event.doc,
            event.start,
            Label::DocStart,
            None,
            event.date.as_deref(),
            event.code.as_deref(),
        );
        for (i, source) in actors.iter().enumerate() {
            for target in &actors[i + 1..] {
                let key = EdgeKey {
                    source: (*source).to_owned(),
                    target: (*target).to_owned(),
                    relation: relation.clone(),
                };
                self.edges.entry(key).or_default().push(observation.clone());
            }
        }
    }

    /// The union of two partial graphs. Associative, commutative and idempotent.
    pub fn merge(mut self, mut other: PartialGraph) -> PartialGraph {
        if other.nodes.len() + other.edges.len() > self.nodes.len() + self.edges.len() {
            std::mem::swap(&mut self, &mut other);
        }
        for (id, refs) in other.nodes {
            match self.nodes.get_mut(&id) {
                Some(existing) => existing.merge(refs),
                None => {
                    self.nodes.insert(id, refs);
                }
            }
        }
        for (key, observations) in other.edges {
            match self.edges.get_mut(&key) {
                Some(existing) => existing.absorb(observations),
                None => {
                    self.edges.insert(key, observations);
                }
            }
        }
        self
    }

    /// Edges sorted by key (source, target, relation).
    pub fn sorted_edges(&self) -> Vec<(&EdgeKey, &EdgeObservations)> {
        let mut edges: Vec<_> = self.edges.iter().collect();
        edges.sort_unstable_by(|a, b| a.0.cmp(b.0));
        edges
    }

    /// Number of distinct entities referenced (on edges or alone).
    pub fn node_count(&self) -> usize {
        let mut ids: rustc_hash::FxHashSet<&str> = self.nodes.keys().map(String::as_str).collect();
        for key in self.edges.keys() {
            ids.insert(&key.source);
            ids.insert(&key.target);
        }
        ids.len()
    }

    /// Number of distinct edge keys.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Number of observations over all edges.
    pub fn observation_count(&self) -> usize {
        self.edges.values().map(|o| o.len()).sum()
    }
}

/// The chunk length that gives each rayon thread one chunk: merging few large partial
/// graphs is cheaper than merging many small ones.
fn chunk_len(items: usize) -> usize {
    items.div_ceil(rayon::current_num_threads().max(1)).max(1)
}

/// Builds the partial graph of many documents in parallel (one chunk per thread, then a
/// reduce by [`PartialGraph::merge`]).
pub fn build_partial(relations: &[Relations]) -> PartialGraph {
    relations
        .par_chunks(chunk_len(relations.len()))
        .map(|chunk| {
            let mut graph = PartialGraph::new();
            for r in chunk {
                graph.add_relations(r);
            }
            graph
        })
        .reduce(PartialGraph::new, PartialGraph::merge)
}

/// Builds the partial graph of corpus-level statement and event tables in parallel
/// (as read back from `statements.jsonl` and `events.jsonl`).
pub fn build_partial_from_tables(statements: &[Statement], events: &[Event]) -> PartialGraph {
    let from_statements = statements
        .par_chunks(chunk_len(statements.len()))
        .map(|chunk| {
            let mut graph = PartialGraph::new();
            for s in chunk {
                graph.add_statement(s);
            }
            graph
        })
        .reduce(PartialGraph::new, PartialGraph::merge);
    let mut graph = from_statements;
    for event in events {
        graph.add_event(event);
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;
    use stancegraph_model::Target;

    fn statement(id: &str, doc: &str, speaker: &str, targets: &[(&str, f32)]) -> Statement {
        Statement {
            id: id.into(),
            doc: doc.into(),
            sentence: 0,
            start: id.len(),
            end: id.len() + 5,
            evidence: String::new(),
            speaker: speaker.into(),
            speaker_text: None,
            speaker_span: None,
            cue: None,
            cue_span: None,
            predicate: "say".into(),
            content: String::new(),
            content_span: Default::default(),
            quote: false,
            targets: targets
                .iter()
                .map(|(e, s)| Target {
                    entity: (*e).into(),
                    stance: *s,
                })
                .collect(),
            stance: 0.0,
            code: None,
            date: None,
        }
    }

    #[test]
    fn statement_skips_self_and_repeated_targets() {
        let mut g = PartialGraph::new();
        g.add_statement(&statement(
            "s1",
            "d1",
            "a",
            &[("b", -1.0), ("a", 1.0), ("b", 0.5), ("", 0.1)],
        ));
        assert_eq!(g.edge_count(), 1);
        let obs = g.edges.values().next().unwrap();
        assert_eq!(obs.canonical()[0].stance_micros(), Some(-1_000_000));
        assert_eq!(g.node_count(), 2);
    }

    #[test]
    fn many_targets_keep_the_first_stance_of_each() {
        let mut targets: Vec<(String, f32)> = (0..10).map(|i| (format!("t{i}"), 0.5)).collect();
        targets.push(("t3".into(), -0.5));
        targets.push(("a".into(), -0.5));
        let targets: Vec<(&str, f32)> = targets.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        let mut g = PartialGraph::new();
        g.add_statement(&statement("s:x", "d:odd", "a", &targets));
        assert_eq!(g.edge_count(), 10);
        assert_eq!(g.observation_count(), 10);
        assert!(g
            .edges
            .values()
            .all(|o| o.canonical()[0].stance_micros() == Some(500_000)));
        assert!(g.nodes.is_empty());
    }

    #[test]
    fn merge_is_commutative_associative_and_idempotent() {
        let a = PartialGraph::from_relations(&Relations {
            doc: "d1".into(),
            statements: vec![statement("s1", "d1", "a", &[("b", -0.5)])],
            events: vec![],
            entities: vec![],
        });
        let b = PartialGraph::from_relations(&Relations {
            doc: "d2".into(),
            statements: vec![statement("s2", "d2", "a", &[("b", 0.7), ("c", 0.1)])],
            events: vec![],
            entities: vec![],
        });
        let c = PartialGraph::from_relations(&Relations {
            doc: "d3".into(),
            statements: vec![statement("s3", "d3", "c", &[("a", 0.3)])],
            events: vec![],
            entities: vec![],
        });
        let ab_c = a.clone().merge(b.clone()).merge(c.clone());
        let a_bc = a.clone().merge(b.clone().merge(c.clone()));
        let cba = c.clone().merge(b.clone()).merge(a.clone());
        assert_eq!(ab_c, a_bc);
        assert_eq!(ab_c, cba);
        assert_eq!(ab_c.clone().merge(a), ab_c);
    }

    #[test]
    fn stance_micros_clamps_and_handles_nan() {
        assert_eq!(stance_to_micros(f32::NAN), 0);
        assert_eq!(stance_to_micros(3.0), 1_000_000);
        assert_eq!(stance_to_micros(-0.5), -500_000);
    }
}
