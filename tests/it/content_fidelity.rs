//! Content fidelity: each `content/*.md` carries its seed document word for word.
//!
//! The seeds (`../shared/seeds/`, the plain text extracted from each school's document) are the
//! ground truth. Every sentence of a seed must be found in its content file, and every sentence
//! of a content file (outside editor's notes and generated reporting routes) must be found in
//! its seed. Both sides are normalised the same way: whitespace collapsed, bullet glyphs and
//! emphasis markers removed, Markdown syntax (heading #s, `:::` fences, `{#id}` pins, table
//! pipes, hard-break backslashes, `route` blocks) stripped.

use crate::common;

use common::{body, content_files, front_matter, read_to_string, seeds_dir};
use regex::Regex;
use std::collections::BTreeMap;

use common::fidelity::*;

/// Sentences of the content body (outside notes and routes) not found in the seed.
fn added_by_content(seed: &str, body: &str) -> Vec<String> {
    let seed_text = normalise(&seed.lines().map(normalise_fragment).collect::<Vec<_>>().join(" "));
    let mut out = Vec::new();
    for (line, text) in markdown_lines(body, Keep::SourceOnly) {
        for sentence in sentences(&text) {
            let sentence = normalise_fragment(sentence);
            if sentence.chars().count() >= MIN_FRAGMENT_CHARS && !seed_text.contains(&sentence) {
                out.push(format!("body line {line}: {sentence}"));
            }
        }
    }
    out
}

/// Content files with their `source` (the seed's file name).
fn sources() -> Vec<(String, String)> {
    content_files()
        .into_iter()
        .map(|(slug, path)| {
            let markdown = read_to_string(&path);
            let source = front_matter(&markdown)
                .get("source")
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("{} has no `source` field", path.display()))
                .to_string();
            (slug, source)
        })
        .collect()
}

fn seed_and_body(slug: &str) -> (String, String, String) {
    let path = common::repo_root().join("content").join(format!("{slug}.md"));
    let markdown = read_to_string(&path);
    let source = front_matter(&markdown)["source"].as_str().expect("source is a string").to_string();
    let seed_path = seeds_dir().join(&source);
    assert!(
        seed_path.is_file(),
        "content/{slug}.md names source = \"{source}\", but {} does not exist",
        seed_path.display()
    );
    (source, read_to_string(seed_path), body(&markdown).to_string())
}

#[test]
fn seeds_folder_is_present() {
    let dir = seeds_dir();
    assert!(
        dir.join("README.md").is_file(),
        "{} has no README.md mapping seed files to schools",
        dir.display()
    );
}

#[test]
fn every_seed_listed_in_the_readme_has_a_content_file() {
    let readme = read_to_string(seeds_dir().join("README.md"));
    let file_name = Regex::new(r"\b\d{3}_[0-9a-f]{16}\.txt\b").unwrap();
    let listed: Vec<&str> = file_name.find_iter(&readme).map(|m| m.as_str()).collect();
    assert!(listed.len() >= 5, "expected the seeds README to list the five seed files, found {listed:?}");
    let sources = sources();
    let missing: Vec<&&str> =
        listed.iter().filter(|seed| !sources.iter().any(|(_, source)| source == *seed)).collect();
    assert!(
        missing.is_empty(),
        "seed files listed in ../shared/seeds/README.md with no content/*.md naming them in `source`: {missing:?}"
    );
}

#[test]
fn every_content_file_names_an_existing_seed_exactly_once() {
    let mut by_source: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (slug, source) in sources() {
        assert!(
            seeds_dir().join(&source).is_file(),
            "content/{slug}.md names source = \"{source}\", which is not in ../shared/seeds/"
        );
        by_source.entry(source).or_default().push(slug);
    }
    let shared: Vec<_> = by_source.iter().filter(|(_, slugs)| slugs.len() > 1).collect();
    assert!(shared.is_empty(), "seeds transcribed by more than one content file: {shared:?}");
}

#[test]
fn every_content_file_contains_every_sentence_of_its_seed() {
    let files = content_files();
    assert!(files.len() >= 5, "expected the five policies in content/, found {files:?}");
    let mut report = String::new();
    for (slug, _) in files {
        let (source, seed, body) = seed_and_body(&slug);
        let missing = missing_from_content(&seed, &body);
        if !missing.is_empty() {
            report.push_str(&format!(
                "\ncontent/{slug}.md is missing {} sentence(s) of {source}:\n  {}\n",
                missing.len(),
                missing.join("\n  ")
            ));
        }
    }
    assert!(report.is_empty(), "{report}");
}

#[test]
fn content_adds_no_words_outside_notes_and_routes() {
    let mut report = String::new();
    for (slug, _) in content_files() {
        let (source, seed, body) = seed_and_body(&slug);
        let added = added_by_content(&seed, &body);
        if !added.is_empty() {
            report.push_str(&format!(
                "\ncontent/{slug}.md has {} sentence(s) not in {source} (words that are not the source's belong in a `::: note` block):\n  {}\n",
                added.len(),
                added.join("\n  ")
            ));
        }
    }
    assert!(report.is_empty(), "{report}");
}

// The comparison itself must be able to fail: these run it on small made-up texts.

#[test]
fn fidelity_check_reports_a_dropped_sentence() {
    let seed = "1.1 Staff must not befriend pupils. They must report it.\n• Keep records\n";
    let body = "## 1. Intro\n\n1.1 Staff must not befriend pupils.\n";
    assert_eq!(
        missing_from_content(seed, body),
        vec!["seed line 1: They must report it.".to_string(), "seed line 2: Keep records".to_string()]
    );
}

#[test]
fn fidelity_check_ignores_markdown_syntax_and_routes() {
    let seed = "Section 1 Scope\n· Report to the **DSL**.\no Keep records of abuse\nCell one\tCell two\nJoined\nline here.\n";
    let body = "## Section 1 Scope {#scope}\n\n- Report to the DSL.\n  - Keep records of abuse\n\n| Cell one | Cell two |\n| --- | --- |\n\nJoined line here. {#pinned}\n\n```route\ntitle = \"Invented words\"\n```\n";
    assert!(missing_from_content(seed, body).is_empty());
    assert!(added_by_content(seed, body).is_empty());
}

#[test]
fn fidelity_check_reports_added_words_but_not_notes() {
    let seed = "1.1 Staff must not befriend pupils.\n";
    let body =
        "1.1 Staff must not befriend pupils. Or parents.\n\n::: note\nThe source says nothing more.\n:::\n";
    assert_eq!(added_by_content(seed, body), vec!["body line 1: Or parents.".to_string()]);
}
