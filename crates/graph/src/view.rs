//! Views of a partial graph: the directed stance network, the congruence and conflict
//! networks of Discourse Network Analysis, and the event (who met whom) network, with
//! date, weight, type and ego filters. The result is a [`StanceGraph`] whose node and edge
//! order is the sorted order of their keys, so it is the same for any input order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::str::FromStr;

use petgraph::graph::{Graph, NodeIndex};
use stancegraph_model::{Entity, EntityType, Event, Statement};

use crate::partial::{
    build_partial_from_tables, Observation, PartialGraph, Text, AFFILIATION_RELATION,
    STANCE_RELATION, STANCE_SCALE,
};
use crate::text::clean_text;
use crate::GraphError;

/// A statement target is neutral when |stance| is below this.
pub const NEUTRAL_THRESHOLD: f64 = 0.2;
const NEUTRAL_MICROS: i64 = 200_000;

/// The relation name of congruence edges.
pub const CONGRUENCE_RELATION: &str = "congruence";
/// The relation name of conflict edges.
pub const CONFLICT_RELATION: &str = "conflict";

/// Which network to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum View {
    /// Directed speaker → target stance edges, plus undirected event edges (and
    /// affiliation edges when asked).
    #[default]
    Stance,
    /// Undirected speaker — speaker edges: both took the same stance sign toward a target.
    Congruence,
    /// Undirected speaker — speaker edges: they took opposite stance signs toward a target.
    Conflict,
    /// Undirected event edges only: who met, visited or called whom.
    Events,
}

impl View {
    /// Every view, for help texts.
    pub const ALL: [View; 4] = [View::Stance, View::Congruence, View::Conflict, View::Events];

    pub fn as_str(self) -> &'static str {
        match self {
            View::Stance => "stance",
            View::Congruence => "congruence",
            View::Conflict => "conflict",
            View::Events => "events",
        }
    }

    /// Whether the view's edges are directed (mixed for `stance`: events stay undirected).
    pub fn is_directed(self) -> bool {
        self == View::Stance
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for View {
    type Err = GraphError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        View::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| GraphError::UnknownView(s.to_owned()))
    }
}

/// Parses a comma-separated list of entity types (`person,country`), as `--type` takes.
pub fn parse_entity_types(list: &str) -> Result<Vec<EntityType>, GraphError> {
    const TYPES: [EntityType; 6] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Country,
        EntityType::Group,
        EntityType::Location,
        EntityType::Other,
    ];
    let mut types = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let found = TYPES
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| GraphError::UnknownEntityType(name.to_owned()))?;
        if !types.contains(&found) {
            types.push(found);
        }
    }
    Ok(types)
}

/// What to build and which filters to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewOptions {
    pub view: View,
    /// Keep statements and events dated on or after this (`YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD`). With any date filter, undated statements and events are dropped.
    pub from: Option<String>,
    /// Keep statements and events dated on or before this (a prefix such as `2020-12`
    /// includes the whole month).
    pub to: Option<String>,
    /// Drop edges lighter than this (0 and 1 keep every edge). Above 1, nodes left
    /// without edges are dropped too.
    pub min_weight: u64,
    /// Keep only nodes of these types (empty: every type).
    pub types: Vec<EntityType>,
    /// Ego network around this actor: an entity id, or a name or alias (case-insensitive).
    pub actor: Option<String>,
    /// Ego network radius in edges (ignoring direction); 1 by default.
    pub depth: usize,
    /// Add affiliation edges (entity → each entity it belongs to) in the stance view.
    pub affiliations: bool,
    /// Drop nodes without edges.
    pub drop_isolates: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            view: View::Stance,
            from: None,
            to: None,
            min_weight: 0,
            types: Vec::new(),
            actor: None,
            depth: 1,
            affiliations: false,
            drop_isolates: false,
        }
    }
}

impl ViewOptions {
    /// The default options for a view.
    pub fn for_view(view: View) -> Self {
        ViewOptions {
            view,
            ..Self::default()
        }
    }

    fn has_date_filter(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether an item with this date passes the date filters.
    pub fn date_ok(&self, date: Option<&str>) -> bool {
        if !self.has_date_filter() {
            return true;
        }
        let Some(date) = date else {
            return false;
        };
        if let Some(from) = &self.from {
            if date < from.as_str() {
                return false;
            }
        }
        if let Some(to) = &self.to {
            if date > to.as_str() && !date.starts_with(to.as_str()) {
                return false;
            }
        }
        true
    }

    fn any_date_ok(&self, dates: &crate::partial::DateSet) -> bool {
        dates.iter().any(|d| self.date_ok(d.as_deref()))
    }
}

/// A node: one actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeData {
    /// Entity id (unique in the graph).
    pub id: String,
    /// Canonical name (the entity id when the entity table does not know it).
    pub name: String,
    pub entity_type: EntityType,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    pub roles: Vec<String>,
    /// Mentions over the corpus, from the entity table.
    pub mentions: u64,
    /// Documents over the corpus, from the entity table.
    pub documents: u64,
}

/// An edge: the aggregate of the statements or events between two actors.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeData {
    /// `e0`, `e1`, ... in edge order.
    pub id: String,
    /// `stance`, an event type (`meet`, `visit`, ...), `affiliation`, `congruence` or
    /// `conflict`.
    pub relation: String,
    /// Stance and affiliation edges are directed; the others are undirected with
    /// source < target.
    pub directed: bool,
    /// Number of statements or events (for congruence and conflict: number of
    /// (target, sign) agreements or disagreements).
    pub weight: u64,
    /// Mean stance toward the target, for stance edges.
    pub stance: Option<f64>,
    pub positive: u64,
    pub negative: u64,
    pub neutral: u64,
    /// CAMEO codes seen, sorted.
    pub codes: Vec<String>,
    /// Distinct dates seen, sorted.
    pub dates: Vec<String>,
    /// Statement ids (stance edges), `doc:start` event ids (event edges) or target
    /// entity ids (congruence and conflict edges), sorted by document and offset.
    pub evidence: Vec<String>,
}

impl EdgeData {
    pub fn first_date(&self) -> Option<&str> {
        self.dates.first().map(String::as_str)
    }
    pub fn last_date(&self) -> Option<&str> {
        self.dates.last().map(String::as_str)
    }
    /// The attribute name of [`EdgeData::evidence`] for this relation: `statements`,
    /// `events`, `targets`, or `None` for affiliations.
    pub fn evidence_name(&self) -> Option<&'static str> {
        evidence_name(&self.relation)
    }
}

pub(crate) fn evidence_name(relation: &str) -> Option<&'static str> {
    match relation {
        STANCE_RELATION => Some("statements"),
        AFFILIATION_RELATION => None,
        CONGRUENCE_RELATION | CONFLICT_RELATION => Some("targets"),
        _ => Some("events"),
    }
}

/// A built view: a petgraph graph whose node and edge indices follow the sorted order of
/// node ids and edge keys.
#[derive(Debug, Clone)]
pub struct StanceGraph {
    pub graph: Graph<NodeData, EdgeData>,
    /// Whether the graph is directed as a whole (true for the stance view, whose event
    /// edges are still marked `directed: false`).
    pub directed: bool,
    pub view: View,
}

impl StanceGraph {
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Nodes in order.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeData> {
        self.graph.node_weights()
    }

    /// Edges in order, with their source and target nodes.
    pub fn edges(&self) -> impl Iterator<Item = (&NodeData, &NodeData, &EdgeData)> {
        self.graph.edge_indices().filter_map(move |e| {
            let (s, t) = self.graph.edge_endpoints(e)?;
            Some((&self.graph[s], &self.graph[t], &self.graph[e]))
        })
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&NodeData> {
        self.nodes().find(|n| n.id == id)
    }

    /// The edge `source → target` with this relation (for undirected edges either order).
    pub fn find_edge(&self, source: &str, target: &str, relation: &str) -> Option<&EdgeData> {
        self.edges()
            .find(|(s, t, e)| {
                e.relation == relation
                    && ((s.id == source && t.id == target)
                        || (!e.directed && s.id == target && t.id == source))
            })
            .map(|(_, _, e)| e)
    }

    /// Whether any edge carries a date (the GEXF is then dynamic).
    pub fn has_dates(&self) -> bool {
        self.graph.edge_weights().any(|e| !e.dates.is_empty())
    }

    /// A one-line summary: view, node and edge counts.
    pub fn summary(&self) -> String {
        format!(
            "{} view: {} nodes, {} edges",
            self.view,
            self.node_count(),
            self.edge_count()
        )
    }
}

/// The key of an edge in a view: source, target and relation, borrowed.
type ViewKey<'a> = (&'a str, &'a str, &'a str);

/// An edge before it gets its id, borrowing its strings from the partial graph.
struct PendingEdge<'a> {
    relation: &'a str,
    directed: bool,
    weight: u64,
    stance_sum: i64,
    stance_count: u64,
    positive: u64,
    negative: u64,
    neutral: u64,
    codes: BTreeSet<String>,
    dates: BTreeSet<String>,
    /// Evidence labels, already cleaned for output.
    evidence: Vec<String>,
}

impl<'a> PendingEdge<'a> {
    fn empty(relation: &'a str, directed: bool) -> Self {
        PendingEdge {
            relation,
            directed,
            weight: 0,
            stance_sum: 0,
            stance_count: 0,
            positive: 0,
            negative: 0,
            neutral: 0,
            codes: BTreeSet::new(),
            dates: BTreeSet::new(),
            evidence: Vec::new(),
        }
    }

    fn from_observations<'o>(
        relation: &'a str,
        observations: impl Iterator<Item = &'o Observation>,
    ) -> Self {
        let directed = relation == STANCE_RELATION;
        let mut edge = PendingEdge::empty(relation, directed);
        for observation in observations {
            edge.weight += 1;
            if let Some(micros) = observation.stance_micros() {
                edge.stance_sum += micros;
                edge.stance_count += 1;
                if micros >= NEUTRAL_MICROS {
                    edge.positive += 1;
                } else if micros <= -NEUTRAL_MICROS {
                    edge.negative += 1;
                } else {
                    edge.neutral += 1;
                }
            }
            if let Some(code) = observation.code() {
                insert_text(&mut edge.codes, code.as_str());
            }
            if let Some(date) = observation.date() {
                insert_text(&mut edge.dates, date.as_str());
            }
            edge.evidence.push(clean_text(observation.label().as_str()));
        }
        edge
    }

    fn finish(self, index: usize) -> EdgeData {
        let stance = (self.stance_count > 0)
            .then(|| self.stance_sum as f64 / self.stance_count as f64 / STANCE_SCALE);
        EdgeData {
            id: format!("e{index}"),
            relation: clean_text(self.relation),
            directed: self.directed,
            weight: self.weight,
            stance,
            positive: self.positive,
            negative: self.negative,
            neutral: self.neutral,
            codes: self.codes.iter().map(|c| clean_text(c)).collect(),
            dates: self.dates.iter().map(|d| clean_text(d)).collect(),
            evidence: self.evidence,
        }
    }
}

/// Adds a non-empty text to a set, allocating only when it is new.
fn insert_text(set: &mut BTreeSet<String>, text: &str) {
    if !text.is_empty() && !set.contains(text) {
        set.insert(text.to_owned());
    }
}

/// The date of an observation as the date filters take it.
fn observation_date<'t>(date: &'t Option<Text<'_>>) -> Option<&'t str> {
    date.as_ref().map(Text::as_str)
}

/// Builds a view of a partial graph; node attributes come from the corpus entity table.
pub fn build_view<'a>(
    partial: &'a PartialGraph,
    entities: &'a [Entity],
    options: &ViewOptions,
) -> Result<StanceGraph, GraphError> {
    let mut entity_by_id: BTreeMap<&str, &Entity> = BTreeMap::new();
    for entity in entities {
        entity_by_id.entry(entity.id.as_str()).or_insert(entity);
    }
    let type_of = |id: &str| {
        entity_by_id
            .get(id)
            .map_or(EntityType::Other, |e| e.entity_type)
    };
    let type_ok = |id: &str| options.types.is_empty() || options.types.contains(&type_of(id));
    let view = options.view;

    // Edges whose endpoints pass the type filter and that keep an observation after the
    // date filter; their endpoints are the view's nodes, with the entities that take
    // part alone (statements without targets, single-actor events).
    let mut nodes: BTreeSet<&'a str> = BTreeSet::new();
    for (id, refs) in &partial.nodes {
        let wanted = match view {
            View::Stance => {
                options.any_date_ok(&refs.as_speaker) || options.any_date_ok(&refs.in_event)
            }
            View::Events => options.any_date_ok(&refs.in_event),
            View::Congruence | View::Conflict => options.any_date_ok(&refs.as_speaker),
        };
        if wanted && type_ok(id) {
            nodes.insert(id.as_str());
        }
    }
    let mut edges: BTreeMap<ViewKey<'a>, PendingEdge<'a>> = BTreeMap::new();
    for (key, observations) in &partial.edges {
        let is_stance = key.relation == STANCE_RELATION;
        let wanted = match view {
            View::Stance => true,
            View::Events => !is_stance,
            View::Congruence | View::Conflict => is_stance,
        };
        // In congruence and conflict views targets are not nodes: any type counts.
        let projected = matches!(view, View::Congruence | View::Conflict);
        if !wanted || !type_ok(&key.source) || (!projected && !type_ok(&key.target)) {
            continue;
        }
        let observations = observations.canonical();
        let edge = PendingEdge::from_observations(
            &key.relation,
            observations
                .iter()
                .filter(|o| options.date_ok(observation_date(&o.date()))),
        );
        if edge.weight == 0 {
            continue;
        }
        match view {
            View::Congruence | View::Conflict => {
                // Speakers are the nodes; targets are what they agree or disagree on.
                nodes.insert(key.source.as_str());
            }
            View::Stance | View::Events => {
                nodes.insert(key.source.as_str());
                nodes.insert(key.target.as_str());
                edges.insert(
                    (
                        key.source.as_str(),
                        key.target.as_str(),
                        key.relation.as_ref(),
                    ),
                    edge,
                );
            }
        }
    }
    if matches!(view, View::Congruence | View::Conflict) {
        edges = project_speakers(partial, &nodes, options);
    }

    if options.affiliations && view == View::Stance {
        let mut added: Vec<&'a str> = Vec::new();
        for id in &nodes {
            let Some(&entity) = entity_by_id.get(id) else {
                continue;
            };
            for affiliation in &entity.affiliations {
                if affiliation.is_empty() || affiliation == id || !type_ok(affiliation) {
                    continue;
                }
                added.push(affiliation.as_str());
                let mut edge = PendingEdge::empty(AFFILIATION_RELATION, true);
                edge.weight = 1;
                edges.insert((id, affiliation.as_str(), AFFILIATION_RELATION), edge);
            }
        }
        nodes.extend(added);
    }

    if options.min_weight > 1 {
        edges.retain(|_, e| e.weight >= options.min_weight);
    }

    if let Some(actor) = &options.actor {
        let seeds = resolve_actor(actor, &nodes, entities);
        if seeds.is_empty() {
            return Err(GraphError::UnknownActor(actor.clone()));
        }
        let ego = ego_nodes(&seeds, &edges, options.depth);
        nodes.retain(|id| ego.contains(*id));
        edges.retain(|k, _| ego.contains(k.0) && ego.contains(k.1));
    }

    if options.drop_isolates || options.min_weight > 1 {
        let linked: BTreeSet<&str> = edges.keys().flat_map(|k| [k.0, k.1]).collect();
        nodes.retain(|id| linked.contains(id));
    }

    Ok(assemble(nodes, edges, &entity_by_id, view))
}

/// Convenience: the partial graph of corpus tables (built in parallel) and its view.
pub fn build(
    entities: &[Entity],
    statements: &[Statement],
    events: &[Event],
    options: &ViewOptions,
) -> Result<StanceGraph, GraphError> {
    let partial = build_partial_from_tables(statements, events);
    build_view(&partial, entities, options)
}

/// Congruence or conflict edges between speakers, as Discourse Network Analyzer counts
/// them: for each target, each speaker has the set of stance signs it expressed toward
/// it (neutral statements carry no sign); two speakers gain one unit of congruence for
/// each sign both expressed, and one unit of conflict for each pair of opposite signs.
fn project_speakers<'a>(
    partial: &'a PartialGraph,
    speakers: &BTreeSet<&'a str>,
    options: &ViewOptions,
) -> BTreeMap<ViewKey<'a>, PendingEdge<'a>> {
    let mut signs_by_target: BTreeMap<&'a str, BTreeMap<&'a str, (bool, bool)>> = BTreeMap::new();
    for (key, observations) in &partial.edges {
        if key.relation != STANCE_RELATION || !speakers.contains(key.source.as_str()) {
            continue;
        }
        let mut positive = false;
        let mut negative = false;
        for observation in observations.canonical().iter() {
            if !options.date_ok(observation_date(&observation.date())) {
                continue;
            }
            match observation.stance_micros() {
                Some(n) if n >= NEUTRAL_MICROS => positive = true,
                Some(n) if n <= -NEUTRAL_MICROS => negative = true,
                _ => {}
            }
        }
        if positive || negative {
            signs_by_target
                .entry(key.target.as_str())
                .or_default()
                .insert(key.source.as_str(), (positive, negative));
        }
    }
    let (relation, congruence) = match options.view {
        View::Conflict => (CONFLICT_RELATION, false),
        _ => (CONGRUENCE_RELATION, true),
    };
    let mut edges: BTreeMap<ViewKey<'a>, PendingEdge<'a>> = BTreeMap::new();
    for (target, by_speaker) in signs_by_target {
        let list: Vec<(&'a str, (bool, bool))> = by_speaker.into_iter().collect();
        for (i, (a, (a_pos, a_neg))) in list.iter().enumerate() {
            for (b, (b_pos, b_neg)) in &list[i + 1..] {
                let count = if congruence {
                    u64::from(*a_pos && *b_pos) + u64::from(*a_neg && *b_neg)
                } else {
                    u64::from(*a_pos && *b_neg) + u64::from(*a_neg && *b_pos)
                };
                if count == 0 {
                    continue;
                }
                let edge = edges
                    .entry((*a, *b, relation))
                    .or_insert_with(|| PendingEdge::empty(relation, false));
                edge.weight += count;
                edge.evidence.push(clean_text(target));
            }
        }
    }
    edges
}

/// Node ids that the actor names: an id, else a canonical name, else an alias
/// (case-insensitive).
fn resolve_actor(actor: &str, nodes: &BTreeSet<&str>, entities: &[Entity]) -> Vec<String> {
    let actor = actor.trim();
    if nodes.contains(actor) || entities.iter().any(|e| e.id == actor) {
        return vec![actor.to_owned()];
    }
    let lower = actor.to_lowercase();
    let by_name: Vec<String> = entities
        .iter()
        .filter(|e| e.name.to_lowercase() == lower)
        .map(|e| e.id.clone())
        .collect();
    if !by_name.is_empty() {
        return by_name;
    }
    entities
        .iter()
        .filter(|e| e.aliases.iter().any(|a| a.to_lowercase() == lower))
        .map(|e| e.id.clone())
        .collect()
}

/// Nodes within `depth` edges of a seed, ignoring direction.
fn ego_nodes(
    seeds: &[String],
    edges: &BTreeMap<ViewKey<'_>, PendingEdge<'_>>,
    depth: usize,
) -> BTreeSet<String> {
    let mut adjacency: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (source, target, _) in edges.keys() {
        adjacency.entry(source).or_default().push(target);
        adjacency.entry(target).or_default().push(source);
    }
    let mut seen: BTreeSet<&str> = seeds.iter().map(String::as_str).collect();
    let mut queue: VecDeque<(&str, usize)> = seeds.iter().map(|s| (s.as_str(), 0)).collect();
    while let Some((node, distance)) = queue.pop_front() {
        if distance >= depth {
            continue;
        }
        for next in adjacency.get(node).into_iter().flatten() {
            if seen.insert(next) {
                queue.push_back((next, distance + 1));
            }
        }
    }
    seen.into_iter().map(str::to_owned).collect()
}

/// Builds the petgraph graph in sorted key order. Ids that collide after cleaning get a
/// `#2`, `#3` ... suffix so every node id stays unique in every format.
fn assemble(
    nodes: BTreeSet<&str>,
    edges: BTreeMap<ViewKey<'_>, PendingEdge<'_>>,
    entity_by_id: &BTreeMap<&str, &Entity>,
    view: View,
) -> StanceGraph {
    let mut graph: Graph<NodeData, EdgeData> = Graph::with_capacity(nodes.len(), edges.len());
    let mut index: BTreeMap<&str, NodeIndex> = BTreeMap::new();
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    for id in nodes {
        let mut clean_id = clean_text(id);
        if used_ids.contains(&clean_id) {
            let mut n = 2;
            while used_ids.contains(&format!("{clean_id}#{n}")) {
                n += 1;
            }
            clean_id = format!("{clean_id}#{n}");
        }
        used_ids.insert(clean_id.clone());
        let data = match entity_by_id.get(id) {
            Some(entity) => NodeData {
                id: clean_id,
                name: clean_text(&entity.name),
                entity_type: entity.entity_type,
                country: entity.country.as_deref().map(clean_text),
                wikidata: entity.wikidata.as_deref().map(clean_text),
                roles: entity.roles.iter().map(|r| clean_text(r)).collect(),
                mentions: entity.mentions,
                documents: entity.documents,
            },
            None => NodeData {
                name: clean_id.clone(),
                id: clean_id,
                entity_type: EntityType::Other,
                country: None,
                wikidata: None,
                roles: Vec::new(),
                mentions: 0,
                documents: 0,
            },
        };
        index.insert(id, graph.add_node(data));
    }
    for ((source, target, _), pending) in edges {
        let (Some(&source), Some(&target)) = (index.get(source), index.get(target)) else {
            continue;
        };
        let data = pending.finish(graph.edge_count());
        graph.add_edge(source, target, data);
    }
    StanceGraph {
        graph,
        directed: view.is_directed(),
        view,
    }
}
