//! Annotations: things found in running text that become markup — references to other
//! clauses, bare web and mail addresses, abbreviations.
//!
//! Each annotator finds [`Annotation`]s in a text node (HTML-escaped, as the renderer wrote
//! it); [`apply`] merges them, earlier and longer first, and never nests one in another.

use crate::model::Policy;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// A piece of markup to wrap around `range` of a text node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Byte range of the text node to wrap.
    pub range: std::ops::Range<usize>,
    /// Markup written before it (`<abbr title="...">`).
    pub open: String,
    /// Markup written after it (`</abbr>`).
    pub close: String,
    /// A note on the words (HTML), shown after the clause with a marker in the text, so that it
    /// does not break the sentence.
    pub note: Option<String>,
}

impl Annotation {
    /// Markup around `range`, with no note.
    pub fn wrap(range: std::ops::Range<usize>, open: String, close: impl Into<String>) -> Self {
        Annotation { range, open, close: close.into(), note: None }
    }
}

/// Where a text node stands on its page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place<'a> {
    /// The id of the heading the text is in, if it is in one.
    pub heading: Option<&'a str>,
}

/// Something that finds annotations in text.
pub trait Annotator {
    /// Adds the annotations found in `text`, a text node at `place`, to `out`.
    fn annotate(&self, text: &str, place: Place<'_>, out: &mut Vec<Annotation>);
}

/// A note written where its words are, for text that is in no clause: nothing to put it after.
pub fn inline_note(note: &str) -> String {
    format!("<span class=\"note-inline\">{note}</span>")
}

/// Wraps the annotations around their text. One that lies inside another is nested in it (a
/// superseded name inside a link); one that overlaps another partly, or would put a link inside
/// a link, loses to the one that starts first (or, starting together, the longer).
///
/// Each applied annotation's note goes to `place_note`, which returns what to write in the
/// text in its place (a marker linking to the note, or [`inline_note`]); that is written after
/// the annotation, or after the link it is in, since a marker may be a link itself.
pub fn apply(
    text: &str,
    mut annotations: Vec<Annotation>,
    place_note: &mut dyn FnMut(&str) -> String,
) -> String {
    annotations.retain(|a| a.range.end <= text.len() && a.range.start < a.range.end);
    annotations.sort_by_key(|a| (a.range.start, std::cmp::Reverse(a.range.end)));
    let is_link = |a: &Annotation| a.open.starts_with("<a ");
    let mut out = String::with_capacity(text.len() + annotations.len() * 40);
    let mut open: Vec<Annotation> = Vec::new();
    let mut markers = String::new();
    let mut at = 0;
    let mut close_until = |limit: usize, open: &mut Vec<Annotation>, out: &mut String, at: &mut usize| {
        while let Some(last) = open.pop_if(|o| o.range.end <= limit) {
            out.push_str(&text[*at..last.range.end]);
            out.push_str(&last.close);
            *at = last.range.end;
            if let Some(note) = &last.note {
                markers.push_str(&place_note(note));
            }
            if !open.iter().any(is_link) {
                out.push_str(&std::mem::take(&mut markers));
            }
        }
    };
    for a in annotations {
        close_until(a.range.start, &mut open, &mut out, &mut at);
        let fits = open.last().is_none_or(|o| a.range.end <= o.range.end && !(is_link(o) && is_link(&a)));
        if a.range.start < at || !fits || (is_link(&a) && open.iter().any(is_link)) {
            continue;
        }
        out.push_str(&text[at..a.range.start]);
        out.push_str(&a.open);
        at = a.range.start;
        open.push(a);
    }
    close_until(usize::MAX, &mut open, &mut out, &mut at);
    out.push_str(&text[at..]);
    out
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(paragraphs?|paras?\.?|clauses?|sections?|appendix)\s+(\d{1,3}(?:\.\d{1,3})*|[A-Z]\b)")
        .unwrap()
});
/// "section 29 of the Counter-Terrorism Act" is another document's section.
static OF_ANOTHER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s+of\s+(?:the\s+)?[A-Z]").unwrap());

/// Links "paragraph 1.2.1", "Section 3", "Appendix 1" to the clause or heading they name, in
/// the same policy, when it exists.
pub struct References {
    clause_ids: HashSet<String>,
    section_ids: HashSet<String>,
}

impl References {
    /// Finds references to the clauses and headings of `policy`.
    pub fn new(policy: &Policy) -> Self {
        References {
            clause_ids: policy.clauses.iter().map(|c| c.id.clone()).collect(),
            section_ids: policy.sections.iter().map(|s| s.id.clone()).collect(),
        }
    }

    fn target(&self, keyword: &str, number: &str) -> Option<String> {
        let keyword = keyword.to_lowercase();
        let section = format!("section-{number}");
        if keyword.starts_with("appendix") {
            let id = format!("appendix-{}", number.to_lowercase());
            return self.section_ids.contains(&id).then_some(id);
        }
        let clause = self.clause_ids.contains(number).then(|| number.to_string());
        let heading = self.section_ids.contains(&section).then_some(section);
        if keyword.starts_with("section") { heading.or(clause) } else { clause.or(heading) }
    }
}

impl Annotator for References {
    fn annotate(&self, text: &str, place: Place<'_>, out: &mut Vec<Annotation>) {
        for c in REFERENCE.captures_iter(text) {
            let whole = c.get(0).expect("match");
            if OF_ANOTHER.is_match(&text[whole.end()..]) {
                continue;
            }
            // A heading's own number ("Section 1 Overview") is not a reference to itself.
            if let Some(id) = self.target(&c[1], &c[2]).filter(|id| place.heading != Some(id.as_str())) {
                out.push(Annotation::wrap(
                    whole.range(),
                    format!("<a class=\"xref\" href=\"#{id}\">"),
                    "</a>",
                ));
            }
        }
    }
}

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"]+|\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b"#)
        .unwrap()
});

/// Links bare web and e-mail addresses that the source text writes out.
pub struct Addresses;

impl Annotator for Addresses {
    fn annotate(&self, text: &str, _place: Place<'_>, out: &mut Vec<Annotation>) {
        for m in ADDRESS.find_iter(text) {
            let mut found = m.as_str();
            // Sentence punctuation after an address is not part of it.
            while let Some(last) = found.chars().last() {
                let unbalanced_paren = last == ')' && found.matches('(').count() < found.matches(')').count();
                if ".,;:!?'’”".contains(last) || unbalanced_paren || found.ends_with("&quot;") {
                    found = found.strip_suffix("&quot;").unwrap_or(&found[..found.len() - last.len_utf8()]);
                } else {
                    break;
                }
            }
            let href = if found.contains('@') && !found.contains("://") {
                format!("mailto:{found}")
            } else if found.to_lowercase().starts_with("www.") {
                format!("http://{found}")
            } else {
                found.to_string()
            };
            // Markup added here is not seen by the rewriter's link handler: mark it fully now.
            let rel = if super::is_external(&href) { " rel=\"noopener\"" } else { "" };
            out.push(Annotation::wrap(
                m.start()..m.start() + found.len(),
                format!("<a href=\"{href}\"{rel}>"),
                "</a>",
            ));
        }
    }
}

/// Marks abbreviations from the glossary as `<abbr title="...">`.
pub struct Abbreviations {
    pattern: Option<Regex>,
    expansions: BTreeMap<String, String>,
}

impl Abbreviations {
    /// Marks the glossary's abbreviations: each abbreviation (`CEOP`) with its expansion.
    pub fn new(expansions: &BTreeMap<String, String>) -> Self {
        let mut words: Vec<&String> = expansions.keys().collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let alternatives: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        let pattern = (!alternatives.is_empty())
            .then(|| Regex::new(&format!(r"\b(?:{})\b", alternatives.join("|"))).expect("escaped words"));
        Abbreviations { pattern, expansions: expansions.clone() }
    }
}

impl Annotator for Abbreviations {
    fn annotate(&self, text: &str, _place: Place<'_>, out: &mut Vec<Annotation>) {
        let Some(pattern) = &self.pattern else { return };
        for m in pattern.find_iter(text) {
            let Some(expansion) = self.expansions.get(m.as_str()) else {
                continue;
            };
            out.push(Annotation::wrap(
                m.range(),
                format!("<abbr title=\"{}\">", crate::render::markdown::attr(expansion)),
                "</abbr>",
            ));
        }
    }
}

/// Marks citations of superseded guidance, with what replaced it.
pub struct StaleReferences<'a> {
    /// The superseded documents to look for.
    pub references: &'a [crate::model::Reference],
}

impl Annotator for StaleReferences<'_> {
    fn annotate(&self, text: &str, _place: Place<'_>, out: &mut Vec<Annotation>) {
        for reference in self.references {
            for range in reference.find(text) {
                let current = if reference.since == "—" {
                    "Current".to_string()
                } else {
                    format!("Current since {}", reference.since)
                };
                let note = format!(
                    "<span class=\"stale-note\"><q>{}</q> is superseded. {current}: {}</span>",
                    &text[range.clone()],
                    crate::render::markdown::attr(&reference.replacement)
                );
                out.push(Annotation {
                    range,
                    open: "<span class=\"stale\">".into(),
                    close: "</span>".into(),
                    note: Some(note),
                });
            }
        }
    }
}

static REVIEW_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:next\s+review(?:\s+due)?(?:\s+by)?|to\s+be\s+reviewed(?:\s+by)?|review\s+due(?:\s+by)?|due\s+for\s+review)\s*[:\-–]?\s*(?P<date>(?:autumn|spring|summer|winter)(?:\s+term)?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}(?:-\d{2})?)",
    )
    .unwrap()
});

/// Highlights review dates in the text ("Next review due: February 2024") that have passed.
pub struct PassedReviewDates {
    /// The day review dates are judged against.
    pub today: jiff::civil::Date,
}

impl Annotator for PassedReviewDates {
    fn annotate(&self, text: &str, _place: Place<'_>, out: &mut Vec<Annotation>) {
        for c in REVIEW_STATEMENT.captures_iter(text) {
            let Some(date) = c.name("date") else { continue };
            let Ok(period) = crate::dates::parse_period(date.as_str()) else { continue };
            if period.end < self.today {
                out.push(Annotation::wrap(
                    date.range(),
                    format!("<mark class=\"date-passed\" data-due=\"{}\">", period.end),
                    "</mark><span class=\"date-passed-note\">(passed)</span>",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(annotator: &dyn Annotator, text: &str) -> String {
        let mut found = Vec::new();
        annotator.annotate(text, Place::default(), &mut found);
        apply(text, found, &mut |note| inline_note(note))
    }

    #[test]
    fn addresses_leave_trailing_punctuation_outside() {
        assert_eq!(
            run(&Addresses, "See www.example.org/a_b. Or http://x.uk/(y)), mail abuse@facebook.com."),
            "See <a href=\"http://www.example.org/a_b\" rel=\"noopener\">www.example.org/a_b</a>. Or <a href=\"http://x.uk/(y)\" rel=\"noopener\">http://x.uk/(y)</a>), mail <a href=\"mailto:abuse@facebook.com\">abuse@facebook.com</a>."
        );
    }

    #[test]
    fn abbreviations_match_whole_words_only() {
        let glossary = BTreeMap::from([
            ("DSL".to_string(), "Designated Safeguarding Lead".to_string()),
            ("DDSL".to_string(), "Deputy DSL".to_string()),
        ]);
        assert_eq!(
            run(&Abbreviations::new(&glossary), "Tell the DSL or DDSL, not DSLs."),
            "Tell the <abbr title=\"Designated Safeguarding Lead\">DSL</abbr> or <abbr title=\"Deputy DSL\">DDSL</abbr>, not DSLs."
        );
    }

    #[test]
    fn passed_review_dates_are_marked_and_others_are_not() {
        let today = jiff::civil::Date::new(2026, 11, 21).unwrap();
        let marker = PassedReviewDates { today };
        let out =
            run(&marker, "Next review due: February 2024. Reviewed: Spring 2020. Next review: Spring 2030.");
        assert_eq!(out.matches("date-passed\"").count(), 1, "{out}");
        assert!(out.contains(">February 2024</mark>"), "{out}");
        assert!(run(&marker, "Policy to be reviewed: June 2018").contains("data-due=\"2018-06-30\""));
    }

    #[test]
    fn a_note_goes_where_place_note_says_and_never_inside_a_link() {
        let noted = |r: std::ops::Range<usize>| Annotation {
            note: Some("N".into()),
            ..Annotation::wrap(r, "[".into(), "]")
        };
        let link = |r: std::ops::Range<usize>| Annotation::wrap(r, "<a href=x>".into(), "</a>");
        let mut notes = Vec::new();
        let mut marker = |note: &str| {
            notes.push(note.to_string());
            format!("<sup>{}</sup>", notes.len())
        };
        assert_eq!(apply("abc def", vec![noted(0..3)], &mut marker), "[abc]<sup>1</sup> def");
        assert_eq!(
            apply("abc def", vec![link(0..7), noted(4..7)], &mut marker),
            "<a href=x>abc [def]</a><sup>2</sup>"
        );
        assert_eq!(notes, ["N", "N"]);
    }

    #[test]
    fn overlapping_annotations_keep_the_first_and_contained_ones_nest() {
        let text = "abcdef";
        let a = |r: std::ops::Range<usize>| Annotation::wrap(r, "[".into(), "]");
        let inline = &mut |note: &str| inline_note(note);
        assert_eq!(apply(text, vec![a(2..4), a(0..3), a(4..6)], inline), "[abc]d[ef]");
        assert_eq!(apply(text, vec![a(1..3), a(0..6), a(3..5)], inline), "[a[bc][de]f]");
        let link = |r: std::ops::Range<usize>| Annotation::wrap(r, "<a href=x>".into(), "</a>");
        assert_eq!(
            apply(text, vec![link(0..6), link(1..3), a(0..6)], inline),
            "<a href=x>[abcdef]</a>",
            "no link in a link"
        );
    }
}
