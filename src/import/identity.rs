//! Identity: the school's name and the policy's title, found before the lines are classified
//! (the cover is recognised by repeating them), and the subject a document without a title is
//! most about.

use super::ImportOptions;
use super::cues::{ends_sentence, is_date_line};
use super::lines::{Hint, Line};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Something found in the document, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What was found (`Holy Cross Catholic Primary School`).
    pub text: String,
    /// Index into the lines, when found in a line of its own.
    pub index: Option<usize>,
    /// Source line number (0 when given as an option).
    pub no: usize,
}

/// The school and title, found before the lines are classified (the cover is recognised by
/// repeating them).
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// The school's full name, if found or given.
    pub school: Option<Found>,
    /// The policy's title, if found or given.
    pub title: Option<Found>,
}

static SCHOOL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:school|academy|college)$").unwrap());
static SCHOOL_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b((?:[A-Z][\w'’&.-]*\s+(?:(?:of|and|the|de|upon|on|in)\s+)?){1,6}(?:[Ss]chool|Academy|College))\b",
    )
    .unwrap()
});
static TITLE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:polic(?:y|ies)|guidance|guidelines|procedures?|protocol|code of conduct|statement)\b",
    )
    .unwrap()
});
/// Lower-case words a school's name may hold.
const NAME_JOINERS: [&str; 8] = ["of", "and", "the", "de", "upon", "on", "in", "by"];
/// Words a name found in running text may start with that are not part of the name.
const NOT_NAME_START: [&str; 24] = [
    "at", "the", "in", "for", "to", "our", "all", "this", "that", "by", "of", "on", "with", "within",
    "across", "every", "each", "any", "your", "their", "whole", "other", "local", "a",
];

/// Finds the school's name and the policy's title (the options win).
pub fn find_identity(lines: &[Line], options: &ImportOptions) -> Identity {
    let limit = lines
        .iter()
        .position(|l| l.number.is_some() || l.is_numbered_or_section_heading() || l.hint == Hint::Heading(1))
        .unwrap_or(lines.len())
        .min(80);
    let head = &lines[..limit];
    let school = options
        .school
        .as_ref()
        .map(|s| Found { text: s.trim().to_string(), index: None, no: 0 })
        .or_else(|| school_line(head))
        .or_else(|| school_mention(lines));
    let title = options
        .title
        .as_ref()
        .map(|t| Found { text: t.trim().to_string(), index: None, no: 0 })
        .or_else(|| title_line(head, school.as_ref()));
    Identity { school, title }
}

fn school_line(head: &[Line]) -> Option<Found> {
    head.iter().enumerate().find_map(|(i, l)| {
        let text = l.plain.trim_end_matches(['.', ',']).trim();
        // A name: every word capitalised but small joining words ("C of E", "upon").
        let named = text.split_whitespace().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || !c.is_alphanumeric())
                || NAME_JOINERS.contains(&w)
        });
        let ok = l.glyph.is_none()
            && l.words() <= 12
            && l.words() >= 2
            && !text.contains(':')
            && named
            && SCHOOL_LINE.is_match(text)
            && !TITLE_WORDS.is_match(text);
        ok.then(|| Found { text: text.to_string(), index: Some(i), no: l.no })
    })
}

/// The school named most often in running text ("At Elthorne Park High school we expect …").
fn school_mention(lines: &[Line]) -> Option<Found> {
    let mut counts: HashMap<String, (usize, usize, String)> = HashMap::new();
    for l in lines {
        for m in SCHOOL_MENTION.find_iter(&l.plain) {
            let mut words: Vec<&str> = m.as_str().split_whitespace().collect();
            while words.len() > 1 && NOT_NAME_START.contains(&words[0].to_lowercase().as_str()) {
                words.remove(0);
            }
            if words.len() < 2 {
                continue;
            }
            let first = words[0].to_lowercase();
            if super::GENERIC_TAIL.contains(&first.as_str()) {
                continue;
            }
            let last = words.len() - 1;
            if words[last] == "school" {
                words[last] = "School";
            }
            let name = words.join(" ");
            let entry = counts.entry(name.to_lowercase()).or_insert((0, l.no, name));
            entry.0 += 1;
        }
    }
    counts.into_values().max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1))).map(|(_, no, text)| Found {
        text,
        index: None,
        no,
    })
}

fn title_line(head: &[Line], school: Option<&Found>) -> Option<Found> {
    if let Some((i, l)) = head.iter().enumerate().find(|(_, l)| l.hint == Hint::Title) {
        return Some(Found { text: l.plain.clone(), index: Some(i), no: l.no });
    }
    // Only the cover: lines before the first real paragraph.
    let end = head.iter().position(Line::is_running_text).unwrap_or(head.len());
    let school_text = school.map(|s| s.text.clone());
    let mut combined = None;
    for (i, l) in head[..end].iter().enumerate() {
        let text = l.plain.trim();
        let candidate = l.glyph.is_none()
            && l.words() <= 16
            && TITLE_WORDS.is_match(text)
            && !is_date_line(text)
            && !ends_sentence(text)
            && l.first_char().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !candidate {
            continue;
        }
        let school_at = school_text.as_ref().and_then(|school| {
            regex::RegexBuilder::new(&regex::escape(school)).case_insensitive(true).build().ok()?.find(text)
        });
        match school_at {
            Some(m) => {
                // "Holy Cross Catholic Primary School Social Media Policy": the rest is a title.
                let rest = format!("{} {}", &text[..m.start()], &text[m.end()..]);
                let rest = rest.trim().trim_start_matches(['-', '–', ':']).trim().to_string();
                if combined.is_none() && TITLE_WORDS.is_match(&rest) {
                    combined = Some(Found { text: rest, index: Some(i), no: l.no });
                }
            }
            None => return Some(Found { text: text.to_string(), index: Some(i), no: l.no }),
        }
    }
    combined
}

/// Common words that never make a subject.
const STOP_WORDS: [&str; 40] = [
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from", "as", "that",
    "this", "is", "are", "be", "will", "should", "must", "may", "can", "it", "their", "they", "them", "any",
    "all", "not", "have", "has", "if", "which", "who", "other", "such", "school",
];

/// What a document without a title is most about: its most frequent pair of words (seen at
/// least five times), as "Social media".
pub fn subject(lines: &[Line]) -> Option<String> {
    let mut counts: HashMap<(String, String), (usize, usize)> = HashMap::new();
    let mut order = 0;
    for l in lines {
        let words: Vec<String> = l
            .plain
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        for pair in words.windows(2) {
            if pair.iter().any(|w| w.len() < 3 || STOP_WORDS.contains(&w.as_str())) {
                continue;
            }
            order += 1;
            let entry = counts.entry((pair[0].clone(), pair[1].clone())).or_insert((0, order));
            entry.0 += 1;
        }
    }
    let ((first, second), _) = counts
        .into_iter()
        .filter(|(_, (n, _))| *n >= 5)
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))?;
    let mut chars = first.chars();
    let capital: String = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str())?;
    Some(format!("{capital} {second}"))
}
