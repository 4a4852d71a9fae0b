//! Query planning: what a staff question means as weighted search terms.
//!
//! The plan is the contract between the build-time engine and the browser client
//! (`search.js` implements the same steps, in the same order):
//!
//! 0. Only the first [`MAX_QUERY_CHARS`] characters are read, and at most [`MAX_QUERY_WORDS`]
//!    words become groups; the plan says when it cut (`truncated`).
//! 1. **Phrases** in straight or curly double quotes must occur as written (stop words keep
//!    their places); their words count as exact terms.
//! 2. The other words are tokenised like the text. Multi-word synonyms ("young person") are
//!    joined into one word, and so are the lexicon's ("sports day"). **Filler** words ("can", "I", "what", "should") are dropped unless
//!    nothing else would be left; stop words are dropped by the analyser.
//! 3. Each remaining word becomes a **group** of terms, scored by its best term:
//!    - its own stem, weight 1;
//!    - the stems of its **synonyms**, weight `synonym_weight` (spelling **variants**: 1);
//!    - the policies' words for it in the **lexicon** (a staff word such as "insta" or "TA"),
//!      weight `lexicon_weight`;
//!    - if its stem is neither in the index nor a lexicon word and it has at least 4 letters,
//!      the index's terms one
//!      edit away (optimal string alignment; two edits for 8 letters or more), weight
//!      `typo_weight` (squared for two edits) — and their synonyms, weighted by both;
//!    - if it is the last word and the query does not end in a space or quote (the person is
//!      still typing) and it has at least 3 letters, up to 10 index terms that start with
//!      it, most frequent first, weight `prefix_weight`.
//! 4. A clause's score is the sum over groups of the best `weight × BM25(term)`.

use super::analyzer;
use super::config::{MAX_QUERY_CHARS, MAX_QUERY_WORDS, SearchConfig};
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;
use tantivy::tokenizer::TextAnalyzer;

/// How many completions a half-typed word may expand to.
pub const MAX_PREFIX_TERMS: usize = 10;

static PHRASE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"["“”]([^"“”]*)["“”]"#).unwrap());

/// One term a group may match, and how much a match counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Expansion {
    /// A term of the index (a stem: `friend`).
    pub term: String,
    /// How much a match counts: 1 for the word itself, less for a synonym, typo or completion.
    pub weight: f32,
}

/// A query word and the terms that stand for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Group {
    /// The query word (or quoted term) the group stands for.
    pub word: String,
    /// The terms that match it, heaviest first.
    pub terms: Vec<Expansion>,
}

/// A quoted phrase: its terms with their offsets from the first.
pub type Phrase = Vec<(usize, String)>;

/// How a question is searched: the groups of terms it became and its quoted phrases.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct QueryPlan {
    /// One group per query word; a clause scores by the best term of each group.
    pub groups: Vec<Group>,
    /// Quoted phrases, which must match.
    pub phrases: Vec<Phrase>,
    /// The query was longer than the planner reads, and was cut.
    pub truncated: bool,
}

/// The part of a query that is read: its first [`MAX_QUERY_CHARS`] characters.
pub fn bounded(query: &str) -> &str {
    query.char_indices().nth(MAX_QUERY_CHARS).map_or(query, |(end, _)| &query[..end])
}

/// Plans queries against one index's vocabulary (term → number of clauses containing it).
pub struct Planner<'a> {
    config: &'a SearchConfig,
    vocabulary: &'a BTreeMap<String, u64>,
    analyzer: TextAnalyzer,
    /// Synonym groups as stems; multi-word entries (synonyms first, then the lexicon's) as
    /// word lists.
    synonym_stems: Vec<(Vec<String>, f32)>,
    multi_word: Vec<(Vec<String>, Joined)>,
    /// The lexicon's entries as the stems of the policies' words; one-word keys by stem.
    lexicon_targets: Vec<Vec<String>>,
    lexicon_stems: HashMap<String, usize>,
    filler: HashSet<String>,
}

/// What a multi-word entry recognised in a query is: a synonym group's or a lexicon entry's.
#[derive(Debug, Clone, Copy)]
enum Joined {
    Synonym(usize),
    Lexicon(usize),
}

impl<'a> Planner<'a> {
    pub(crate) fn new(config: &'a SearchConfig, vocabulary: &'a BTreeMap<String, u64>) -> Self {
        let mut analyzer = analyzer::analyzer();
        let mut synonym_stems = Vec::new();
        let mut multi_word = Vec::new();
        for (index, (group, weight)) in config.word_groups().enumerate() {
            let mut stems = Vec::new();
            for entry in group {
                let words = analyzer::words(entry);
                if words.len() > 1 {
                    multi_word.push((words, Joined::Synonym(index)));
                } else if let Some(stem) = words.first().and_then(|w| analyzer::stem(&mut analyzer, w)) {
                    stems.push(stem);
                }
            }
            synonym_stems.push((stems, weight));
        }
        let mut lexicon_targets = Vec::new();
        let mut lexicon_stems = HashMap::new();
        for (entry, (key, targets)) in config.lexicon.iter().enumerate() {
            let words = analyzer::words(key);
            if words.len() > 1 {
                multi_word.push((words, Joined::Lexicon(entry)));
            } else if let Some(stem) = words.first().and_then(|w| analyzer::stem(&mut analyzer, w)) {
                lexicon_stems.entry(stem).or_insert(entry);
            }
            let mut stems: Vec<String> = Vec::new();
            for target in targets {
                for term in analyzer::terms(&mut analyzer, target) {
                    if !stems.contains(&term.text) {
                        stems.push(term.text);
                    }
                }
            }
            lexicon_targets.push(stems);
        }
        let filler = config.filler.iter().flat_map(|f| analyzer::words(f)).collect();
        Planner {
            config,
            vocabulary,
            analyzer,
            synonym_stems,
            multi_word,
            lexicon_targets,
            lexicon_stems,
            filler,
        }
    }

    /// Plans `query`.
    pub fn plan(&mut self, query: &str) -> QueryPlan {
        let read = bounded(query);
        let mut plan = QueryPlan { truncated: read.len() < query.len(), ..QueryPlan::default() };
        let query = read;
        let mut exact: Vec<String> = Vec::new();
        for c in PHRASE.captures_iter(query) {
            let terms = analyzer::terms(&mut self.analyzer, &c[1]);
            let Some(first) = terms.first().map(|t| t.position) else { continue };
            exact.extend(terms.iter().map(|t| t.text.clone()));
            if terms.len() > 1 {
                plan.phrases.push(terms.into_iter().map(|t| (t.position - first, t.text)).collect());
            }
        }
        let rest = PHRASE.replace_all(query, " ");
        // Unclosed quotes are just text.
        let rest = rest.replace(['"', '“', '”'], " ");
        let typing = query.chars().last().is_some_and(char::is_alphanumeric);
        let mut words: Vec<Word> = analyzer::words(&rest).into_iter().map(Word::Plain).collect();
        if typing && let Some(Word::Plain(last)) = words.pop() {
            words.push(Word::Typing(last));
        }
        self.join_multi_word(&mut words);
        let meaningful = words.iter().filter(|w| !self.filler.contains(w.text())).count();
        if meaningful > 0 {
            words.retain(|w| !self.filler.contains(w.text()));
        }
        if exact.len() + words.len() > MAX_QUERY_WORDS {
            plan.truncated = true;
            exact.truncate(MAX_QUERY_WORDS);
            words.truncate(MAX_QUERY_WORDS - exact.len());
        }
        for term in exact {
            self.push_group(&mut plan, term.clone(), vec![Expansion { term, weight: 1.0 }]);
        }
        for word in words {
            let terms = self.expand(&word);
            self.push_group(&mut plan, word.text().to_string(), terms);
        }
        plan
    }

    fn push_group(&self, plan: &mut QueryPlan, word: String, mut terms: Vec<Expansion>) {
        if terms.is_empty() || plan.groups.iter().any(|g| g.word == word) {
            return;
        }
        terms.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
        plan.groups.push(Group { word, terms });
    }

    fn join_multi_word(&self, words: &mut Vec<Word>) {
        let mut i = 0;
        while i < words.len() {
            let found = self.multi_word.iter().find(|(entry, _)| {
                words.len() - i >= entry.len() && entry.iter().zip(&words[i..]).all(|(e, w)| e == w.text())
            });
            if let Some((entry, joined)) = found {
                let text = entry.join(" ");
                let word = match *joined {
                    Joined::Synonym(group) => Word::Synonym(text, group),
                    Joined::Lexicon(entry) => Word::Lexicon(text, entry),
                };
                words.splice(i..i + entry.len(), [word]);
            }
            i += 1;
        }
    }

    fn expand(&mut self, word: &Word) -> Vec<Expansion> {
        let mut found: BTreeMap<String, f32> = BTreeMap::new();
        let mut add = |term: &str, weight: f32, vocabulary: &BTreeMap<String, u64>| {
            if vocabulary.contains_key(term) {
                let best = found.entry(term.to_string()).or_insert(0.0);
                *best = best.max(weight);
            }
        };
        let joined = match word {
            Word::Synonym(text, group) => Some((text, self.synonym_stems[*group].clone())),
            Word::Lexicon(text, entry) => {
                Some((text, (self.lexicon_targets[*entry].clone(), self.config.lexicon_weight)))
            }
            Word::Plain(_) | Word::Typing(_) => None,
        };
        if let Some((text, (stems, weight))) = joined {
            let meaningful = analyzer::words(text).into_iter().filter(|w| !self.filler.contains(w));
            for stem in meaningful.filter_map(|w| analyzer::stem(&mut self.analyzer, &w)) {
                add(&stem, 1.0, self.vocabulary);
            }
            for stem in &stems {
                add(stem, weight, self.vocabulary);
            }
            return into_expansions(found);
        }
        let text = word.text();
        let Some(stem) = analyzer::stem(&mut self.analyzer, text) else {
            return Vec::new();
        };
        let mut bases = vec![(stem.clone(), 1.0f32)];
        let known = self.vocabulary.contains_key(&stem) || self.lexicon_stems.contains_key(&stem);
        if !known && text.chars().count() >= 4 {
            let length = stem.chars().count();
            for term in self.vocabulary.keys() {
                // Two edits at most: a term whose length differs by more cannot be one.
                if term.chars().count().abs_diff(length) > 2 {
                    continue;
                }
                let distance = strsim::osa_distance(&stem, term);
                if distance == 1 {
                    bases.push((term.clone(), self.config.typo_weight));
                } else if distance == 2 && stem.chars().count() >= 8 {
                    bases.push((term.clone(), self.config.typo_weight * self.config.typo_weight));
                }
            }
        }
        for (base, weight) in &bases {
            add(base, *weight, self.vocabulary);
            for (group, group_weight) in self.synonym_stems.iter().filter(|(g, _)| g.contains(base)) {
                for synonym in group.iter().filter(|s| *s != base) {
                    add(synonym, weight * group_weight, self.vocabulary);
                }
            }
            if let Some(&entry) = self.lexicon_stems.get(base) {
                for target in &self.lexicon_targets[entry] {
                    add(target, weight * self.config.lexicon_weight, self.vocabulary);
                }
            }
        }
        if matches!(word, Word::Typing(_)) && text.chars().count() >= 3 {
            let mut completions: Vec<(&String, &u64)> = self
                .vocabulary
                .range(text.to_string()..)
                .take_while(|(term, _)| term.starts_with(text))
                .filter(|(term, _)| **term != stem)
                .collect();
            completions.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            for (term, _) in completions.into_iter().take(MAX_PREFIX_TERMS) {
                add(term, self.config.prefix_weight, self.vocabulary);
            }
        }
        into_expansions(found)
    }
}

fn into_expansions(found: BTreeMap<String, f32>) -> Vec<Expansion> {
    found.into_iter().map(|(term, weight)| Expansion { term, weight }).collect()
}

/// A word of the query as the planner sees it.
enum Word {
    Plain(String),
    /// The last word, still being typed: may be completed.
    Typing(String),
    /// A multi-word synonym entry and the index of its group.
    Synonym(String, usize),
    /// A multi-word lexicon key and the index of its entry.
    Lexicon(String, usize),
}

impl Word {
    fn text(&self) -> &str {
        match self {
            Word::Plain(t) | Word::Typing(t) | Word::Synonym(t, _) | Word::Lexicon(t, _) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(terms: &[&str]) -> BTreeMap<String, u64> {
        terms.iter().enumerate().map(|(i, t)| (t.to_string(), i as u64 + 1)).collect()
    }

    fn config() -> SearchConfig {
        SearchConfig {
            synonyms: vec![
                vec!["friend".into(), "befriend".into(), "follow".into()],
                vec!["pupil".into(), "student".into(), "young person".into()],
            ],
            filler: vec!["can".into(), "i".into(), "what".into(), "should".into(), "do".into()],
            ..SearchConfig::default()
        }
    }

    #[test]
    fn filler_goes_and_synonyms_come_in_below_the_word() {
        let vocabulary = vocabulary(&["friend", "befriend", "follow", "parent"]);
        let config = config();
        let plan = Planner::new(&config, &vocabulary).plan("can I friend a parent ");
        let words: Vec<&str> = plan.groups.iter().map(|g| g.word.as_str()).collect();
        assert_eq!(words, ["friend", "parent"]);
        assert_eq!(plan.groups[0].terms[0], Expansion { term: "friend".into(), weight: 1.0 });
        assert!(plan.groups[0].terms.iter().any(|e| e.term == "follow" && e.weight == 0.5));
    }

    #[test]
    fn typos_are_corrected_and_half_words_completed() {
        let vocabulary = vocabulary(&["friend", "parent", "pornographi", "porous"]);
        let config = config();
        let mut planner = Planner::new(&config, &vocabulary);
        let plan = planner.plan("can i frend a parnet");
        assert_eq!(plan.groups[0].terms[0].term, "friend");
        assert!(plan.groups[1].terms.iter().any(|e| e.term == "parent" && e.weight == 0.7));
        let plan = planner.plan("porn");
        assert!(plan.groups[0].terms.iter().any(|e| e.term == "pornographi"));
        let plan = planner.plan("porn ");
        assert!(plan.groups.is_empty(), "a finished word is not completed: {plan:?}");
    }

    #[test]
    fn phrases_and_multi_word_synonyms() {
        let vocabulary = vocabulary(&["young", "person", "pupil", "student", "social", "media"]);
        let config = config();
        let mut planner = Planner::new(&config, &vocabulary);
        let plan = planner.plan("\"social media\" young person");
        assert_eq!(plan.phrases, vec![vec![(0, "social".to_string()), (1, "media".to_string())]]);
        let last = plan.groups.last().unwrap();
        assert_eq!(last.word, "young person");
        assert!(last.terms.iter().any(|e| e.term == "pupil"));
        // Only filler: keep it rather than search for nothing.
        let vocabulary = super::tests::vocabulary(&["do", "should"]);
        let plan = Planner::new(&config, &vocabulary).plan("what should I do ");
        let words: Vec<&str> = plan.groups.iter().map(|g| g.word.as_str()).collect();
        assert_eq!(words, ["should", "do"]);
    }

    #[test]
    fn the_lexicon_finds_the_policies_words_below_the_typed_word() {
        let vocabulary =
            vocabulary(&["social", "network", "instagram", "support", "staff", "school", "event"]);
        let mut config = config();
        config.lexicon = BTreeMap::from([
            ("insta".to_string(), vec!["instagram".to_string(), "social networking".to_string()]),
            ("ta".to_string(), vec!["support staff".to_string()]),
            ("sports day".to_string(), vec!["school event".to_string()]),
        ]);
        let mut planner = Planner::new(&config, &vocabulary);
        let plan = planner.plan("insta ta sports day ");
        let words: Vec<&str> = plan.groups.iter().map(|g| g.word.as_str()).collect();
        assert_eq!(words, ["insta", "ta", "sports day"]);
        let weight = config.lexicon_weight;
        assert!(plan.groups[0].terms.iter().all(|e| e.weight == weight), "{plan:?}");
        assert!(plan.groups[0].terms.iter().any(|e| e.term == "network"));
        assert!(plan.groups[1].terms.iter().any(|e| e.term == "support"));
        assert!(plan.groups[2].terms.iter().any(|e| e.term == "event"));
        // One way: the policies' word does not find the staff word.
        let plan = planner.plan("instagram ");
        assert_eq!(plan.groups[0].terms, vec![Expansion { term: "instagram".into(), weight: 1.0 }]);
    }

    #[test]
    fn long_queries_are_cut_and_say_so() {
        let vocabulary = vocabulary(&["friend", "parent"]);
        let config = config();
        let mut planner = Planner::new(&config, &vocabulary);
        let long = "friend parent ".repeat(10_000);
        let plan = planner.plan(&long);
        assert!(plan.truncated);
        assert!(plan.groups.len() <= MAX_QUERY_WORDS);
        let many: String = (0..40).map(|i| format!("word{i} ")).collect();
        let plan = planner.plan(&many);
        assert!(plan.truncated && plan.groups.len() <= MAX_QUERY_WORDS, "{plan:?}");
        assert!(!planner.plan("friend parent").truncated);
        // A cut never splits a character.
        assert_eq!(bounded(&"é".repeat(300)).chars().count(), MAX_QUERY_CHARS);
    }
}
