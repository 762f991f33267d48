//! Reconciles the linker's types with what the relation stage found: a name the linker
//! could not type (`new:other:<slug>`) that speaks is a person (the contract requires every
//! speaker to be an actor). The entity is renamed `new:person:<slug>` everywhere in the
//! document (entities, mentions, statements, events), so that the same person gets the same
//! id as in documents where the linker typed it directly.
//!
//! It also folds the speakers the relation stage introduced (unnamed and collective
//! sources, [`Relations::entities`]) into the document's entities and mentions, so that the
//! output tables stay closed: every statement's speaker is an entity with a mention.

use std::collections::BTreeMap;

use stancegraph_model::{EntityType, Linked, Mention, MentionKind, Relations};

const UNTYPED: &str = "new:other:";
const PERSON: &str = "new:person:";

/// Retypes untyped speakers as persons; returns how many entities were promoted.
pub fn promote_untyped_speakers(linked: &mut Linked, relations: &mut Relations) -> usize {
    let renames: BTreeMap<String, String> = relations
        .statements
        .iter()
        .filter_map(|s| s.speaker.strip_prefix(UNTYPED))
        .map(|slug| (format!("{UNTYPED}{slug}"), format!("{PERSON}{slug}")))
        .collect();
    if renames.is_empty() {
        return 0;
    }
    let rename = |id: &mut String| {
        if let Some(new) = renames.get(id.as_str()) {
            id.clone_from(new);
        }
    };
    // Entities: retype, and fold into an existing person of the same id.
    let mut entities = std::mem::take(&mut linked.entities);
    for e in &mut entities {
        if renames.contains_key(&e.id) {
            rename(&mut e.id);
            e.entity_type = EntityType::Person;
        }
        e.affiliations.iter_mut().for_each(rename);
    }
    let mut merged: Vec<stancegraph_model::Entity> = Vec::with_capacity(entities.len());
    for e in entities {
        match merged.iter_mut().find(|m| m.id == e.id) {
            Some(m) => {
                m.mentions += e.mentions;
                for a in e.aliases {
                    if !m.aliases.contains(&a) {
                        m.aliases.push(a);
                    }
                }
                for r in e.roles {
                    if !m.roles.contains(&r) {
                        m.roles.push(r);
                    }
                }
            }
            None => merged.push(e),
        }
    }
    linked.entities = merged;
    linked
        .mentions
        .iter_mut()
        .for_each(|m| rename(&mut m.entity));
    for s in &mut relations.statements {
        rename(&mut s.speaker);
        s.targets.iter_mut().for_each(|t| rename(&mut t.entity));
    }
    for ev in &mut relations.events {
        ev.actors.iter_mut().for_each(rename);
        ev.actors.sort();
        ev.actors.dedup();
        if let Some(p) = ev.place.as_mut() {
            rename(p);
        }
    }
    renames.len()
}

/// Moves the relation stage's own entities into `linked`, with one mention per statement
/// they speak (at its speaker span, unless a linked mention overlaps it or the document
/// already holds `max_mentions` mentions, the linker's cap); returns how many entities
/// were added.
pub fn fold_relation_entities(
    linked: &mut Linked,
    relations: &mut Relations,
    max_mentions: usize,
) -> usize {
    let introduced = std::mem::take(&mut relations.entities);
    let mut added = 0;
    for mut entity in introduced {
        if linked.entities.iter().any(|e| e.id == entity.id) {
            continue;
        }
        let spans: Vec<_> = relations
            .statements
            .iter()
            .filter(|s| s.speaker == entity.id)
            .filter_map(|s| s.speaker_span.zip(s.speaker_text.clone()))
            .collect();
        for (span, text) in spans {
            if linked.mentions.len() >= max_mentions {
                break;
            }
            if linked
                .mentions
                .iter()
                .any(|m| m.start < span.end && span.start < m.end)
            {
                continue;
            }
            linked.mentions.push(Mention {
                doc: linked.doc.clone(),
                start: span.start,
                end: span.end,
                text,
                entity: entity.id.clone(),
                kind: MentionKind::Title,
                score: 0.5,
            });
            entity.mentions += 1;
        }
        linked.entities.push(entity);
        added += 1;
    }
    if added > 0 {
        linked.mentions.sort_by_key(|m| (m.start, m.end));
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use stancegraph_model::{Entity, Mention, MentionKind, Span, Statement};

    fn entity(id: &str, t: EntityType) -> Entity {
        Entity {
            id: id.into(),
            name: "Tara Lind".into(),
            entity_type: t,
            wikidata: None,
            country: None,
            roles: vec![],
            affiliations: vec![],
            aliases: vec!["Tara Lind".into()],
            mentions: 1,
            documents: 1,
        }
    }

    /// A statement of `speaker`, named `speaker_text` at the start of the document.
    fn statement(speaker: &str, speaker_text: &str) -> Statement {
        let end = speaker_text.len();
        Statement {
            id: "s:1".into(),
            doc: "d:1".into(),
            sentence: 0,
            start: 0,
            end: end + 14,
            evidence: format!("{speaker_text} said it."),
            speaker: speaker.into(),
            speaker_text: Some(speaker_text.into()),
            speaker_span: Some(Span::new(0, end)),
            cue: Some("said".into()),
            cue_span: Some(Span::new(end + 1, end + 5)),
            predicate: "say".into(),
            content: "it".into(),
            content_span: Span::new(end + 6, end + 8),
            quote: false,
            targets: vec![],
            stance: 0.0,
            code: Some("010".into()),
            date: None,
        }
    }

    #[test]
    fn untyped_speaker_becomes_a_person_everywhere() {
        let mut linked = Linked {
            doc: "d:1".into(),
            mentions: vec![Mention {
                doc: "d:1".into(),
                start: 0,
                end: 9,
                text: "Tara Lind".into(),
                entity: "new:other:tara-lind".into(),
                kind: MentionKind::Name,
                score: 0.5,
            }],
            entities: vec![
                entity("new:other:tara-lind", EntityType::Other),
                entity("new:other:river-park", EntityType::Other),
            ],
        };
        let mut relations = Relations {
            doc: "d:1".into(),
            statements: vec![statement("new:other:tara-lind", "Tara Lind")],
            events: vec![],
            entities: vec![],
        };
        assert_eq!(promote_untyped_speakers(&mut linked, &mut relations), 1);
        assert_eq!(relations.statements[0].speaker, "new:person:tara-lind");
        assert_eq!(linked.mentions[0].entity, "new:person:tara-lind");
        assert_eq!(linked.entities[0].entity_type, EntityType::Person);
        assert_eq!(linked.entities[0].id, "new:person:tara-lind");
        assert_eq!(
            linked.entities[1].id, "new:other:river-park",
            "non-speakers untouched"
        );
    }

    #[test]
    fn introduced_speakers_become_entities_with_a_mention() {
        let mut linked = Linked {
            doc: "d:1".into(),
            mentions: vec![],
            entities: vec![],
        };
        let mut group = entity("new:group:observers-1", EntityType::Group);
        group.name = "observers".into();
        group.mentions = 0;
        let mut relations = Relations {
            doc: "d:1".into(),
            statements: vec![statement("new:group:observers-1", "Observers")],
            events: vec![],
            entities: vec![group],
        };
        assert_eq!(
            fold_relation_entities(&mut linked, &mut relations, usize::MAX),
            1
        );
        assert!(relations.entities.is_empty());
        assert_eq!(linked.entities.len(), 1);
        assert_eq!(linked.entities[0].mentions, 1);
        assert_eq!(linked.mentions.len(), 1);
        assert_eq!(linked.mentions[0].text, "Observers");
        assert_eq!(linked.mentions[0].entity, "new:group:observers-1");
        assert_eq!((linked.mentions[0].start, linked.mentions[0].end), (0, 9));
    }
}
