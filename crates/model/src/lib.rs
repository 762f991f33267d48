//! The shared data model of stancegraph: every type that one pipeline stage hands to the
//! next (ingest → segment → link → relate → graph), with serde for JSON output and bincode
//! for stage artifacts. No logic beyond invariants lives here.
//!
//! Offsets are UTF-8 byte offsets into [`Document::text`]; `start` is inclusive, `end`
//! exclusive. Field names follow the output contract (`OUTPUT.md`, format 1).

pub mod codec;

use serde::{Deserialize, Serialize};

/// The version of the output contract written into `run.json`.
pub const OUTPUT_FORMAT: u32 = 1;

/// A byte span `[start, end)` into a document's text. Serialised as `[start, end]`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span; `end` is clamped so that `start <= end` always holds.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// Whether `other` lies wholly inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The covered text, or `None` when the span is out of bounds or off a char boundary.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }
}

impl From<[usize; 2]> for Span {
    fn from(v: [usize; 2]) -> Self {
        Span::new(v[0], v[1])
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

/// One input document after ingest. The title, when found, is the first line of `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id derived from the normalised text: `d:` + 16 hex digits.
    pub id: String,
    /// The path as given, plus `#N` for the N-th record of a multi-document file.
    pub source: String,
    pub title: Option<String>,
    /// Publication date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Normalised text (NFC, folded spaces, paragraphs separated by a blank line).
    pub text: String,
    /// Id of an earlier document with the same text.
    pub duplicate_of: Option<String>,
}

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Symbol,
}

/// A token: a word, number, punctuation mark or symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A sentence. Index 0 is the title line when the document has a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub index: usize,
    pub span: Span,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
    /// Tokens of this sentence: `Segmented::tokens[tokens.start..tokens.end]`.
    pub tokens: Span,
    /// Index into [`Segmented::quotes`] when the sentence lies inside a quotation.
    pub quote: Option<usize>,
}

/// A quotation: the text between matching quotation marks, possibly over several
/// sentences and (news style) several paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Span including the quotation marks (for a multi-paragraph quote, from the first
    /// opening mark to the last closing mark).
    pub span: Span,
    /// Span of the quoted words, without the outer marks.
    pub content: Span,
    /// Whether a closing mark was found (false for a quote cut off by the end of text).
    pub closed: bool,
}

/// The segmentation of one document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Segmented {
    pub doc: String,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub quotes: Vec<Quote>,
}

/// The type of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Organization,
    Country,
    Group,
    Location,
    Other,
}

impl EntityType {
    /// Actors can speak, be targeted and meet; locations and others cannot.
    pub fn is_actor(self) -> bool {
        matches!(
            self,
            EntityType::Person | EntityType::Organization | EntityType::Country | EntityType::Group
        )
    }
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Country => "country",
            EntityType::Group => "group",
            EntityType::Location => "location",
            EntityType::Other => "other",
        }
    }
}

/// How a mention names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Name,
    Alias,
    Acronym,
    Demonym,
    /// A capital standing for its government ("Tehran").
    Metonym,
    /// A role phrase such as "the Iranian official".
    Title,
    Pronoun,
}

/// One mention of an entity in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Entity id (see [`Entity::id`]).
    pub entity: String,
    pub kind: MentionKind,
    /// Linker confidence in [0, 1].
    pub score: f32,
}

/// An entity: a knowledge-base entry or an actor discovered in text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// `wd:Q794`, `kb:<key>` or `new:<type>:<slug>`.
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub wikidata: Option<String>,
    /// ISO 3166-1 alpha-3 code of the country the entity belongs to or is.
    pub country: Option<String>,
    pub roles: Vec<String>,
    /// Entity ids the entity belongs to.
    pub affiliations: Vec<String>,
    /// Proper-name surface forms seen (no pronouns).
    pub aliases: Vec<String>,
    pub mentions: u64,
    pub documents: u64,
}

/// The linking of one document: its mentions (sorted by start) and the entities they
/// refer to, with per-document counts (`documents` = 1).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Linked {
    pub doc: String,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
}

/// A target of a statement with the stance taken toward it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub entity: String,
    /// Stance in [-1, 1].
    pub stance: f32,
}

/// One stated position: an actor saying, condemning, welcoming ... something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub id: String,
    pub doc: String,
    /// Index of the sentence that holds the cue (0 = title line when there is a title).
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    /// Full text of the sentence(s) holding the statement, whitespace folded.
    pub evidence: String,
    /// Entity id of the speaker, after coreference.
    pub speaker: String,
    pub speaker_text: Option<String>,
    pub speaker_span: Option<Span>,
    /// The cue as written; `None` for a floating quotation.
    pub cue: Option<String>,
    pub cue_span: Option<Span>,
    /// Normalised cue ("condemn", "express satisfaction"; "quote" when floating).
    pub predicate: String,
    pub content: String,
    pub content_span: Span,
    /// The content is a direct quotation.
    pub quote: bool,
    pub targets: Vec<Target>,
    /// Overall polarity in [-1, 1].
    pub stance: f32,
    /// CAMEO code of the speech act.
    pub code: Option<String>,
    pub date: Option<String>,
}

/// An interaction that is not a statement: a meeting, visit, call, agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub doc: String,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub evidence: String,
    /// `meet`, `visit`, `call`, `agree`, `sign`, ...
    #[serde(rename = "type")]
    pub event_type: String,
    /// Entity ids taking part, sorted.
    pub actors: Vec<String>,
    /// Entity id of the place.
    pub place: Option<String>,
    pub date: Option<String>,
    /// CAMEO code.
    pub code: Option<String>,
}

/// What the relation stage finds in one document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Relations {
    pub doc: String,
    pub statements: Vec<Statement>,
    pub events: Vec<Event>,
    /// Speakers the relation stage introduces because the linker has no entity for them:
    /// unnamed and collective sources ("observers", "a spokesperson", "officials familiar
    /// with the talks"), typed `group` with a `new:group:<slug>` id named by the phrase. The
    /// pipeline folds them into the document's entities.
    #[serde(default)]
    pub entities: Vec<Entity>,
}

/// Every stage result of one document: what `--save-stages` and `--cache` store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Processed {
    pub document: Document,
    pub segmented: Segmented,
    pub linked: Linked,
    pub relations: Relations,
    /// Limits hit while processing (e.g. sentences too long for the pattern stages,
    /// mentions truncated): the document was processed, but not completely.
    pub warnings: Vec<String>,
}

/// One line of `errors.jsonl`: an input that could not be read or processed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ErrorRecord {
    pub source: String,
    /// `ingest`, `segment`, `link`, `relate`, `graph`, `output`.
    pub stage: String,
    pub error: String,
}

impl ErrorRecord {
    pub fn new(
        source: impl Into<String>,
        stage: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        ErrorRecord {
            source: source.into(),
            stage: stage.into(),
            error: error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_statement() -> Statement {
        Statement {
            id: "s:1".into(),
            doc: "d:00".into(),
            sentence: 2,
            start: 10,
            end: 40,
            evidence: "He condemned the attack.".into(),
            speaker: "wd:Q1".into(),
            speaker_text: Some("He".into()),
            speaker_span: Some(Span::new(10, 12)),
            cue: Some("condemned".into()),
            cue_span: Some(Span::new(13, 22)),
            predicate: "condemn".into(),
            content: "the attack".into(),
            content_span: Span::new(23, 33),
            quote: false,
            targets: vec![Target {
                entity: "wd:Q2".into(),
                stance: -0.5,
            }],
            stance: -1.0,
            code: Some("111".into()),
            date: None,
        }
    }

    #[test]
    fn span_serialises_as_pair_and_clamps() {
        let s = Span::new(5, 3);
        assert_eq!(s, Span { start: 5, end: 5 });
        assert_eq!(serde_json::to_string(&Span::new(1, 4)).unwrap(), "[1,4]");
        let back: Span = serde_json::from_str("[2,9]").unwrap();
        assert_eq!(back, Span::new(2, 9));
        assert!(Span::new(0, 10).contains(Span::new(2, 3)));
        assert!(!Span::new(0, 2).overlaps(Span::new(2, 3)));
        assert_eq!(Span::new(1, 3).slice("héllo"), Some("é"));
        assert_eq!(Span::new(1, 2).slice("héllo"), None);
    }

    #[test]
    fn statement_json_has_contract_field_names() {
        let v = serde_json::to_value(sample_statement()).unwrap();
        for key in [
            "id",
            "doc",
            "sentence",
            "start",
            "end",
            "evidence",
            "speaker",
            "speaker_text",
            "speaker_span",
            "cue",
            "cue_span",
            "predicate",
            "content",
            "content_span",
            "quote",
            "targets",
            "stance",
            "code",
            "date",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["speaker_span"], serde_json::json!([10, 12]));
        let back: Statement = serde_json::from_value(v).unwrap();
        assert_eq!(back, sample_statement());
    }

    #[test]
    fn entity_type_field_is_named_type() {
        let e = Entity {
            id: "wd:Q794".into(),
            name: "Iran".into(),
            entity_type: EntityType::Country,
            wikidata: Some("Q794".into()),
            country: Some("IRN".into()),
            roles: vec![],
            affiliations: vec![],
            aliases: vec!["Iran".into()],
            mentions: 3,
            documents: 1,
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "country");
        assert!(EntityType::Country.is_actor());
        assert!(!EntityType::Location.is_actor());
    }

    #[test]
    fn processed_round_trips_through_bincode_and_json() {
        let p = Processed {
            document: Document {
                id: "d:0123456789abcdef".into(),
                source: "a.jsonl#2".into(),
                title: Some("Title".into()),
                date: Some("2020-12-02".into()),
                text: "Title\n\nHe condemned the attack.".into(),
                duplicate_of: None,
            },
            segmented: Segmented {
                doc: "d:0123456789abcdef".into(),
                paragraphs: vec![Span::new(0, 5), Span::new(7, 31)],
                sentences: vec![Sentence {
                    index: 0,
                    span: Span::new(0, 5),
                    paragraph: 0,
                    tokens: Span::new(0, 1),
                    quote: None,
                }],
                tokens: vec![Token {
                    span: Span::new(0, 5),
                    kind: TokenKind::Word,
                }],
                quotes: vec![Quote {
                    span: Span::new(7, 9),
                    content: Span::new(8, 8),
                    closed: false,
                }],
            },
            linked: Linked {
                doc: "d:0123456789abcdef".into(),
                mentions: vec![Mention {
                    doc: "d:0123456789abcdef".into(),
                    start: 7,
                    end: 9,
                    text: "He".into(),
                    entity: "wd:Q1".into(),
                    kind: MentionKind::Pronoun,
                    score: 0.75,
                }],
                entities: vec![],
            },
            relations: Relations {
                doc: "d:0123456789abcdef".into(),
                statements: vec![sample_statement()],
                events: vec![Event {
                    doc: "d:0123456789abcdef".into(),
                    sentence: 1,
                    start: 0,
                    end: 3,
                    evidence: "met".into(),
                    event_type: "meet".into(),
                    actors: vec!["wd:Q1".into(), "wd:Q2".into()],
                    place: None,
                    date: None,
                    code: Some("036".into()),
                }],
                entities: vec![],
            },
            warnings: vec!["1 sentence longer than 4096 bytes skipped".into()],
        };
        let bytes = codec::encode(&p).unwrap();
        let back: Processed = codec::decode(&bytes).unwrap();
        assert_eq!(back, p);
        let json = serde_json::to_string(&p).unwrap();
        let back: Processed = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
    }
}
