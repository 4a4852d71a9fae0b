//! The domain knowledge built into the tool: the topic taxonomy, the concerns reporting routes
//! answer, the search vocabulary, the list of superseded guidance and the glossary. They are
//! the files of the repository's `defaults/` folder, embedded in the binary like the default
//! theme, so every site starts with them.
//!
//! A site's own file in `content/` (same name, same format) extends its built-in file entry by
//! entry: an entry with a built-in id replaces that entry where it stands, an entry with a new
//! id comes after the built-in ones, and an `[off]` table switches built-in entries off. Each
//! replacement and switch-off is recorded in [`DefaultsUse`] for `policykb check`.

use super::glossary::{self, GLOSSARY_FILE};
use super::references::{self, REFERENCES_FILE};
use super::search::{self, SEARCH_FILE, SearchFile};
use super::topics::{self, TOPICS_FILE};
use super::{CONCERNS_FILE, parse_concerns, read_source};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, did_you_mean};
use crate::model::{Change, Concern, DefaultChange, DefaultsUse, Glossary, Reference, Topic};
use crate::search::SearchConfig;
use std::collections::BTreeMap;
use std::path::Path;

/// How diagnostics name the folder of the built-in files.
pub const BUILT_IN_DIR: &str = "<built-in defaults>";

const TOPICS: &str = include_str!("../../defaults/topics.toml");
const CONCERNS: &str = include_str!("../../defaults/concerns.toml");
const SEARCH: &str = include_str!("../../defaults/search.toml");
const REFERENCES: &str = include_str!("../../defaults/references.toml");
const GLOSSARY: &str = include_str!("../../defaults/glossary.toml");

/// `[off]` of a site file: list name → ids of the built-in entries to switch off.
type Off = BTreeMap<String, Vec<String>>;

/// The built-in knowledge with a site's own files merged in.
#[derive(Debug)]
pub struct Knowledge {
    /// The topics policies are compared by.
    pub topics: Vec<Topic>,
    /// The concerns reporting routes answer.
    pub concerns: Vec<Concern>,
    /// Synonyms, spelling variants, filler words and weights.
    pub search: SearchConfig,
    /// Superseded guidance to look for.
    pub references: Vec<Reference>,
    /// Abbreviations and their expansions.
    pub glossary: Glossary,
    /// What the site's files replaced or switched off.
    pub uses: DefaultsUse,
}

/// Reads the built-in files and the site's own, and merges them.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Knowledge {
    let mut merger = Merger { root, uses: DefaultsUse::default(), diagnostics };

    let (mut built_in_topics, _) = topics::parse_topics(&built_in(TOPICS_FILE, TOPICS), merger.diagnostics);
    for topic in &mut built_in_topics {
        topic.built_in = true;
    }
    let topics = merger.file(TOPICS_FILE, topics::parse_topics, built_in_topics, "topic", "topic", |t| &t.id);

    let (built_in_concerns, _) = parse_concerns(&built_in(CONCERNS_FILE, CONCERNS), merger.diagnostics);
    let concerns =
        merger.file(CONCERNS_FILE, parse_concerns, built_in_concerns, "concern", "concern", |c| &c.id);

    let built_in_references = references::parse(&built_in(REFERENCES_FILE, REFERENCES), merger.diagnostics);
    merger.uses.references_checked = built_in_references.checked.unwrap_or_default();
    let parse_references = |source: &SourceText, diagnostics: &mut Diagnostics| {
        let list = references::parse(source, diagnostics);
        (list.references, list.off)
    };
    let references = merger.file(
        REFERENCES_FILE,
        parse_references,
        built_in_references.references,
        "reference",
        "reference",
        |r| &r.id,
    );

    let (built_in_glossary, _) = glossary::parse(&built_in(GLOSSARY_FILE, GLOSSARY), merger.diagnostics);
    let parse_glossary = |source: &SourceText, diagnostics: &mut Diagnostics| {
        let (glossary, off) = glossary::parse(source, diagnostics);
        (glossary.abbreviations.into_iter().collect(), off)
    };
    let built_in_abbreviations = built_in_glossary.abbreviations.into_iter().collect();
    let abbreviations: Vec<(String, String)> = merger.file(
        GLOSSARY_FILE,
        parse_glossary,
        built_in_abbreviations,
        "abbreviations",
        "abbreviation",
        |(a, _)| a,
    );
    let glossary = Glossary { abbreviations: abbreviations.into_iter().collect() };

    let search = merger.search();
    Knowledge { topics, concerns, search, references, glossary, uses: merger.uses }
}

/// The built-in file `text` with the defaults of the site file `site_path`, named in
/// diagnostics as `<built-in defaults>/topics.toml` for `content/topics.toml`.
fn built_in(site_path: &str, text: &str) -> SourceText {
    let name = site_path.rsplit('/').next().unwrap_or(site_path);
    SourceText::new(Path::new(BUILT_IN_DIR).join(name), text.to_string())
}

/// A site file's entries of one list, to merge into the built-in list of the same name.
struct SiteList<'a, T> {
    source: &'a SourceText,
    entries: Vec<T>,
    /// The ids the site's `[off]` table lists for this list.
    off: &'a [String],
}

impl<'a, T> SiteList<'a, T> {
    /// The entries of the list `list`, with the ids `[off]` lists for it.
    fn of(source: &'a SourceText, entries: Vec<T>, off: &'a Off, list: &str) -> Self {
        SiteList { source, entries, off: off.get(list).map(Vec::as_slice).unwrap_or_default() }
    }
}

struct Merger<'a> {
    root: &'a Path,
    uses: DefaultsUse,
    diagnostics: &'a mut Diagnostics,
}

impl Merger<'_> {
    /// Reads the site file `path` with `parse`, if the site has one, and merges its entries of
    /// the list `list` into `built_in`.
    fn file<T>(
        &mut self,
        path: &str,
        parse: impl Fn(&SourceText, &mut Diagnostics) -> (Vec<T>, Off),
        built_in: Vec<T>,
        list: &'static str,
        kind: &'static str,
        id: impl Fn(&T) -> &str,
    ) -> Vec<T> {
        let Some(source) = read_source(self.root, Path::new(path), self.diagnostics, true) else {
            return built_in;
        };
        let (entries, off) = parse(&source, self.diagnostics);
        self.check_off_lists(&source, &off, &[list]);
        self.list(built_in, SiteList::of(&source, entries, &off, list), kind, id)
    }

    /// Merges a site's entries of one list into the built-in ones by `id`.
    fn list<T>(
        &mut self,
        built_in: Vec<T>,
        site: SiteList<'_, T>,
        kind: &'static str,
        id: impl Fn(&T) -> &str,
    ) -> Vec<T> {
        let off = site.off;
        for switched in off {
            let offset = off_offset(site.source, switched);
            if built_in.iter().any(|e| id(e) == switched) {
                self.record(site.source, offset, kind, switched, Change::SwitchedOff);
                continue;
            }
            let help = match did_you_mean(switched, built_in.iter().map(&id)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "`[off]` only switches off built-in entries; the site's own {kind}s can simply be deleted"
                ),
            };
            self.diagnostics.push(
                Diagnostic::warning(
                    site.source.path(),
                    format!("`{switched}` is not a built-in {kind}, so there is nothing to switch off"),
                )
                .at(site.source, offset.unwrap_or(0))
                .with_help(help),
            );
        }
        // Built-in entries keep their place (and so their order on the pages); new ones follow.
        let mut merged: Vec<(T, bool)> =
            built_in.into_iter().filter(|e| !off.iter().any(|o| o == id(e))).map(|e| (e, true)).collect();
        for entry in site.entries {
            let key = id(&entry).to_string();
            match merged.iter().position(|(e, from_built_in)| *from_built_in && id(e) == key) {
                Some(i) => {
                    self.record(site.source, entry_offset(site.source, &key), kind, &key, Change::Replaced);
                    merged[i] = (entry, false);
                }
                None => merged.push((entry, false)),
            }
        }
        merged.into_iter().map(|(e, _)| e).collect()
    }

    /// The search vocabulary: word lists merged by entry, settings replaced one by one.
    fn search(&mut self) -> SearchConfig {
        let built_in = search::parse(&built_in(SEARCH_FILE, SEARCH), self.diagnostics).unwrap_or_default();
        let defaults = SearchConfig::default();
        let mut config = SearchConfig {
            synonyms: built_in.synonyms,
            variants: built_in.variants,
            filler: built_in.filler,
            synonym_weight: built_in.synonym_weight.unwrap_or(defaults.synonym_weight),
            typo_weight: built_in.typo_weight.unwrap_or(defaults.typo_weight),
            prefix_weight: built_in.prefix_weight.unwrap_or(defaults.prefix_weight),
            school_decay: built_in.school_decay.unwrap_or(defaults.school_decay),
            lexicon: built_in.lexicon,
            lexicon_weight: built_in.lexicon_weight.unwrap_or(defaults.lexicon_weight),
            topic_words: built_in.topic_words,
            intents: built_in.intents,
            routing: built_in.routing.unwrap_or(defaults.routing),
            min_relative_score: built_in.min_relative_score.unwrap_or(defaults.min_relative_score),
        };
        let Some(source) = read_source(self.root, Path::new(SEARCH_FILE), self.diagnostics, true) else {
            return config;
        };
        let Some(file) = search::parse(&source, self.diagnostics) else {
            return config;
        };
        let SearchFile {
            synonyms,
            variants,
            filler,
            synonym_weight,
            typo_weight,
            prefix_weight,
            school_decay,
            lexicon,
            lexicon_weight,
            topic_words,
            intents,
            routing,
            min_relative_score,
            off,
        } = file;
        self.check_off_lists(
            &source,
            &off,
            &["synonyms", "variants", "filler", "lexicon", "topic_words", "intents"],
        );
        let synonyms = SiteList::of(&source, synonyms, &off, "synonyms");
        config.synonyms = self.list(config.synonyms, synonyms, "synonym group", |g| head_word(g));
        let variants = SiteList::of(&source, variants, &off, "variants");
        config.variants = self.list(config.variants, variants, "spelling-variant group", |g| head_word(g));
        let filler = SiteList::of(&source, filler, &off, "filler");
        config.filler = self.list(config.filler, filler, "filler word", String::as_str);
        // Keyed lists merge by key: the site's entry for a key replaces the built-in one.
        let mut keyed = |built_in: BTreeMap<String, Vec<String>>,
                         site: BTreeMap<String, Vec<String>>,
                         list: &str,
                         kind: &'static str| {
            let site = SiteList::of(&source, site.into_iter().collect(), &off, list);
            let merged = self.list(built_in.into_iter().collect(), site, kind, |(key, _)| key.as_str());
            merged.into_iter().collect::<BTreeMap<_, _>>()
        };
        config.lexicon = keyed(config.lexicon, lexicon, "lexicon", "lexicon word");
        config.topic_words = keyed(config.topic_words, topic_words, "topic_words", "topic's words");
        let intents = SiteList::of(&source, intents, &off, "intents");
        config.intents = self.list(config.intents, intents, "intent", |i| i.name.as_str());
        let settings = [
            ("synonym_weight", synonym_weight, &mut config.synonym_weight),
            ("typo_weight", typo_weight, &mut config.typo_weight),
            ("prefix_weight", prefix_weight, &mut config.prefix_weight),
            ("school_decay", school_decay, &mut config.school_decay),
            ("lexicon_weight", lexicon_weight, &mut config.lexicon_weight),
            ("min_relative_score", min_relative_score, &mut config.min_relative_score),
        ];
        for (name, site_value, value) in settings {
            if let Some(site_value) = site_value {
                let offset = source.text.find(&format!("{name} ="));
                self.record(&source, offset, "search setting", name, Change::Replaced);
                *value = site_value;
            }
        }
        if let Some(routing) = routing {
            let offset = source.text.find("[routing]");
            self.record(&source, offset, "search setting", "routing", Change::Replaced);
            config.routing = routing;
        }
        config
    }

    /// Reports `[off]` lists that are not lists of this file (a typo would switch nothing off).
    fn check_off_lists(&mut self, source: &SourceText, off: &Off, lists: &[&str]) {
        for name in off.keys().filter(|name| !lists.contains(&name.as_str())) {
            let offset = off_section(source)
                .and_then(|start| source.text[start..].find(name.as_str()).map(|at| start + at));
            let help = match did_you_mean(name, lists.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("this file's lists are: {}", lists.join(", ")),
            };
            self.diagnostics.push(
                Diagnostic::error(
                    source.path(),
                    format!("`[off]` names `{name}`, which is not a list of this file"),
                )
                .at(source, offset.unwrap_or(0))
                .with_help(help),
            );
        }
    }

    fn record(
        &mut self,
        source: &SourceText,
        offset: Option<usize>,
        kind: &'static str,
        id: &str,
        change: Change,
    ) {
        self.uses.changes.push(DefaultChange {
            file: source.path().to_path_buf(),
            line: offset.map_or(0, |offset| source.line_col(offset).0),
            kind,
            id: id.to_string(),
            change,
        });
    }
}

/// A synonym or spelling-variant group is named by its first word.
fn head_word(group: &[String]) -> &str {
    group.first().map_or("", String::as_str)
}

/// Where an entry with this id is written in a site file, for pointing at it.
fn entry_offset(source: &SourceText, id: &str) -> Option<usize> {
    let text = &source.text;
    text.find(&format!("id = \"{id}\""))
        .or_else(|| text.find(&format!("[\"{id}\"")))
        .or_else(|| text.find(&format!("\n{id} =")).map(|at| at + 1))
        .or_else(|| text.find(&format!("\"{id}\"")))
}

/// Where an id is written in the site file's `[off]` table.
fn off_offset(source: &SourceText, id: &str) -> Option<usize> {
    let start = off_section(source)?;
    source.text[start..].find(&format!("\"{id}\"")).map(|at| start + at)
}

/// Offset of the `[off]` header line.
fn off_section(source: &SourceText) -> Option<usize> {
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        if line.trim() == "[off]" {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses every built-in file as a site file would be, so a mistake in them is caught here
    /// rather than shown to every site.
    #[test]
    fn the_built_in_files_parse_without_a_diagnostic() {
        let mut diagnostics = Diagnostics::default();
        let dir = tempfile::tempdir().expect("a temp dir");
        let knowledge = load(dir.path(), &mut diagnostics);
        let problems: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(knowledge.topics.len() >= 30 && knowledge.topics.iter().all(|t| t.built_in));
        assert!(!knowledge.concerns.is_empty() && !knowledge.search.synonyms.is_empty());
        assert!(knowledge.glossary.abbreviations.contains_key("DSL"));
        assert!(knowledge.uses.changes.is_empty());
    }

    /// A mistake in a built-in file is reported against `<built-in defaults>/<file>`, with its
    /// line, by the parser a site's file goes through.
    #[test]
    fn a_broken_built_in_file_is_named_as_such() {
        let mut diagnostics = Diagnostics::default();
        let source = built_in(TOPICS_FILE, "[[topic]]\nid = 1\n");
        let (topics, _) = topics::parse_topics(&source, &mut diagnostics);
        assert!(topics.is_empty());
        let locations: Vec<String> = diagnostics.iter().map(|d| d.location()).collect();
        assert_eq!(locations, ["<built-in defaults>/topics.toml:2:6"]);
    }

    /// Every built-in reference says when it was checked and what replaces it, and the list
    /// carries the date `policykb check` prints.
    #[test]
    fn every_built_in_reference_carries_its_provenance() {
        let list = references::parse(&built_in(REFERENCES_FILE, REFERENCES), &mut Diagnostics::default());
        assert!(list.checked.is_some_and(|d| d.starts_with("20")));
        assert!(list.references.len() >= 10);
        for reference in &list.references {
            assert!(reference.checked.is_some(), "{} has no `checked` date", reference.id);
            assert!(
                reference.source.as_ref().is_some_and(|s| !s.is_empty()),
                "{} has no source",
                reference.id
            );
        }
    }
}
