//! Meta: the front matter — school, title, dates and review cycle — found in the document.
//!
//! Dates are read from labelled lines in every form the seed documents use ("Written: Spring
//! 2017", "Reviewed: Spring 2020", "Next Review: Spring 2024", "Approved by: LGB" then "Date:
//! July 2021", "Next review due by: July 2022", "Policy to be reviewed: June 2018", "Next review
//! due: February 2024") and from a lone date on the cover ("March 2021", taken as the date
//! written). Each is checked with [`parse_period`] and kept exactly as written; one that cannot
//! be read is left out and reported. The review cycle comes from a sentence about reviewing
//! the policy ("reviewed on an annual basis" → `annual`, "the rolling programme of Policy
//! reviews" → `rolling programme`), checked with [`parse_cycle`].

use super::classify::{Classified, Role};
use super::lines::{Hint, Line, ends_sentence};
use super::{ImportOptions, Note};
use crate::content::front_matter::PolicyMeta;
use crate::dates::{Precision, parse_cycle, parse_period};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Something found in the document, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
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
    pub school: Option<Found>,
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
        .position(|l| {
            l.number.is_some()
                || super::classify::is_numbered_or_section_heading(l)
                || l.hint == Hint::Heading(1)
        })
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
    let end = head.iter().position(is_real_paragraph).unwrap_or(head.len());
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
fn subject(lines: &[Line]) -> Option<String> {
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

/// A line of running text: eight words or more ending a sentence, or twenty words or more.
pub fn is_real_paragraph(l: &Line) -> bool {
    l.hint == Hint::Plain
        && l.glyph.is_none()
        && ((l.words() >= 8 && ends_sentence(&l.plain)) || l.words() >= 20)
        && !is_date_line(&l.plain)
}

// ---------------------------------------------------------------------------------------------
// Dates

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Written,
    Approved,
    ApprovedBy,
    Reviewed,
    NextReview,
    /// "Date:" — approved if it follows "Approved by", else written.
    Date,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Written | Field::Date => "written",
            Field::Approved => "approved",
            Field::ApprovedBy => "approved_by",
            Field::Reviewed => "reviewed",
            Field::NextReview => "next_review",
        }
    }
}

static LABELS: LazyLock<Vec<(Field, Regex)>> = LazyLock::new(|| {
    let tail = r"\s*(:)?\s*(.*)$";
    let make = |field, label: &str| (field, Regex::new(&format!(r"(?i)^(?:{label}){tail}")).unwrap());
    vec![
        make(
            Field::NextReview,
            r"next\s+review(?:\s+date)?(?:\s+due)?(?:\s+(?:by|on|in|date))?|review\s+due(?:\s+(?:by|on|in))?|due\s+for\s+review(?:\s+(?:by|on|in))?|date\s+of\s+next\s+review|(?:this\s+)?(?:policy\s+)?(?:is\s+)?to\s+be\s+reviewed(?:\s+(?:by|on|in))?|review\s+date|renewal\s+date",
        ),
        make(
            Field::Reviewed,
            r"(?:last\s+)?reviewed(?:\s+(?:on|in))?|date\s+(?:last\s+)?reviewed|last\s+review(?:\s+date)?",
        ),
        make(Field::ApprovedBy, r"(?:approved|ratified|adopted|agreed)\s+by"),
        make(
            Field::Approved,
            r"(?:date\s+)?(?:approved|ratified|adopted|agreed)(?:\s+(?:on|in))?|approval\s+date",
        ),
        make(
            Field::Written,
            r"written|date\s+written|created|date\s+created|drafted|date\s+issued|issue\s+date|policy\s+date|date\s+of\s+policy|effective\s+date|effective\s+from",
        ),
        make(Field::Date, r"date"),
    ]
});
/// Where a second label starts inside one line ("Approved by: LGB / Date: July 2021").
static SECOND_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:/\s*|\|\s*)?(?:date|written|approved|reviewed|next\s+review|review\s+date)\s*:")
        .unwrap()
});

/// One labelled date: which field, the value as written, and whether a colon followed the label.
fn labelled(segment: &str) -> Option<(Field, String, bool)> {
    if segment.split_whitespace().count() > 12 {
        return None;
    }
    LABELS.iter().find_map(|(field, re)| {
        let c = re.captures(segment.trim())?;
        let colon = c.get(1).is_some();
        let value = c.get(2).map_or("", |m| m.as_str()).trim().trim_start_matches(['-', '–']).trim();
        Some((*field, value.to_string(), colon))
    })
}

/// The labelled dates of a line, in order.
fn date_fields(plain: &str) -> Vec<(Field, String)> {
    // Cut before a second label only where the text before it is a labelled value itself
    // ("Approved by: LGB / Date: July 2021", not "Policy to be reviewed: June 2018").
    let mut cuts = vec![0];
    for m in SECOND_LABEL.find_iter(plain).filter(|m| m.start() > 0) {
        let before =
            plain[*cuts.last().unwrap_or(&0)..m.start()].trim().trim_start_matches(['/', '|']).trim();
        if labelled(before).is_some_and(|(_, value, colon)| colon && !value.is_empty()) {
            cuts.push(m.start());
        }
    }
    cuts.push(plain.len());
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let segment = plain[w[0]..w[1]].trim().trim_start_matches(['/', '|']).trim();
        if let Some((field, value, colon)) = labelled(segment) {
            let readable = extract_date(&value).is_some();
            if colon || readable {
                out.push((field, value));
            }
        }
    }
    out
}

/// Whether a line is a labelled date ("Next review due: February 2024", "Approved by: LGB").
pub fn is_date_line(plain: &str) -> bool {
    !date_fields(plain).is_empty()
}

/// The date at the start of `value`, as written: the longest run of up to five words that
/// [`parse_period`] reads ("July 2022", "Spring term 2024", "12/03/2021").
fn extract_date(value: &str) -> Option<String> {
    let words: Vec<&str> = value.split_whitespace().collect();
    for len in (1..=words.len().min(5)).rev() {
        let candidate = words[..len].join(" ");
        let candidate = candidate.trim_end_matches(['.', ',', ';', ')']).trim();
        if !candidate.is_empty() && parse_period(candidate).is_ok() {
            return Some(candidate.to_string());
        }
    }
    None
}

#[derive(Default)]
struct Dates {
    written: Option<String>,
    approved: Option<String>,
    approved_by: Option<String>,
    reviewed: Vec<String>,
    next_review: Option<String>,
}

impl Dates {
    fn set(&mut self, field: Field, value: String, no: usize, notes: &mut Vec<Note>) {
        let slot = match field {
            Field::Written | Field::Date => &mut self.written,
            Field::Approved => &mut self.approved,
            Field::ApprovedBy => &mut self.approved_by,
            Field::NextReview => &mut self.next_review,
            Field::Reviewed => {
                if !self.reviewed.contains(&value) {
                    self.reviewed.push(value);
                }
                return;
            }
        };
        match slot {
            None => *slot = Some(value),
            Some(existing) if *existing == value => {}
            Some(existing) => notes.push(Note::unsure(
                no,
                format!(
                    "a second `{}` date, “{value}”, differs from the first, “{existing}”; kept the first",
                    field.name()
                ),
            )),
        }
    }
}

static CYCLE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:annual(?:ly)?|yearly|every\s+(?:\d+|one|two|three|four|five|six|twelve|eighteen|twenty-four)?\s*(?:years?|months?|terms?)|bi-?ennial(?:ly)?|tri-?ennial(?:ly)?|termly|each\s+(?:year|term)|rolling\s+programm?e?|rolling\s+basis)\b")
        .unwrap()
});
static REVIEW_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\breview").unwrap());

/// The review cycle a sentence states, normalised as the content format writes it.
fn cycle_in(sentence: &str) -> Option<Result<String, String>> {
    if !REVIEW_WORD.is_match(sentence) {
        return None;
    }
    let phrase = CYCLE_PHRASE.find(sentence)?.as_str().to_lowercase();
    let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match parse_cycle(&phrase) {
        Ok(cycle) => Ok(match cycle.months {
            Some(12) => "annual".to_string(),
            None if phrase.starts_with("rolling") => "rolling programme".to_string(),
            _ => phrase,
        }),
        Err(e) => Err(e.to_string()),
    })
}

fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in bytes.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') && bytes.get(k + 1).is_some_and(|(_, n)| n.is_whitespace()) {
            out.push(&text[start..i + 1]);
            start = i + 1;
        }
    }
    out.push(&text[start..]);
    out
}

/// Builds the front matter from what was found, reporting what could not be read.
pub fn front_matter(
    lines: &[Line],
    classified: &Classified,
    identity: &Identity,
    options: &ImportOptions,
    notes: &mut Vec<Note>,
) -> PolicyMeta {
    let school = match &identity.school {
        Some(found) => {
            if found.index.is_none() && found.no > 0 {
                notes.push(Note::unsure(
                    found.no,
                    format!(
                        "took the school's name “{}” from the text; pass --school if it is wrong",
                        found.text
                    ),
                ));
            }
            found.text.clone()
        }
        None => {
            notes.push(Note::unsure(
                0,
                "found no school name; wrote “Unknown school” — pass --school \"Full Name\"",
            ));
            "Unknown school".to_string()
        }
    };
    let title = match &identity.title {
        Some(found) => found.text.clone(),
        None => match subject(lines) {
            Some(subject) => {
                let title = format!("{subject} policy");
                notes.push(Note::unsure(
                    0,
                    format!(
                        "found no title (no line on the cover names a policy or guidance); guessed “{title}” from what the text is most about — pass --title \"…\""
                    ),
                ));
                title
            }
            None => {
                notes.push(Note::unsure(0, "found no title; wrote “Policy” — pass --title \"…\""));
                "Policy".to_string()
            }
        },
    };
    let mut dates = Dates::default();
    let mut after_approved_by = 0usize;
    for (i, l) in lines.iter().enumerate() {
        let role = classified.roles[i];
        if l.glyph.is_some() || matches!(l.hint, Hint::Table(_)) {
            continue;
        }
        let fields = date_fields(&l.plain);
        if fields.is_empty() {
            // A lone date on the cover ("March 2021") is the date written.
            if role == Role::Cover
                && let Ok(p) = parse_period(l.plain.trim_end_matches('.'))
                && p.precision != Precision::Year
            {
                dates.set(Field::Written, l.plain.trim_end_matches('.').to_string(), l.no, notes);
            }
            after_approved_by = after_approved_by.saturating_sub(1);
            continue;
        }
        for (field, value) in fields {
            if field == Field::ApprovedBy {
                match extract_date(&value) {
                    Some(date) if date == value => dates.set(Field::Approved, date, l.no, notes),
                    _ if !value.is_empty() => dates.set(Field::ApprovedBy, value, l.no, notes),
                    _ => {}
                }
                after_approved_by = 3;
                continue;
            }
            let field = match field {
                Field::Date if after_approved_by > 0 => Field::Approved,
                other => other,
            };
            match extract_date(&value) {
                Some(date) => dates.set(field, date, l.no, notes),
                None => match cycle_in(&format!("review {value}")) {
                    Some(Ok(_)) if field == Field::NextReview || field == Field::Reviewed => {}
                    _ if role == Role::Signature || value.trim_matches(['_', '.', ' ']).is_empty() => {}
                    _ => notes.push(Note::unsure(
                        l.no,
                        format!(
                            "cannot read the date “{value}” in “{}”; left `{}` out of the front matter",
                            l.plain,
                            field.name()
                        ),
                    )),
                },
            }
        }
        after_approved_by = after_approved_by.saturating_sub(1);
    }
    let mut review_cycle: Option<(String, usize)> = None;
    for (i, l) in lines.iter().enumerate() {
        if matches!(classified.roles[i], Role::Brochure | Role::Contents) {
            continue;
        }
        let labelled_cycle = date_fields(&l.plain)
            .into_iter()
            .find(|(f, v)| matches!(f, Field::NextReview | Field::Reviewed) && extract_date(v).is_none())
            .map(|(_, v)| format!("review {v}"));
        let texts: Vec<String> = match labelled_cycle {
            Some(text) => vec![text],
            None => sentences(&l.plain).into_iter().map(str::to_string).collect(),
        };
        for sentence in texts {
            match cycle_in(&sentence) {
                Some(Ok(cycle)) => match &review_cycle {
                    None => review_cycle = Some((cycle, l.no)),
                    Some((first, at)) if *first != cycle => notes.push(Note::unsure(
                        l.no,
                        format!("this review cycle, “{cycle}”, differs from the one on line {at}, “{first}”; kept the first"),
                    )),
                    Some(_) => {}
                },
                Some(Err(e)) => notes.push(Note::unsure(l.no, format!("cannot read the review cycle: {e}"))),
                None => {}
            }
        }
    }
    let short = if identity.school.is_some() { super::short_name(&school) } else { school.clone() };
    let lower = school.to_lowercase();
    let phase = if ["primary", "infant", "junior", "first school"].iter().any(|w| lower.contains(w)) {
        Some("primary".to_string())
    } else if ["high school", "secondary", "grammar", "upper school"].iter().any(|w| lower.contains(w)) {
        Some("secondary".to_string())
    } else {
        None
    };
    PolicyMeta {
        short_name: (short != school).then_some(short),
        school,
        title,
        source: options.source.clone().unwrap_or_else(|| "imported.txt".to_string()),
        phase,
        local_authority: None,
        trust: None,
        website: None,
        written: dates.written,
        approved: dates.approved,
        approved_by: dates.approved_by,
        reviewed: dates.reviewed,
        next_review: dates.next_review,
        review_cycle: review_cycle.map(|(c, _)| c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_dates_in_the_seed_forms() {
        let cases = [
            ("Written: Spring 2017", Field::Written, "Spring 2017"),
            ("Reviewed: Spring 2020", Field::Reviewed, "Spring 2020"),
            ("Next Review: Spring 2024", Field::NextReview, "Spring 2024"),
            ("Next review due by: July 2022", Field::NextReview, "July 2022"),
            ("Policy to be reviewed: June 2018", Field::NextReview, "June 2018"),
            ("Next review due: February 2024", Field::NextReview, "February 2024"),
            ("Written : July 2021", Field::Written, "July 2021"),
            ("Date: July 2021", Field::Date, "July 2021"),
        ];
        for (line, field, value) in cases {
            let fields = date_fields(line);
            assert_eq!(fields.len(), 1, "{line}");
            assert_eq!(fields[0].0, field, "{line}");
            assert_eq!(extract_date(&fields[0].1).as_deref(), Some(value), "{line}");
        }
        let both = date_fields("Approved by: LGB / Date: July 2021");
        assert_eq!(
            both,
            vec![(Field::ApprovedBy, "LGB".to_string()), (Field::Date, "July 2021".to_string())]
        );
        assert!(date_fields("The date of the trip is not known.").is_empty());
        assert!(
            date_fields("Reviewed the policy with staff and parents and governors at length today")
                .is_empty()
        );
    }

    #[test]
    fn review_cycles() {
        assert_eq!(cycle_in("This Policy will be reviewed on an annual basis."), Some(Ok("annual".into())));
        assert_eq!(
            cycle_in(
                "The Policy statement will be reviewed in line with the rolling programme of Policy reviews."
            ),
            Some(Ok("rolling programme".into()))
        );
        assert_eq!(
            cycle_in("it will be reviewed by the governors annually, or more regularly"),
            Some(Ok("annual".into()))
        );
        assert_eq!(cycle_in("This is completed annually during training."), None);
        assert_eq!(cycle_in("It is reviewed every two years."), Some(Ok("every two years".into())));
    }
}
