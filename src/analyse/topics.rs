//! Topics: what each clause is about, and where each school stands on each topic.
//!
//! The taxonomy is content (`content/topics.toml`). Clauses get topics automatically — each
//! topic's terms searched in the clause index, a topic given where the score passes
//! [`THRESHOLD`] — unless an editor has settled them in `content/topics/<slug>.toml`, which
//! then wins. Scores near the threshold are reported by `policykb check` as uncertain.
//!
//! A school's **stance** on a topic comes from the wording of its clauses on it ([`Stance::of`])
//! unless the editor's file sets it, and always names the clause it rests on.

use crate::config::toml_diagnostic;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::Site;
use crate::search::SearchIndex;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

pub const TOPICS_FILE: &str = "content/topics.toml";
pub const CURATED_DIR: &str = "content/topics";

/// Score at which an automatic topic is given (BM25 over the topic's terms).
pub const THRESHOLD: f32 = 7.0;
/// Scores within this factor of the threshold, either side, are uncertain.
pub const UNCERTAIN_BAND: f32 = 1.3;

/// A subject governors compare policies on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub title: String,
    /// The question the topic answers, in one line.
    pub question: String,
    /// Words and phrases that find clauses on the topic.
    pub terms: Vec<String>,
}

/// Where a school stands on a topic, from most to least restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Prohibited,
    NeedsPermission,
    Discouraged,
    Caution,
    Required,
    Permitted,
    NotCovered,
}

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

impl Stance {
    /// The stance a clause's wording expresses, strongest rule first.
    pub fn of(text: &str) -> Stance {
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

    pub fn label(self) -> &'static str {
        match self {
            Stance::Prohibited => "Prohibited",
            Stance::NeedsPermission => "Needs permission",
            Stance::Discouraged => "Discouraged",
            Stance::Caution => "Caution",
            Stance::Required => "Required",
            Stance::Permitted => "Permitted",
            Stance::NotCovered => "Not covered",
        }
    }
}

/// A school's stance on one topic and the clause it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct StanceEntry {
    pub stance: Stance,
    /// Index of the clause in its policy.
    pub clause: Option<usize>,
    /// Set by an editor rather than read from the wording.
    pub curated: bool,
    /// What the wording says, even where an editor has set the stance, and the clause it
    /// reads that from.
    pub derived: Stance,
    pub derived_clause: Option<usize>,
}

/// An automatic topic whose score is close to the threshold: worth an editor's look.
#[derive(Debug, Clone, Serialize)]
pub struct UncertainTopic {
    pub policy: usize,
    pub clause: usize,
    pub topic: String,
    pub score: f32,
    pub given: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default)]
    topic: Vec<Topic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedFile {
    #[serde(default)]
    clauses: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    stance: BTreeMap<String, CuratedStance>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedStance {
    stance: Stance,
    clause: Option<String>,
}

/// Reads the taxonomy; a site without one has no topics.
pub fn load_topics(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Topic> {
    let Some(source) = crate::content::read_source(root, Path::new(TOPICS_FILE), diagnostics, true) else {
        return Vec::new();
    };
    match toml::from_str::<TopicsFile>(&source.text) {
        Ok(file) => {
            let mut seen = std::collections::HashSet::new();
            for topic in &file.topic {
                if !seen.insert(topic.id.as_str()) {
                    diagnostics.push(
                        Diagnostic::error(source.path(), format!("topic `{}` is defined twice", topic.id))
                            .at(&source, offset_of(&source, &format!("\"{}\"", topic.id), 2)),
                    );
                }
            }
            file.topic
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            Vec::new()
        }
    }
}

/// Byte offset of the `nth` occurrence (1-based) of `needle`, or of the first, for pointing.
fn offset_of(source: &SourceText, needle: &str, nth: usize) -> usize {
    let mut found = source.text.match_indices(needle).map(|(i, _)| i);
    let first = found.next().unwrap_or(0);
    found.nth(nth.saturating_sub(2)).unwrap_or(first)
}

/// Offset of the line `key = ...` (key bare or quoted) in the TOML table `[table]`, for
/// pointing at it; the start of the table (or file) if not found.
fn key_offset(source: &SourceText, table: &str, key: &str) -> usize {
    let header = format!("[{table}]");
    let mut in_table = false;
    let mut table_start = 0;
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_table = trimmed == header;
            if in_table {
                table_start = offset;
            }
        } else if in_table {
            let rest = trimmed.strip_prefix(&format!("\"{key}\"")).or_else(|| trimmed.strip_prefix(key));
            if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
                return offset + (line.len() - line.trim_start().len());
            }
        }
        offset += line.len();
    }
    table_start
}

/// Assigns topics to every clause and works out every school's stances.
pub fn analyse(site: &mut Site, index: &SearchIndex, diagnostics: &mut Diagnostics) {
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
            let doc = &index.docs[hit.doc];
            for &clause in &doc.clauses {
                if hit.score >= THRESHOLD {
                    automatic[doc.policy][clause].push(topic.id.clone());
                }
                if hit.score >= THRESHOLD / UNCERTAIN_BAND && hit.score < THRESHOLD * UNCERTAIN_BAND {
                    site.uncertain_topics.push(UncertainTopic {
                        policy: doc.policy,
                        clause,
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
        let curated = load_curated(&site.root, &policy.slug, diagnostics);
        let mut settled = std::collections::HashSet::new();
        if let Some((source, file)) = &curated {
            for (clause_id, topics) in &file.clauses {
                let Some(c) = policy.clauses.iter().position(|c| &c.id == clause_id) else {
                    diagnostics.push(
                        Diagnostic::error(
                            source.path(),
                            format!("`{clause_id}` is not a clause of {}", policy.slug),
                        )
                        .at(source, key_offset(source, "clauses", clause_id))
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
                        .at(source, key_offset(source, "clauses", clause_id))
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
        site.uncertain_topics.retain(|u| u.policy != p || !settled.contains(&u.clause));

        // Stances: from the wording of the clauses on each topic, the strongest rule first.
        for topic in &topic_ids {
            let derived = policy
                .clauses
                .iter()
                .enumerate()
                .filter(|(_, c)| c.topics.contains(topic))
                .map(|(i, c)| (Stance::of(&c.text), i))
                .min();
            let (stance, clause) = derived.map_or((Stance::NotCovered, None), |(s, c)| (s, Some(c)));
            let entry =
                StanceEntry { stance, clause, curated: false, derived: stance, derived_clause: clause };
            policy.stances.insert(topic.clone(), entry);
        }
        if let Some((source, file)) = &curated {
            for (topic, set) in &file.stance {
                if !topic_ids.contains(topic) {
                    diagnostics.push(
                        Diagnostic::error(source.path(), format!("stance for unknown topic `{topic}`"))
                            .at(source, key_offset(source, "stance", topic))
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
                                    .at(source, key_offset(source, "stance", topic))
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
                                .at(source, key_offset(source, "stance", topic))
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

fn load_curated(root: &Path, slug: &str, diagnostics: &mut Diagnostics) -> Option<(SourceText, CuratedFile)> {
    let path = Path::new(CURATED_DIR).join(format!("{slug}.toml"));
    let source = crate::content::read_source(root, &path, diagnostics, true)?;
    match toml::from_str::<CuratedFile>(&source.text) {
        Ok(file) => Some((source, file)),
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_gives_the_stance() {
        assert_eq!(Stance::of("Adults must not follow or be followed by parents/carers"), Stance::Prohibited);
        assert_eq!(Stance::of("No member of staff should interact with any pupil"), Stance::Prohibited);
        assert_eq!(Stance::of("Staff should not give their personal details"), Stance::Discouraged);
        assert_eq!(
            Stance::of("Staff members should proceed with caution when interacting with parents"),
            Stance::Caution
        );
        assert_eq!(Stance::of("Carefully consider contact with a student’s family members"), Stance::Caution);
        assert_eq!(
            Stance::of("not permitted, unless permission has been given by the Headteachers"),
            Stance::NeedsPermission
        );
        assert_eq!(Stance::of("only with prior permission from the Head"), Stance::NeedsPermission);
        assert_eq!(Stance::of("Staff must report all incidents"), Stance::Required);
        assert_eq!(Stance::of("The school permits reasonable access"), Stance::Permitted);
        assert_eq!(Stance::of("Social media is a broad term"), Stance::NotCovered);
    }
}
