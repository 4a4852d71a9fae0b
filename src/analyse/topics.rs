//! Topics: what each clause is about, and where each school stands on each topic.
//!
//! The taxonomy is built in and extended by a site's `content/topics.toml`. Clauses get topics automatically — from
//! the topic's terms, the nearest curated clauses of other schools and the clause's lead-in
//! ([`topic_scores`]) — unless an editor has settled them in `content/topics/<slug>.toml`,
//! which then wins. Scores near the line are reported by `policykb check` as uncertain.
//!
//! A school's **stance** on a topic comes from the wording of its clauses on it ([`stance_of`])
//! unless the editor's file sets it, and always names the clause it rests on.

use super::topic_scores;
use crate::content::read_source;
use crate::content::topics::{Curated, TOPICS_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ClauseRef, Policy, Site, Stance, StanceEntry, TopicSuggestion, UncertainTopic};
use crate::search::SearchIndex;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

/// Automatic scores this close to [`topic_scores::GIVE`], either side, are uncertain.
pub const UNCERTAIN_BAND: f32 = 0.15;
/// Distance from [`topic_scores::GIVE`] at which a topic's score is sure either way.
pub const CONFIDENT_MARGIN: f32 = 0.35;

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
    let topic_ids: Vec<String> = site.topics.iter().map(|t| t.id.clone()).collect();
    // The editors' assignments first: they are evidence for every other school's clauses.
    let mut suggestions = Vec::new();
    let settled: Vec<HashSet<usize>> = site
        .policies
        .iter_mut()
        .zip(curated)
        .map(|(policy, curated)| settle(policy, curated.as_ref(), &topic_ids, &mut suggestions, diagnostics))
        .collect();
    site.topic_suggestions = suggestions;
    let scores = match topic_scores::scores(site, index) {
        Ok(scores) => scores,
        Err(e) => {
            diagnostics.push(Diagnostic::error(TOPICS_FILE, format!("cannot score topics: {e:#}")));
            return;
        }
    };
    let mut used: BTreeMap<String, usize> = topic_ids.iter().map(|t| (t.clone(), 0)).collect();
    for (p, policy) in site.policies.iter_mut().enumerate() {
        let curated = curated[p].as_ref();
        for (c, clause) in policy.clauses.iter_mut().enumerate() {
            if !settled[p].contains(&c) {
                let scores = &scores[p][c];
                let mut given: Vec<usize> =
                    (0..topic_ids.len()).filter(|&t| scores[t] >= topic_scores::GIVE).collect();
                given.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
                given.truncate(topic_scores::MAX_TOPICS);
                clause.topics = given.iter().map(|&t| topic_ids[t].clone()).collect();
                clause.topic_confidence = Some(confidence(scores));
                for (t, &score) in scores.iter().enumerate() {
                    if (score - topic_scores::GIVE).abs() < UNCERTAIN_BAND {
                        site.uncertain_topics.push(UncertainTopic {
                            clause: ClauseRef::new(&policy.slug, &clause.id),
                            topic: topic_ids[t].clone(),
                            score,
                            given: given.contains(&t),
                        });
                    }
                }
            }
            for topic in &clause.topics {
                *used.entry(topic.clone()).or_default() += 1;
            }
        }
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
                            .with_help(format!("use a built-in topic or one of {TOPICS_FILE}")),
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
    // A built-in topic no clause is on is a gap in the policies, shown as "Not covered"; only a
    // topic of the site's own with no clause suggests a mistake in its terms.
    let own: Vec<&str> = site.topics.iter().filter(|t| !t.built_in).map(|t| t.id.as_str()).collect();
    for (topic, count) in used {
        if count == 0 && own.contains(&topic.as_str()) {
            diagnostics.push(
                Diagnostic::warning(TOPICS_FILE, format!("no clause of any policy is on topic `{topic}`"))
                    .with_help(
                        "check the topic's terms, or assign clauses to it in content/topics/<policy>.toml",
                    ),
            );
        }
    }
}

/// How sure a clause's automatic topics are: 0.5 when some topic's score is on the line
/// ([`topic_scores::GIVE`]), rising to 1 when every topic is at least [`CONFIDENT_MARGIN`] from
/// it, given or not.
pub fn confidence(scores: &[f32]) -> f32 {
    let nearest = scores.iter().map(|s| (s - topic_scores::GIVE).abs()).fold(CONFIDENT_MARGIN, f32::min);
    0.5 + 0.5 * nearest / CONFIDENT_MARGIN
}

/// Applies the editor's file to `policy`'s clauses, reporting unknown clauses and topics;
/// returns the indices of the clauses it settles or suggests topics for. A suggestion not yet
/// accepted gives its topics but is not curated: it is listed in `suggestions`, and is no
/// evidence for other schools' clauses.
fn settle(
    policy: &mut Policy,
    curated: Option<&Curated>,
    topic_ids: &[String],
    suggestions: &mut Vec<TopicSuggestion>,
    diagnostics: &mut Diagnostics,
) -> HashSet<usize> {
    let mut settled = HashSet::new();
    let Some(curated) = curated else { return settled };
    let (source, file) = (&curated.source, &curated.file);
    for (clause_id, entry) in &file.clauses {
        let topics = entry.topics();
        let Some(c) = policy.clauses.iter().position(|c| &c.id == clause_id) else {
            diagnostics.push(
                Diagnostic::error(source.path(), format!("`{clause_id}` is not a clause of {}", policy.slug))
                    .at(source, curated.key_offset("clauses", clause_id))
                    .with_help("use the clause ids of data/clauses.json (`clause`)"),
            );
            continue;
        };
        for topic in topics.iter().filter(|t| !topic_ids.contains(t)) {
            diagnostics.push(
                Diagnostic::error(source.path(), format!("unknown topic `{topic}` for clause {clause_id}"))
                    .at(source, curated.key_offset("clauses", clause_id))
                    .with_help(format!("use a built-in topic or one of {TOPICS_FILE}")),
            );
        }
        let clause = &mut policy.clauses[c];
        clause.topics = topics.iter().filter(|t| topic_ids.contains(t)).cloned().collect();
        clause.topics_curated = entry.suggested().is_none();
        if let Some(confidence) = entry.suggested() {
            suggestions.push(TopicSuggestion {
                clause: ClauseRef::new(&policy.slug, clause_id),
                topics: clause.topics.clone(),
                confidence,
            });
        }
        settled.insert(c);
    }
    settled
}

/// Warns about every topic term (`topics.toml`) and topic word (`search.toml`) of the site's own
/// files that matches no clause: it can never route a question, and is usually a typo or a word no policy uses.
/// Also warns about an intent that names no topic of the taxonomy.
pub fn check_terms(site: &Site, index: &SearchIndex, diagnostics: &mut Diagnostics) {
    // A warning where the site's own file has the word (quoted, as TOML writes it); none for
    // built-in vocabulary, which is written for every kind of policy: a site with one policy
    // would otherwise be told about every built-in word its policy does not use.
    // Each file is read once, through the loader's own reader, and only if a word is reported.
    let search_file = crate::content::search::SEARCH_FILE;
    let (topics_source, search_source) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    let located = |file: &str, term: &str, message: String| {
        let cell = if file == TOPICS_FILE { &topics_source } else { &search_source };
        let source = cell
            .get_or_init(|| read_source(&site.root, Path::new(file), &mut Diagnostics::default(), true))
            .as_ref()?;
        let offset = source.text.find(&format!("\"{term}\""))?;
        Some(Diagnostic::warning(file, message).at(source, offset + 1))
    };
    let no_clause = |term: &str| index.match_terms(&[term.to_string()]).is_ok_and(|hits| hits.is_empty());
    for topic in site.topics.iter().filter(|t| !t.built_in) {
        for term in topic.terms.iter().filter(|t| no_clause(t)) {
            let message = format!("topic `{}`: the term \"{term}\" matches no clause", topic.id);
            if let Some(warning) = located(TOPICS_FILE, term, message) {
                diagnostics
                    .push(warning.with_help("use the policies' own words for a topic term, or remove it"));
            }
        }
    }
    for (id, words) in &index.config.topic_words {
        if !site.topics.iter().any(|t| &t.id == id) {
            diagnostics.extend(located(search_file, id, format!("topic_words: there is no topic `{id}`")));
            continue;
        }
        for word in words.iter().filter(|w| no_clause(w)) {
            let message = format!("topic_words for `{id}`: \"{word}\" matches no clause");
            if let Some(warning) = located(search_file, word, message) {
                diagnostics.push(
                    warning
                        .with_help("topic words are read from clauses: use a clause's words, or remove it"),
                );
            }
        }
    }
    for intent in &index.config.intents {
        if let Some(topic) = intent.topic.as_deref().filter(|t| !site.topics.iter().any(|x| &x.id == t)) {
            let message = format!("intent `{}` names no topic `{topic}`", intent.name);
            diagnostics.extend(located(search_file, topic, message));
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
