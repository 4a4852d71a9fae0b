//! Properties, with proptest: for arbitrary input, the parsers of content — front matter,
//! dates, route blocks, `{#id}` pins, the Markdown-to-clause pass — and the importer never
//! panic, do work in proportion to their input (counted in what they produce, not in time),
//! and either succeed or say where the problem is (a line of the file).
//!
//! Inputs are drawn from alphabets rich in the characters each parser reacts to (`+++`, `{#`,
//! `=`, quotes, brackets, multibyte letters, CR), so the cases reach the interesting paths.
//! Each property runs a bounded number of cases, so the module runs in seconds.

use policykb::diagnostics::Diagnostics;
use policykb::import::emit::analyse;
use policykb::import::{ImportOptions, import_bytes};
use policykb::model::{Concern, Policy};
use proptest::prelude::*;
use std::path::Path;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text made of pieces that mean something to the parsers, joined at random.
fn text_of(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..max).prop_map(|parts| parts.concat())
}

const FRONT_MATTER_PIECES: &[&str] = &[
    "+++",
    "\n",
    "\r\n",
    "\r",
    "school",
    "title",
    "source",
    "written",
    "reviewed",
    " = ",
    "=",
    "\"",
    "'",
    "\"\"\"",
    "[",
    "]",
    ",",
    "Spring 2024",
    "é€",
    "\u{feff}",
    "#",
    "{#x}",
    "\\",
    "\t",
    " ",
    "a",
    "1.1",
    "[[x]]",
    "{",
    "}",
];

const BODY_PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    "## ",
    "# ",
    "1.1 ",
    "2.3.13. ",
    "- ",
    "  - ",
    "1. ",
    "{#",
    "{#a}",
    "{#1.1}",
    "{#pkb-x}",
    "\\{#b}",
    "&#123;#c}",
    "`{#d}`",
    "}",
    "text",
    " ",
    "Staff must",
    ":",
    "::: cover\n",
    ":::\n",
    "::: note\n",
    "| a | b |\n| --- | --- |\n",
    "**",
    "*",
    "[link](javascript:x)",
    "<b>",
    "é€",
    "Appendix 1 ",
    "Section 2 ",
    "```route\n",
    "```\n",
    "\\",
    "&amp;",
];

/// A policy file: well-formed front matter, then an arbitrary body.
fn policy_file() -> impl Strategy<Value = String> {
    text_of(BODY_PIECES, 60).prop_map(|body| {
        format!("+++\nschool = \"A School\"\ntitle = \"Policy\"\nsource = \"a.txt\"\n+++\n\n{body}")
    })
}

/// Every diagnostic names a line of the file (or the whole file, line 0) and a column on it.
fn assert_located(text: &str, diagnostics: &Diagnostics) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count();
    for d in diagnostics.iter() {
        prop_assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
        prop_assert!(d.line > 0 || d.column == 0, "a column without a line: {d}");
    }
    Ok(())
}

/// What the clause pass produced is in proportion to the file: no more sections and clauses
/// than lines, and no more clause text than the file holds.
fn assert_proportionate(text: &str, policy: &Policy) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count();
    prop_assert!(policy.sections.len() + policy.clauses.len() <= 2 * lines + 2);
    let clause_text: usize = policy.clauses.iter().map(|c| c.text.len()).sum();
    prop_assert!(
        clause_text <= 2 * text.len() + 16,
        "{clause_text} bytes of clause text from {}",
        text.len()
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn front_matter_never_panics_and_errors_name_a_line(text in text_of(FRONT_MATTER_PIECES, 80)) {
        let file = format!("{text}\n\nSome text.\n");
        let (policy, diagnostics) = analyse(&file);
        assert_located(&file, &diagnostics)?;
        prop_assert!(policy.is_some() || diagnostics.has_errors(), "no policy and no error");
    }

    #[test]
    fn the_clause_pass_never_panics_and_stays_in_proportion(file in policy_file()) {
        let (policy, diagnostics) = analyse(&file);
        assert_located(&file, &diagnostics)?;
        match policy {
            Some(policy) => assert_proportionate(&file, &policy)?,
            None => prop_assert!(diagnostics.has_errors()),
        }
    }

    #[test]
    fn a_pin_is_taken_only_as_written(id in "[a-z][a-z0-9-]{0,8}", words in "[A-Za-z ]{1,30}") {
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(!words.is_empty());
        let front = "+++\nschool = \"A\"\ntitle = \"P\"\nsource = \"a.txt\"\n+++\n\n";
        // Written: the clause takes the id and the pin leaves its text.
        let (policy, _) = analyse(&format!("{front}{words} {{#{id}}}\n"));
        let clause = &policy.expect("loads").clauses[0];
        prop_assert_eq!(&clause.id, &id);
        prop_assert_eq!(&clause.text, &words);
        // Escaped, or in code: text, and the clause keeps its generated id.
        for escaped in [format!("\\{{#{id}}}"), format!("&#123;#{id}}}"), format!("`{{#{id}}}`")] {
            let (policy, _) = analyse(&format!("{front}{words} {escaped}\n"));
            let clause = &policy.expect("loads").clauses[0];
            prop_assert_eq!(clause.id.as_str(), "preamble-1", "{}", escaped);
            prop_assert_eq!(clause.text.clone(), format!("{words} {{#{id}}}"));
        }
    }

    #[test]
    fn dates_and_cycles_never_panic(text in text_of(&[
        "Spring", "Summer", "Autumn", "term", " ", "2024", "24", "-", "/", "12", "31", "0", "99999999999",
        "4000000000", "every 4000000000 years", "every 0 months",
        "March", "Sept", "é", "€", "annual", "every", "two", "years", "months", "rolling", "programme",
        "\u{0}", "TBC", ".", "1st", "2016-17", "2021-07-14",
    ], 12)) {
        if let Ok(period) = policykb::dates::parse_period(&text) {
            prop_assert!(period.start <= period.end, "{period:?}");
            prop_assert_eq!(&period.text, &text);
        }
        let _ = policykb::dates::parse_cycle(&text);
    }

    #[test]
    fn every_documented_date_form_reads(year in 1990i16..2100, month in 1i8..=12, day in 1i8..=28,
                                        season in prop::sample::select(&["Spring", "Summer", "Autumn"][..])) {
        for text in [
            format!("{season} {year}"),
            format!("{season} term {year}"),
            format!("{day} March {year}"),
            format!("{day:02}/{month:02}/{year}"),
            format!("{year}-{month:02}"),
            format!("{year}-{month:02}-{day:02}"),
            format!("{year}"),
        ] {
            prop_assert!(policykb::dates::parse_period(&text).is_ok(), "{text}");
        }
    }

    #[test]
    fn route_blocks_never_panic_and_errors_name_a_line(block in text_of(&[
        "concern = \"c\"\n", "concern = \"nope\"\n", "title = \"T\"\n", "[[steps]]\n", "id = \"a\"\n",
        "id = \"b\"\n", "text = \"Tell the DSL\"\n", "kind = \"decision\"\n", "kind = \"bogus\"\n",
        "cites = [\"1.1\"]\n", "cites = [\"9.9\"]\n", "then = \"b\"\n", "then = \"zz\"\n", "end = true\n",
        "[[steps.branches]]\n", "label = \"yes\"\n", "to = \"a\"\n", "general = true\n", "\"", "=", "\n",
        "é€", "```", "~~~", "   ",
    ], 30)) {
        let file = format!(
            "+++\nschool = \"A\"\ntitle = \"P\"\nsource = \"a.txt\"\n+++\n\n1.1 Staff tell the DSL.\n\n```route\n{block}\n```\n"
        );
        let (policy, mut diagnostics) = analyse(&file);
        let mut policy = policy.expect("the front matter is well formed");
        let concerns = [Concern { id: "c".into(), title: "A concern".into(), summary: None }];
        policykb::analyse::routes::analyse(&mut policy, &concerns, &mut diagnostics);
        assert_located(&file, &diagnostics)?;
        prop_assert!(policy.routes.len() <= 1);
        let steps: usize = policy.routes.iter().map(|r| r.steps.len()).sum();
        prop_assert!(steps <= block.lines().count());
    }
}

const DOCUMENT_WORDS: &[&str] = &[
    "Staff",
    "must",
    "not",
    "friend",
    "pupils",
    "online",
    "Policy",
    "School",
    "Primary",
    "Introduction",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "  ",
    "1.",
    "1.1",
    "2.3.4",
    "a)",
    "(b)",
    "-",
    "•",
    "·",
    "o",
    ">",
    "#",
    "*",
    "**",
    "_",
    "`",
    "[",
    "]",
    "<b>",
    "&amp;",
    "&nbsp;",
    "{#x}",
    "{#",
    "}",
    "\\",
    "+++",
    ":::",
    "|",
    "Written:",
    "Spring 2024",
    "Reviewed:",
    "Next review:",
    "July 2022",
    "Signed",
    "Date:",
    "Contents",
    "é",
    "€",
    "“",
    "”",
    "\u{a0}",
    "\u{c}",
    ":",
    ";",
    ".",
];

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn import_writes_what_a_build_accepts_with_every_word_kept(words in prop::collection::vec(prop::sample::select(DOCUMENT_WORDS), 1..120)) {
        let text = words.join(" ");
        let Ok(imported) = import_bytes(Path::new("random.txt"), text.as_bytes(), &ImportOptions::default()) else {
            // Refused (no text at all): nothing to check.
            return Ok(());
        };
        prop_assert!(imported.errors.is_empty(), "{:?}\n{}", imported.errors, imported.markdown);
        prop_assert!(imported.markdown.len() <= 3 * text.len() + 1024, "{} bytes from {}", imported.markdown.len(), text.len());
        // Every word of letters, and every `{#`, is in the text the build shows (page numbers
        // and bullet glyphs are the only things import removes; a pin would be taken away).
        let (policy, _) = analyse(&imported.markdown);
        let policy = policy.expect("loads");
        let shown: String = policy
            .segments
            .iter()
            .flat_map(|s| &s.events)
            .filter_map(|(event, _)| match event {
                pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 2) {
            prop_assert!(shown.contains(word), "`{word}` lost:\n{}", imported.markdown);
        }
        prop_assert!(shown.matches("{#").count() >= text.matches("{#").count(), "a `{{#` lost:\n{}", imported.markdown);
    }

    #[test]
    fn import_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for name in ["random.txt", "random.docx"] {
            if let Ok(imported) = import_bytes(Path::new(name), &bytes, &ImportOptions::default()) {
                prop_assert!(imported.errors.is_empty(), "{:?}", imported.errors);
            }
        }
    }
}
