//! Unnamed and collective speakers: phrases such as "observers say", "a spokesperson
//! said", "sources familiar with the talks said", "according to national security
//! experts" or "the company said", whose head noun is listed in
//! `data/lexicon/generic_speakers.tsv`. The linker has no entity for them, so the relation
//! stage adds a speaker-only mention for each phrase that stands where a speaker can: a
//! group (`new:group:<slug>`, one per phrase across the corpus), or, for a definite organisation
//! nominal ("the union"), the organisation named earlier that fits.

use stancegraph_model::{EntityType, MentionKind, Span};

use crate::doc::{Ctx, Men, NONE};
use crate::lexicon::{fw, gs};

/// A group speaker introduced by the relation stage.
#[derive(Debug, Clone)]
pub(crate) struct GroupSpeaker {
    /// `new:group:<slug>`: the same phrase is the same entity across documents, so that the
    /// entity table and the graph grow with the vocabulary of sources, not with the corpus.
    pub id: String,
    /// The phrase without its determiners or quantifiers ("national security experts").
    pub name: String,
    /// Country code of a country or nationality named in the phrase.
    pub country: Option<String>,
    /// Entity ids of organisations and countries named in the phrase.
    pub affiliations: Vec<String>,
    /// A body of several people ("officials"), not one unnamed person ("a spokesperson").
    pub plural: bool,
}

/// The classes that head a speaker phrase.
pub(crate) const HEADS: u16 = gs::GROUP | gs::ROLE | gs::ORG;

/// Most words kept before the head noun ("senior Democratic").
const MAX_PREMODIFIERS: usize = 6;
/// Most tokens of a post-modifier after its preposition ("with the negotiations").
const MAX_POSTMODIFIER: usize = 8;
/// How many paragraphs back an organisation nominal looks for its organisation.
const ORG_PARAGRAPHS: usize = 4;
/// How many paragraphs back a noun any organisation fits ("the company") looks.
const ORG_ANY_PARAGRAPHS: usize = 1;

fn generic(ctx: &Ctx, k: usize) -> u16 {
    ctx.entry(k).map_or(0, |e| e.generic)
}

fn is_cue_word(ctx: &Ctx, k: usize) -> bool {
    ctx.toks.get(k).is_some_and(|t| t.mention == NONE)
        && ctx.entry(k).is_some_and(|e| !e.cues.is_empty())
}

/// Whether token `k` is a plain adverb or auxiliary that may stand between a subject and
/// its verb ("have", "also", "privately").
fn aux_or_adverb(ctx: &Ctx, k: usize) -> bool {
    let Some(t) = ctx.toks.get(k) else {
        return false;
    };
    t.word
        && t.mention == NONE
        && (ctx.flags(k) & fw::AUX != 0
            || (ctx.low(k).ends_with("ly") && ctx.flags(k) == 0 && !is_cue_word(ctx, k)))
}

/// Where a clause may begin right after token `b` (or at the start of the sentence).
enum Boundary {
    /// Sentence start, punctuation, a conjunction or subordinator.
    Clause,
    /// After a cue word or "according to": the phrase is an inverted speaker.
    Inverted,
    /// After another plain word ("In May the company said"): a subject only when its
    /// verb follows at once.
    Word,
}

fn boundary_before(ctx: &Ctx, start: usize, lo: usize) -> Option<Boundary> {
    if start <= lo {
        return Some(Boundary::Clause);
    }
    let b = start - 1;
    let t = ctx.toks[b];
    if !t.word {
        let s = ctx.tok_text(b);
        return matches!(
            s,
            "," | ";"
                | ":"
                | "("
                | "\u{2014}"
                | "\u{2013}"
                | "\u{201C}"
                | "\u{201D}"
                | "\""
                | "."
                | "!"
                | "?"
        )
        .then_some(Boundary::Clause);
    }
    if t.mention != NONE {
        return None;
    }
    if generic(ctx, b) & gs::OPENER != 0 || ctx.flags(b) & (fw::COORD | fw::COMP) != 0 {
        return Some(Boundary::Clause);
    }
    if ctx.low(b) == "to" && b > lo && ctx.flags(b - 1) & fw::ACCORDING != 0 {
        return Some(Boundary::Inverted);
    }
    if is_cue_word(ctx, b) {
        return Some(Boundary::Inverted);
    }
    let possessive_s =
        ctx.low(b) == "s" && b > lo && matches!(ctx.punct(b - 1), Some('\'' | '\u{2019}'));
    let blocked = possessive_s
        || ctx.flags(b) & (fw::PREP | fw::POSSESSIVE | fw::ACCORDING) != 0
        || generic(ctx, b) & gs::QUANT != 0;
    (!blocked).then_some(Boundary::Word)
}

/// The token after a post-modifier opening at `p` ("familiar with the talks", "for the
/// camp", "cited in the report"), or `p` when there is none.
fn postmodifier_end(ctx: &Ctx, p: usize, hi: usize) -> usize {
    let mut k = p;
    // An adjective or participle before the preposition ("familiar with", "arrested at").
    let participle = k < hi
        && ctx.low(k).ends_with("ed")
        && !ctx.toks[k].cap
        && generic(ctx, k) & gs::POSTMOD == 0
        && !is_cue_word(ctx, k);
    if k < hi
        && ctx.toks[k].word
        && ctx.toks[k].mention == NONE
        && (generic(ctx, k) & gs::POSTMOD != 0 || participle)
    {
        k += 1;
    }
    if k >= hi || !ctx.toks[k].word || ctx.flags(k) & fw::PREP == 0 || ctx.toks[k].mention != NONE {
        return p;
    }
    k += 1;
    let from = k;
    let mut words = 0;
    while k < hi && k < from + MAX_POSTMODIFIER {
        if let Some(m) = ctx.mention_at(k) {
            words += 1;
            k = ctx.mentions[m].t1.max(k + 1);
            continue;
        }
        let t = ctx.toks[k];
        if !t.word {
            let s = ctx.tok_text(k);
            let apostrophe = matches!(s, "'" | "\u{2019}");
            // Inside a word ("Gidimt'en") or a possessive ("the union's").
            let in_word = apostrophe
                && ctx.toks[k - 1].end == t.start
                && ctx
                    .toks
                    .get(k + 1)
                    .is_some_and(|n| n.word && n.start == t.end);
            if s == "-" || s == "&" || in_word {
                k += 1;
                continue;
            }
            break;
        }
        let f = ctx.flags(k);
        if is_cue_word(ctx, k)
            || (participle && f & fw::PREP != 0)
            || f & (fw::AUX | fw::COMP | fw::COORD) != 0
            || matches!(ctx.low(k), "who" | "which" | "whose" | "that")
        {
            break;
        }
        words += 1;
        k += 1;
    }
    // A participle may be the verb of the clause ("protesters gathered in the square"):
    // it opens a post-modifier only when the cue follows at once.
    if words == 0 || (participle && !(k < hi && is_cue_word(ctx, k))) {
        return p;
    }
    k
}

/// Lower-case words of a name, for "the union" ~ "Canadian Union of Public Employees".
fn name_holds(name: &str, word: &str) -> bool {
    if word.is_empty() || !name.is_ascii() {
        return name
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case(word));
    }
    // An ASCII name: its words are its runs of ASCII letters and digits.
    ascii_words(name).any(|w| w.eq_ignore_ascii_case(word))
}

/// The maximal runs of ASCII letters and digits of `s`, in order (what splitting at every
/// other character and dropping the empty pieces gives), found byte by byte.
fn ascii_words(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while bytes.get(i).is_some_and(|b| !b.is_ascii_alphanumeric()) {
            i += 1;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        // (Both ends border ASCII bytes or the ends of `s`: char boundaries.)
        (i > start).then(|| s.get(start..i)).flatten()
    })
}

/// The organisation an organisation nominal at token `head` refers to, among those named in
/// the few paragraphs before `start`: the latest whose name holds the noun ("the union"),
/// else, for a noun any organisation fits ("the company"), the latest.
fn organisation_before(ctx: &Ctx, start: usize, head: usize) -> Option<usize> {
    let any = generic(ctx, head) & gs::ORG_ANY != 0;
    let word = ctx.low(head);
    let para = ctx.sents.get(ctx.toks[start].sent as usize)?.paragraph;
    let upto = ctx.mentions.partition_point(|m| m.t0 < start);
    // The latest organisation, for a noun any organisation fits.
    let mut best: Option<usize> = None;
    for m in (0..upto).rev() {
        let men = &ctx.mentions[m];
        let mp = ctx
            .sents
            .get(ctx.toks[men.t0].sent as usize)
            .map_or(0, |s| s.paragraph);
        if mp + ORG_PARAGRAPHS < para {
            break;
        }
        if men.etype != EntityType::Organization || men.kind == MentionKind::Pronoun {
            continue;
        }
        let Some(e) = ctx.entity(m) else { continue };
        if name_holds(&e.name, word) {
            return Some(m);
        }
        if any && best.is_none() && mp + ORG_ANY_PARAGRAPHS >= para {
            best = Some(m);
        }
    }
    best
}

/// Appends the slug of `name` to `out`: its runs of ASCII letters and digits, lower-cased
/// and joined by '-', while the slug stays within 60 bytes ("group" when none is kept).
/// Every other character, beyond ASCII too, separates words.
fn push_slug(out: &mut String, name: &str) {
    let base = out.len();
    for w in ascii_words(name) {
        let len = out.len() - base;
        if len + w.len() > 60 {
            break;
        }
        if len > 0 {
            out.push('-');
        }
        let at = out.len();
        out.push_str(w);
        if let Some(word) = out.get_mut(at..) {
            word.make_ascii_lowercase();
        }
    }
    if out.len() == base {
        out.push_str("group");
    }
}

/// `new:group:<slug>` of a phrase.
fn group_id(name: &str) -> String {
    const PREFIX: &str = "new:group:";
    let mut id = String::with_capacity(PREFIX.len() + name.len().min(60));
    id.push_str(PREFIX);
    push_slug(&mut id, name);
    id
}

/// A phrase found: token range of modifiers and head, end of the post-modifier.
struct Phrase {
    t0: usize,
    head: usize,
    end: usize,
    /// Linked mentions inside the modifiers before the head.
    inner: Vec<usize>,
}

/// Finds the speaker phrase headed by token `i`, if it stands where a speaker can.
fn phrase_at(ctx: &Ctx, i: usize, floor: usize) -> Option<(Phrase, u16)> {
    let t = ctx.toks[i];
    let class = generic(ctx, i) & (gs::GROUP | gs::ROLE | gs::ORG);
    if !t.word || t.mention != NONE || class == 0 {
        return None;
    }
    let sent = *ctx.sents.get(t.sent as usize)?;
    let hi = sent.t1;
    let lo = sent.t0;
    // Modifiers never reach into an earlier phrase.
    let floor = lo.max(floor);
    // Capitalised only as the first word of its sentence.
    if t.cap && i != (sent.t0..hi).find(|&k| ctx.toks[k].word).unwrap_or(hi) {
        return None;
    }
    // Not a modifier or title itself ("union members", "spokesperson Jane Roe", "the
    // company's chief").
    if let Some(n) = ctx.toks.get(i + 1).filter(|_| i + 1 < hi) {
        if n.mention != NONE
            || (n.word && (n.cap || generic(ctx, i + 1) & (gs::GROUP | gs::ROLE | gs::ORG) != 0))
        {
            return None;
        }
        let s = ctx.tok_text(i + 1);
        if matches!(s, "'" | "\u{2019}") {
            return None;
        }
    }
    let plural = class & gs::GROUP != 0;
    let role = !plural && class & gs::ROLE != 0;
    // Modifiers before the head.
    let mut start = i;
    let mut inner = Vec::new();
    let mut taken = 0;
    while start > floor && taken < MAX_PREMODIFIERS {
        let j = start - 1;
        if let Some(m) = ctx.mention_at(j) {
            let men = &ctx.mentions[m];
            if !(plural || role) || men.kind == MentionKind::Pronoun || men.t0 < floor {
                break;
            }
            inner.push(m);
            start = men.t0;
            taken += 1;
            continue;
        }
        let tj = ctx.toks[j];
        if !tj.word {
            if ctx.is_punct(j, '-') && j > floor && ctx.toks[j - 1].word {
                start = j;
                continue;
            }
            break;
        }
        // A possessor ("the school's defenders", "Acme's employees").
        if plural
            && ctx.low(j) == "s"
            && j > floor + 1
            && matches!(ctx.punct(j - 1), Some('\'' | '\u{2019}'))
            && ctx.toks[j - 2].word
        {
            start = j - 1;
            taken += 1;
            continue;
        }
        let g = generic(ctx, j);
        // A participle opens a clause of its own ("citing sources"), unless a determiner
        // makes it an adjective ("a leading expert").
        let participle =
            ctx.low(j).ends_with("ing") && !(j > lo && generic(ctx, j - 1) & gs::QUANT != 0);
        if participle
            || g & (gs::QUANT | gs::OPENER) != 0
            || ctx.flags(j)
                & (fw::PREP | fw::COMP | fw::AUX | fw::COORD | fw::POSSESSIVE | fw::ACCORDING)
                != 0
            || is_cue_word(ctx, j)
            || matches!(ctx.low(j), "who" | "which" | "what" | "whose" | "how")
        {
            break;
        }
        start = j;
        taken += 1;
    }
    // A determiner or quantifier (or a number) before the modifiers.
    let mut det: Option<usize> = None;
    if start > floor {
        let d = start - 1;
        let numeric = ctx.low(d).bytes().all(|b| b.is_ascii_digit());
        if ctx.toks[d].word
            && ctx.toks[d].mention == NONE
            && (generic(ctx, d) & gs::QUANT != 0 || numeric)
        {
            det = Some(d);
        }
    }
    let det_flags = det.map_or(0, |d| generic(ctx, d));
    let head_class = if plural {
        gs::GROUP
    } else if role && det_flags & gs::INDEF != 0 {
        gs::ROLE
    } else if class & gs::ORG != 0 && det.is_some_and(|d| ctx.low(d) == "the") && inner.is_empty() {
        gs::ORG
    } else {
        return None;
    };
    let outer = det.unwrap_or(start);
    let boundary = boundary_before(ctx, outer, lo)?;
    // "Jane Roe, a spokesperson for Acme, said": an apposition to a name, not a speaker.
    if head_class == gs::ROLE
        && outer > lo + 1
        && ctx.is_punct(outer - 1, ',')
        && (ctx.toks[outer - 2].mention != NONE || ctx.toks[outer - 2].cap)
    {
        return None;
    }
    let end = postmodifier_end(ctx, i + 1, hi);
    let inverted_cue = matches!(boundary, Boundary::Inverted) && ctx.low(outer - 1) != "to";
    if inverted_cue {
        // "..., said officials familiar with the talks." ends the sentence or an adjunct
        // follows; "said landlords will ..." has the phrase as the subject of a clause.
        let r = end;
        let ok = r >= hi
            || !ctx.toks[r].word
            || ctx.flags(r) & (fw::PREP | fw::TEMPORAL) != 0
            || ctx.entry(r).is_some_and(|e| e.weekday.is_some());
        if !ok {
            return None;
        }
    }
    if !matches!(boundary, Boundary::Inverted) {
        // The phrase must be followed by its verb (after auxiliaries and adverbs), or, at
        // the start of a clause, by a comma opening an apposition ("An analyst cited in the
        // report, which ..., said").
        let mut r = end;
        while r < hi && aux_or_adverb(ctx, r) {
            r += 1;
        }
        let comma = matches!(boundary, Boundary::Clause) && ctx.is_punct(r, ',');
        if r >= hi || !(is_cue_word(ctx, r) || comma) {
            return None;
        }
    }
    Some((
        Phrase {
            t0: start,
            head: i,
            end,
            inner,
        },
        head_class,
    ))
}

/// The name of a group phrase: its text, whitespace folded; a phrase that starts with its
/// head ("Officials said") has the head lower-cased (it is capitalised only as the first
/// word).
fn phrase_name(ctx: &Ctx, span: Span, starts_with_head: bool, head: usize) -> String {
    let name = ctx.folded(span);
    if !starts_with_head {
        return name;
    }
    let head_len = ctx.tok_text(head).len();
    match (name.get(..head_len), name.get(head_len..)) {
        (Some(first), Some(rest)) => {
            let mut lowered = first.to_lowercase();
            lowered.push_str(rest);
            lowered
        }
        _ => name,
    }
}

/// A new group for phrase `p`: its country and affiliations are those of the countries and
/// organisations named in its modifiers and post-modifier.
fn new_group(ctx: &Ctx, p: &Phrase, id: String, name: String, plural: bool) -> GroupSpeaker {
    let mut country = None;
    let mut affiliations: Vec<String> = Vec::new();
    let post = (p.head + 1..p.end).filter_map(|k| ctx.mention_at(k));
    for m in p.inner.iter().copied().chain(post) {
        let Some(e) = ctx.entity(m) else { continue };
        if country.is_none() && e.entity_type == EntityType::Country {
            country = e.country.clone();
        }
        if matches!(
            e.entity_type,
            EntityType::Organization | EntityType::Country
        ) && !affiliations.contains(&e.id)
        {
            affiliations.push(e.id.clone());
        }
    }
    affiliations.sort();
    GroupSpeaker {
        id,
        name,
        country,
        affiliations,
        plural,
    }
}

/// Adds a speaker-only mention for every unnamed or collective speaker phrase.
pub(crate) fn add_generic_speakers(ctx: &mut Ctx) {
    let mut added: Vec<Men> = Vec::new();
    let mut groups: Vec<GroupSpeaker> = Vec::new();
    let mut absorbed: Vec<usize> = Vec::new();
    // (head token, group) of the phrases with modifiers, in text order.
    let mut heads: Vec<(usize, usize)> = Vec::new();
    for ci in 0..ctx.generic_heads.len() {
        let i = ctx.generic_heads[ci] as usize;
        let floor = added.last().map_or(0, |m| m.phrase_end);
        if i < floor {
            continue;
        }
        let Some((p, class)) = phrase_at(ctx, i, floor) else {
            continue;
        };
        let span = Span::new(ctx.toks[p.t0].start, ctx.toks[p.end - 1].end);
        let mut men = Men {
            span,
            t0: p.t0,
            t1: p.head + 1,
            entity: None,
            etype: EntityType::Group,
            kind: MentionKind::Title,
            src: usize::MAX,
            group: NONE,
            synthetic: true,
            phrase_end: p.end,
        };
        let org = (class == gs::ORG)
            .then(|| organisation_before(ctx, p.t0, p.head))
            .flatten();
        if class == gs::ORG && org.is_none() && generic(ctx, p.head) & gs::ORG_ANY != 0 {
            // "the company" with no company named just before: unknown, not a speaker.
            continue;
        }
        if let Some(o) = org {
            let om = ctx.mentions[o];
            men.entity = om.entity;
            men.etype = EntityType::Organization;
            men.src = om.src;
        } else {
            // A bare head ("sources said") refers back to the latest fuller phrase with the
            // same head ("sources familiar with the talks").
            let bare = p.t0 == p.head && p.end == p.head + 1;
            let head_word = ctx.low(p.head);
            let earlier = if bare {
                heads
                    .iter()
                    .rev()
                    .find(|h| ctx.low(h.0) == head_word)
                    .map(|h| h.1)
            } else {
                None
            };
            let gi = match earlier {
                Some(gi) => gi,
                None => {
                    let name = phrase_name(ctx, span, p.t0 == p.head, p.head);
                    let id = group_id(&name);
                    match groups.iter().position(|g| g.id == id) {
                        Some(gi) => gi,
                        None => {
                            groups.push(new_group(ctx, &p, id, name, class == gs::GROUP));
                            groups.len() - 1
                        }
                    }
                }
            };
            men.group = gi as u32;
            if !bare {
                heads.push((p.head, gi));
            }
        }
        absorbed.extend(p.inner.iter().copied());
        added.push(men);
    }
    if added.is_empty() {
        return;
    }
    ctx.groups = groups;
    absorbed.sort_unstable();
    // Both lists are sorted by start token: merge them, dropping the absorbed mentions.
    let old = std::mem::take(&mut ctx.mentions);
    // The merged list goes into the spare buffer; the old one becomes the spare.
    let mut mentions = std::mem::take(&mut ctx.spare_mentions);
    mentions.clear();
    mentions.reserve(old.len() + added.len());
    // Mentions before this index keep their index.
    let mut unchanged = usize::MAX;
    let mut absorbed_at = 0;
    let mut new = added.iter().peekable();
    for (m, x) in old.iter().enumerate() {
        while absorbed.get(absorbed_at).is_some_and(|&a| a < m) {
            absorbed_at += 1;
        }
        if absorbed.get(absorbed_at) == Some(&m) {
            unchanged = unchanged.min(mentions.len());
            continue;
        }
        while let Some(n) = new.next_if(|n| (n.t0, n.t1) < (x.t0, x.t1)) {
            unchanged = unchanged.min(mentions.len());
            mentions.push(*n);
        }
        mentions.push(*x);
    }
    unchanged = unchanged.min(mentions.len());
    mentions.extend(new.copied());
    ctx.spare_mentions = old;
    // Mentions cover disjoint tokens (an absorbed mention lies inside its phrase), so
    // renumbering the covered tokens of the mentions that moved is enough.
    for (mi, m) in mentions.iter().enumerate().skip(unchanged) {
        for t in ctx.toks.get_mut(m.t0..m.t1).into_iter().flatten() {
            t.mention = mi as u32;
        }
    }
    ctx.mentions = mentions;
}

#[cfg(test)]
mod slug_tests {
    use super::group_id;

    /// The slug as first written: non-ASCII characters made spaces, then the words split
    /// at every other character, lower-cased one by one.
    fn reference_id(name: &str) -> String {
        let folded: String = name
            .chars()
            .map(|c| if c.is_ascii() { c } else { ' ' })
            .collect();
        let mut out = String::new();
        for w in folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if out.len() + w.len() > 60 {
                break;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(&w.to_ascii_lowercase());
        }
        if out.is_empty() {
            out.push_str("group");
        }
        format!("new:group:{out}")
    }

    #[test]
    fn slugs_of_sample_phrases() {
        assert_eq!(
            group_id("National Security experts"),
            "new:group:national-security-experts"
        );
        assert_eq!(
            group_id("caf\u{E9}-owners' union"),
            "new:group:caf-owners-union"
        );
        assert_eq!(group_id("\u{201C}\u{2014}"), "new:group:group");
        let long = "word ".repeat(20);
        assert_eq!(group_id(&long).len(), "new:group:".len() + 59);
        for name in ["", "A", "x  y", "\u{E9}t\u{E9}", "Mid-level U.S. officials"] {
            assert_eq!(group_id(name), reference_id(name), "{name:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_match_the_split(s in "\\PC{0,40}|[a-zA-Z0-9 \u{E9}\u{2019}.-]{0,40}") {
            let want: Vec<&str> = s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            proptest::prop_assert_eq!(super::ascii_words(&s).collect::<Vec<_>>(), want);
        }

        #[test]
        fn name_holds_matches_the_split(
            name in "\\PC{0,30}|[a-zA-Z0-9 \u{E9}.-]{0,30}",
            word in "|union|[a-zA-Z\u{E9}]{1,4}",
        ) {
            let want = name
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w.eq_ignore_ascii_case(&word));
            proptest::prop_assert_eq!(super::name_holds(&name, &word), want);
        }

        #[test]
        fn slugs_match_the_reference(name in "\\PC{0,80}|[a-zA-Z0-9 \u{E9}\u{2019}.-]{0,90}") {
            proptest::prop_assert_eq!(group_id(&name), reference_id(&name));
        }
    }
}
