//! Sample corpus tables for tests, examples and benchmarks: a small invented diplomatic
//! story, a set of hostile names, and a seeded generator of large synthetic corpora.

use stancegraph_model::{Entity, EntityType, Event, Span, Statement, Target};

/// Corpus tables as the relation stage and the linker produce them.
#[derive(Debug, Clone, Default)]
pub struct FixtureCorpus {
    pub entities: Vec<Entity>,
    pub statements: Vec<Statement>,
    pub events: Vec<Event>,
}

/// An entity record with counts.
pub fn entity(id: &str, name: &str, entity_type: EntityType) -> Entity {
    Entity {
        id: id.into(),
        name: name.into(),
        entity_type,
        wikidata: id.strip_prefix("wd:").map(str::to_owned),
        country: None,
        roles: Vec::new(),
        affiliations: Vec::new(),
        aliases: vec![name.into()],
        mentions: 1,
        documents: 1,
    }
}

/// A statement with the fields the graph reads; the rest are plausible fillers.
pub fn statement(
    id: &str,
    doc: &str,
    start: usize,
    speaker: &str,
    targets: &[(&str, f32)],
    code: Option<&str>,
    date: Option<&str>,
) -> Statement {
    Statement {
        id: id.into(),
        doc: doc.into(),
        sentence: 1,
        start,
        end: start + 40,
        evidence: String::new(),
        speaker: speaker.into(),
        speaker_text: None,
        speaker_span: None,
        cue: Some("said".into()),
        cue_span: Some(Span::new(start, start + 4)),
        predicate: "say".into(),
        content: String::new(),
        content_span: Span::new(start + 5, start + 40),
        quote: false,
        targets: targets
            .iter()
            .map(|(entity, stance)| Target {
                entity: (*entity).into(),
                stance: *stance,
            })
            .collect(),
        stance: targets.first().map_or(0.0, |t| t.1),
        code: code.map(str::to_owned),
        date: date.map(str::to_owned),
    }
}

/// An event between actors.
pub fn event(
    doc: &str,
    start: usize,
    event_type: &str,
    actors: &[&str],
    code: Option<&str>,
    date: Option<&str>,
) -> Event {
    let mut actors: Vec<String> = actors.iter().map(|a| (*a).to_owned()).collect();
    actors.sort();
    Event {
        doc: doc.into(),
        sentence: 2,
        start,
        end: start + 30,
        evidence: String::new(),
        event_type: event_type.into(),
        actors,
        place: None,
        date: date.map(str::to_owned),
        code: code.map(str::to_owned),
    }
}

/// An invented diplomatic story: three ministers or leaders of four countries, an armed
/// group, eight statements over two dated documents and two meetings.
pub fn diplomatic() -> FixtureCorpus {
    let person = |id: &str, name: &str, country: &str, role: &str, affiliation: &str| {
        let mut e = entity(id, name, EntityType::Person);
        e.country = Some(country.into());
        e.roles = vec![role.into()];
        e.affiliations = vec![affiliation.into()];
        e.mentions = 4;
        e.documents = 2;
        e
    };
    let country = |id: &str, name: &str, code: &str| {
        let mut e = entity(id, name, EntityType::Country);
        e.country = Some(code.into());
        e.mentions = 3;
        e
    };
    let entities = vec![
        person(
            "kb:ana-ortiz",
            "Ana Ortiz",
            "CHL",
            "Foreign Minister",
            "wd:Q298",
        ),
        person(
            "kb:kofi-mensah",
            "Kofi Mensah",
            "KEN",
            "President",
            "wd:Q114",
        ),
        person("kb:hiro-sato", "Hiro Sato", "JPN", "Ambassador", "wd:Q17"),
        country("wd:Q298", "Chile", "CHL"),
        country("wd:Q114", "Kenya", "KEN"),
        country("wd:Q17", "Japan", "JPN"),
        country("wd:Q20", "Norway", "NOR"),
        entity("new:group:harbor-front", "Harbor Front", EntityType::Group),
    ];
    let (d1, d2) = ("d:00000000000000a1", "d:00000000000000b2");
    let (day1, day2) = (Some("2024-03-04"), Some("2024-03-06"));
    let front = "new:group:harbor-front";
    let statements = vec![
        statement(
            "s:a1:1",
            d1,
            100,
            "kb:ana-ortiz",
            &[(front, -0.9)],
            Some("111"),
            day1,
        ),
        statement(
            "s:a1:2",
            d1,
            220,
            "kb:ana-ortiz",
            &[("wd:Q20", 0.8)],
            Some("051"),
            day1,
        ),
        statement(
            "s:b2:1",
            d2,
            80,
            "kb:kofi-mensah",
            &[(front, -0.6)],
            Some("112"),
            day2,
        ),
        statement(
            "s:b2:2",
            d2,
            160,
            "kb:kofi-mensah",
            &[("wd:Q20", 0.5)],
            Some("051"),
            day2,
        ),
        statement(
            "s:b2:3",
            d2,
            240,
            "kb:hiro-sato",
            &[("wd:Q20", -0.4)],
            Some("111"),
            day2,
        ),
        statement(
            "s:b2:4",
            d2,
            320,
            "kb:hiro-sato",
            &[(front, 0.1)],
            None,
            None,
        ),
        statement(
            "s:b2:5",
            d2,
            400,
            "kb:ana-ortiz",
            &[(front, -0.7)],
            Some("111"),
            day2,
        ),
        statement(
            "s:b2:6",
            d2,
            480,
            "kb:kofi-mensah",
            &[("wd:Q298", 0.6), ("wd:Q17", 0.3)],
            Some("057"),
            day2,
        ),
    ];
    let events = vec![
        event(
            d1,
            10,
            "meet",
            &["kb:kofi-mensah", "kb:ana-ortiz"],
            Some("036"),
            day1,
        ),
        event(
            d2,
            20,
            "meet",
            &["kb:kofi-mensah", "kb:hiro-sato"],
            Some("040"),
            day2,
        ),
    ];
    FixtureCorpus {
        entities,
        statements,
        events,
    }
}

/// Names an exporter must survive: markup, quotes, formula starts, newlines, control
/// characters, emoji, right-to-left text and a 10 000-character name.
pub fn hostile_names() -> Vec<String> {
    vec![
        "<script>alert(\"x\")</script>".into(),
        "Smith & Sons 'Ltd' > \"Co\"".into(),
        "=HYPERLINK(\"http://x\")".into(),
        "-1+2".into(),
        "+cmd".into(),
        "@SUM(A1)".into(),
        "line one\nline two\r\nthree\ttab".into(),
        "nul\u{0}esc\u{1b}bell\u{7}".into(),
        "back\\slash \\N \\\"quoted\\\"".into(),
        "😀 🇮🇷 مرحبا שלום".into(),
        "]]> <![CDATA[ &amp; &#0; --> <!--".into(),
        "x".repeat(10_000),
    ]
}

/// A corpus whose entities carry hostile names and ids, with statements and events
/// between them.
pub fn hostile() -> FixtureCorpus {
    let names = hostile_names();
    let entities: Vec<Entity> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let id = if i % 2 == 0 {
                format!("new:person:{name}")
            } else {
                format!("kb:{i}")
            };
            let mut e = entity(&id, name, EntityType::Person);
            e.roles = vec![name.clone(), "=role".into()];
            e.country = Some(name.chars().take(3).collect());
            e
        })
        .collect();
    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    let mut statements = Vec::new();
    let mut events = Vec::new();
    for (i, speaker) in ids.iter().enumerate() {
        let target = ids[(i + 1) % ids.len()];
        let stance = if i % 3 == 0 { -0.5 } else { 0.75 };
        statements.push(statement(
            &format!("s:h:{i}<&>\"'"),
            "d:hostile\u{1}",
            i * 10,
            speaker,
            &[(target, stance)],
            Some("=111"),
            Some("2024-01-02"),
        ));
        if i % 4 == 0 {
            events.push(event(
                "d:hostile\u{1}",
                i * 10 + 5,
                "meet <&>",
                &[speaker, ids[(i + 2) % ids.len()]],
                None,
                None,
            ));
        }
    }
    FixtureCorpus {
        entities,
        statements,
        events,
    }
}

/// A small deterministic pseudo-random generator (SplitMix64), so fixtures need no
/// random-number dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// A synthetic corpus with about `edges` distinct stance edges (two statements each on
/// average, random pairs among `sqrt(1.25 * edges)` actors, which makes about `edges`
/// distinct pairs), plus one meeting per 20 statements.
pub fn synthetic(edges: usize, seed: u64) -> FixtureCorpus {
    let mut rng = SplitMix64(seed);
    let actors = (1.2547 * edges as f64).sqrt().ceil().max(2.0) as usize;
    let types = [
        EntityType::Person,
        EntityType::Country,
        EntityType::Organization,
        EntityType::Group,
    ];
    let entities: Vec<Entity> = (0..actors)
        .map(|i| {
            let mut e = entity(
                &format!("kb:actor-{i:06}"),
                &format!("Actor {i}"),
                types[i % types.len()],
            );
            e.mentions = 1 + rng.below(50);
            e
        })
        .collect();
    let mut statements = Vec::with_capacity(edges * 2);
    let mut events = Vec::new();
    for i in 0..edges * 2 {
        let doc = format!("d:{:016x}", i / 10);
        let speaker = rng.below(actors as u64) as usize;
        let mut target = rng.below(actors as u64) as usize;
        if target == speaker {
            target = (target + 1) % actors;
        }
        let stance = (rng.below(21) as f32 - 10.0) / 10.0;
        let date = format!("2024-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        statements.push(statement(
            &format!("s:{i}"),
            &doc,
            (i % 10) * 100,
            &entities[speaker].id,
            &[(&entities[target].id, stance)],
            Some(["111", "051", "112", "057"][i % 4]),
            Some(&date),
        ));
        if i % 20 == 0 {
            events.push(event(
                &doc,
                (i % 10) * 100 + 50,
                "meet",
                &[&entities[speaker].id, &entities[target].id],
                Some("036"),
                Some(&date),
            ));
        }
    }
    FixtureCorpus {
        entities,
        statements,
        events,
    }
}
