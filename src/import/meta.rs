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
use super::cues::{Field, date_fields, extract_date};
use super::identity::{Identity, subject};
use super::lines::{Hint, Line};
use super::{ImportOptions, Note};
use crate::dates::{Precision, parse_cycle, parse_period};
use crate::model::PolicyMeta;
use regex::Regex;
use std::sync::LazyLock;

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
