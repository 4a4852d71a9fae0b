//! Topics: what each clause is about, and where each school stands on each topic.
//!
//! The taxonomy is content (`content/topics.toml`). Clauses get topics automatically — each
//! topic's terms searched in the clause index, a topic given where the score passes
//! [`THRESHOLD`] — unless an editor has settled them in `content/topics/<slug>.toml`, which
//! then wins. Scores near the threshold are reported by `policykb check` as uncertain.
//!
//! A school's **stance** on a topic comes from the wording of its clauses on it ([`stance_of`])
//! unless the editor's file sets it, and always names the clause it rests on.

use crate::content::topics::{Curated, TOPICS_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Site, Stance, StanceEntry, UncertainTopic};
use crate::search::SearchIndex;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Score at which an automatic topic is given (BM25 over the topic's terms).
pub const THRESHOLD: f32 = 7.0;
/// Scores within this factor of the threshold, either side, are uncertain.
pub const UNCERTAIN_BAND: f32 = 1.3;

static PROHIBITED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(must not|must never|mustn't|never|not (be )?permitted|not (be )?allowed|prohibited|forbidden|under no circumstances|not acceptable|no (member of )?(school )?staff (member )?should|no (pupil|adult|member) should|are not to|is not to|will not)\b").unwrap()
});
static NEEDS_PERMISSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(with (prior |the )?permission|unless (agreed|authori[sz]ed|permission|approved|prior)|prior (written )?permission|only with|authori[sz]ed by|approved by|with the agreement|seek (prior )?approval|consent of)\b").unwrap()
});
static DISCOURAGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(should not|shouldn't|should never|avoid|not advisable|discouraged|not recommended|are advised not)\b").unwrap()
});
static CAUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(caution|cautious|carefully consider|careful|be aware|mindful|think about|with care|consider)\b").unwrap()
});
static REQUIRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(must|should|are required|is required|need to|needs to|have a duty|has a duty|are expected|is expected|will)\b").unwrap()
});
static PERMITTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(may|permitted|allowed|can|are able to|permits)\b").unwrap());
/// The stance a clause's wording expresses, strongest rule first.
pub fn stance_of(text: &str) -> Stance {
    // A prohibition with a way round it ("not permitted unless agreed") needs permission.
    let rules: [(&Regex, Stance); 6] = [
        (&NEEDS_PERMISSION, Stance::NeedsPermission),
        (&PROHIBITED, Stance::Prohibited),
        (&DISCOURAGED, Stance::Discouraged),
        (&CAUTION, Stance::Caution),
        (&REQUIRED, Stance::Required),
        (&PERMITTED, Stance::Permitted),
    ];
    rules.iter().find(|(pattern, _)| pattern.is_match(text)).map_or(Stance::NotCovered, |(_, s)| *s)
}

/// Assigns topics to every clause and works out every school's stances.
/// `curated[p]` is the editor's file for policy `p`, if it has one.
pub fn analyse(
    site: &mut Site,
    index: &SearchIndex,
    curated: &[Option<Curated>],
    diagnostics: &mut Diagnostics,
) {
    if site.topics.is_empty() {
        return;
    }
    // Automatic topics, from each topic's terms.
    let mut automatic: Vec<Vec<Vec<String>>> =
        site.policies.iter().map(|p| vec![Vec::new(); p.clauses.len()]).collect();
    for topic in &site.topics {
        let hits = match index.match_terms(&topic.terms) {
            Ok(hits) => hits,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    TOPICS_FILE,
                    format!("cannot score topic `{}`: {e:#}", topic.id),
                ));
                continue;
            }
        };
        for hit in hits {
            for clause in &index.docs[hit.doc].clauses {
                let (p, c) = site.places[clause];
                if hit.score >= THRESHOLD {
                    automatic[p][c].push(topic.id.clone());
                }
                if hit.score >= THRESHOLD / UNCERTAIN_BAND && hit.score < THRESHOLD * UNCERTAIN_BAND {
                    site.uncertain_topics.push(UncertainTopic {
                        clause: clause.clone(),
                        topic: topic.id.clone(),
                        score: hit.score,
                        given: hit.score >= THRESHOLD,
                    });
                }
            }
        }
    }
    let topic_ids: Vec<String> = site.topics.iter().map(|t| t.id.clone()).collect();
    let mut used: BTreeMap<String, usize> = topic_ids.iter().map(|t| (t.clone(), 0)).collect();
    for (p, policy) in site.policies.iter_mut().enumerate() {
        let curated = curated[p].as_ref();
        let mut settled = std::collections::HashSet::new();
        if let Some(curated) = curated {
            let (source, file) = (&curated.source, &curated.file);
            for (clause_id, topics) in &file.clauses {
                let Some(c) = policy.clauses.iter().position(|c| &c.id == clause_id) else {
                    diagnostics.push(
                        Diagnostic::error(
                            source.path(),
                            format!("`{clause_id}` is not a clause of {}", policy.slug),
                        )
                        .at(source, curated.key_offset("clauses", clause_id))
                        .with_help("use the clause ids of data/clauses.json (`clause`)"),
                    );
                    continue;
                };
                for topic in topics.iter().filter(|t| !topic_ids.contains(t)) {
                    diagnostics.push(
                        Diagnostic::error(
                            source.path(),
                            format!("unknown topic `{topic}` for clause {clause_id}"),
                        )
                        .at(source, curated.key_offset("clauses", clause_id))
                        .with_help(format!("topics are defined in {TOPICS_FILE}")),
                    );
                }
                policy.clauses[c].topics = topics.iter().filter(|t| topic_ids.contains(t)).cloned().collect();
                policy.clauses[c].topics_curated = true;
                settled.insert(c);
            }
        }
        for (c, clause) in policy.clauses.iter_mut().enumerate() {
            if !settled.contains(&c) {
                clause.topics = std::mem::take(&mut automatic[p][c]);
            }
            for topic in &clause.topics {
                *used.entry(topic.clone()).or_default() += 1;
            }
        }
        let slug = &policy.slug;
        site.uncertain_topics
            .retain(|u| &u.clause.policy != slug || !settled.contains(&site.places[&u.clause].1));

        // Stances: from the wording of the clauses on each topic, the strongest rule first.
        for topic in &topic_ids {
            let derived = policy
                .clauses
                .iter()
                .enumerate()
                .filter(|(_, c)| c.topics.contains(topic))
                .map(|(i, c)| (stance_of(&c.text), i))
                .min();
            let (stance, clause) = derived.map_or((Stance::NotCovered, None), |(s, c)| (s, Some(c)));
            let entry =
                StanceEntry { stance, clause, curated: false, derived: stance, derived_clause: clause };
            policy.stances.insert(topic.clone(), entry);
        }
        if let Some(curated) = curated {
            let (source, file) = (&curated.source, &curated.file);
            for (topic, set) in &file.stance {
                if !topic_ids.contains(topic) {
                    diagnostics.push(
                        Diagnostic::error(source.path(), format!("stance for unknown topic `{topic}`"))
                            .at(source, curated.key_offset("stance", topic))
                            .with_help(format!("topics are defined in {TOPICS_FILE}")),
                    );
                    continue;
                }
                let clause = match &set.clause {
                    Some(id) => {
                        match policy.clauses.iter().position(|c| &c.id == id) {
                            Some(c) => Some(c),
                            None => {
                                diagnostics.push(
                                Diagnostic::error(source.path(), format!("stance on `{topic}` rests on `{id}`, which is not a clause of {}", policy.slug))
                                    .at(source, curated.key_offset("stance", topic))
                                    .with_help("name the clause that states the rule"),
                            );
                                continue;
                            }
                        }
                    }
                    None if set.stance == Stance::NotCovered => None,
                    None => {
                        diagnostics.push(
                            Diagnostic::error(source.path(), format!("stance on `{topic}` names no clause"))
                                .at(source, curated.key_offset("stance", topic))
                                .with_help("a stance is always shown with the clause it rests on: add clause = \"...\""),
                        );
                        continue;
                    }
                };
                let (derived, derived_clause) = policy
                    .stances
                    .get(topic)
                    .map_or((Stance::NotCovered, None), |e| (e.derived, e.derived_clause));
                let entry =
                    StanceEntry { stance: set.stance, clause, curated: true, derived, derived_clause };
                policy.stances.insert(topic.clone(), entry);
            }
        }
    }
    for (topic, count) in used {
        if count == 0 {
            diagnostics.push(
                Diagnostic::warning(TOPICS_FILE, format!("no clause of any policy is on topic `{topic}`"))
                    .with_help(
                        "check the topic's terms, or assign clauses to it in content/topics/<policy>.toml",
                    ),
            );
        }
    }
}

/// Warns about every topic term (`topics.toml`) and topic word (`search.toml`) that matches no
/// clause: it can never route a question, and is usually a typo or a word no policy uses.
/// Also warns about an intent that names no topic of the taxonomy.
pub fn check_terms(site: &Site, index: &SearchIndex, diagnostics: &mut Diagnostics) {
    let located = |file: &str, term: &str, message: String| {
        let path = site.root.join(file);
        let diagnostic = Diagnostic::warning(file, message);
        // Point at the term where the file has it (quoted, as TOML writes it).
        match std::fs::read_to_string(&path).ok().and_then(|text| {
            let offset = text.find(&format!("\"{term}\""))?;
            Some((crate::diagnostics::SourceText::new(file, text), offset + 1))
        }) {
            Some((source, offset)) => diagnostic.at(&source, offset),
            None => diagnostic,
        }
    };
    let no_clause = |term: &str| index.match_terms(&[term.to_string()]).is_ok_and(|hits| hits.is_empty());
    for topic in &site.topics {
        for term in topic.terms.iter().filter(|t| no_clause(t)) {
            let message = format!("topic `{}`: the term \"{term}\" matches no clause", topic.id);
            diagnostics.push(
                located(TOPICS_FILE, term, message)
                    .with_help("use the policies' own words for a topic term, or remove it"),
            );
        }
    }
    for (id, words) in &index.config.topic_words {
        if !site.topics.iter().any(|t| &t.id == id) {
            diagnostics.push(located(
                crate::content::SEARCH_FILE,
                id,
                format!("topic_words: there is no topic `{id}`"),
            ));
            continue;
        }
        for word in words.iter().filter(|w| no_clause(w)) {
            let message = format!("topic_words for `{id}`: \"{word}\" matches no clause");
            diagnostics.push(
                located(crate::content::SEARCH_FILE, word, message)
                    .with_help("topic words are read from clauses: use a clause's words, or remove it"),
            );
        }
    }
    for intent in &index.config.intents {
        if let Some(topic) = intent.topic.as_deref().filter(|t| !site.topics.iter().any(|x| &x.id == t)) {
            let message = format!("intent `{}` names no topic `{topic}`", intent.name);
            diagnostics.push(located(crate::content::SEARCH_FILE, topic, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_gives_the_stance() {
        assert_eq!(stance_of("Adults must not follow or be followed by parents/carers"), Stance::Prohibited);
        assert_eq!(stance_of("No member of staff should interact with any pupil"), Stance::Prohibited);
        assert_eq!(stance_of("Staff should not give their personal details"), Stance::Discouraged);
        assert_eq!(
            stance_of("Staff members should proceed with caution when interacting with parents"),
            Stance::Caution
        );
        assert_eq!(stance_of("Carefully consider contact with a student’s family members"), Stance::Caution);
        assert_eq!(
            stance_of("not permitted, unless permission has been given by the Headteachers"),
            Stance::NeedsPermission
        );
        assert_eq!(stance_of("only with prior permission from the Head"), Stance::NeedsPermission);
        assert_eq!(stance_of("Staff must report all incidents"), Stance::Required);
        assert_eq!(stance_of("The school permits reasonable access"), Stance::Permitted);
        assert_eq!(stance_of("Social media is a broad term"), Stance::NotCovered);
    }
}
