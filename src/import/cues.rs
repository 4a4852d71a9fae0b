//! Line cues: what one line of text looks like on its own — a labelled date, a signature
//! line, a numbered or "Section N" heading, the end of a sentence. The other import stages
//! ([`super::lines`], [`super::identity`], [`super::classify`], [`super::meta`]) all ask these
//! questions, so they live here, below all of them, and take plain text only.

use crate::dates::parse_period;
use regex::Regex;
use std::sync::LazyLock;

static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})(\.?)\s+(\S.*)$").unwrap());
static SECTION_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^section\s+(\d{1,2}|[ivx]{1,5})\b\s*[:.–—-]?\s*(.*)$").unwrap());
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:signed|signature|sign|date|dated|name|print\s+name|print|position|role|job\s+title|headteachers?|head\s+teachers?|headmaster|headmistress|principal|chair(?:\s+of\s+governors)?|chairperson|governor|staff\s+member|employee)\s*[:]?\s*[_.…]*\s*)+$")
        .unwrap()
});
static SIGNATURE_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:signed|signature|sign|date|dated|name)\b").unwrap());

/// Whether a line ends a sentence (or a lead-in): `.`, `!`, `?`, `:` or `;`, before any closing
/// quotes or brackets.
pub fn ends_sentence(plain: &str) -> bool {
    let t = plain.trim_end().trim_end_matches(['"', '\'', '’', '”', ')', ']', '*']);
    let t = t.trim_end_matches('-').trim_end();
    t.ends_with(['.', '!', '?', ':', ';', '…'])
}

/// Whether a line is a signature line: labels only ("Signed: Date:"), naming a signature,
/// date or name.
pub fn is_signature_line(plain: &str) -> bool {
    let t = plain.trim();
    (t.contains(':') || t.contains('_') || t.contains("..") || t.contains('…'))
        && SIGNATURE.is_match(t)
        && SIGNATURE_KEY.is_match(t)
}

/// "1. Introduction", "6 Responsibilities when using social media (Appendix 1)".
pub fn numbered_heading(plain: &str) -> bool {
    let Some(c) = NUMBERED_HEADING.captures(plain) else { return false };
    let number: u32 = c[1].parse().unwrap_or(0);
    let rest = c[3].trim();
    (1..=60).contains(&number)
        && starts_upper(rest)
        && word_count(rest) <= 12
        && !rest.trim_end().ends_with(['.', ',', ';', '!', '?'])
        && (!rest.ends_with(':') || word_count(rest) <= 6)
        && parse_period(plain).is_err()
        && !rest.contains("http")
}

/// "Section 4 Social Media", "Section 2: Safer …"; `Some(true)` for "Section 1" alone.
pub fn section_heading(plain: &str) -> Option<bool> {
    let c = SECTION_HEADING.captures(plain)?;
    let rest = c[2].trim();
    if rest.is_empty() {
        return Some(true);
    }
    let ok = word_count(rest) <= 14 && starts_upper(rest) && (!ends_sentence(rest) || word_count(rest) <= 6);
    ok.then_some(false)
}

/// The number of a numbered or "Section N" heading (arabic numerals only: "Section iv" has none).
pub fn heading_number(plain: &str) -> Option<u32> {
    let c = NUMBERED_HEADING.captures(plain).or_else(|| SECTION_HEADING.captures(plain))?;
    c[1].parse().ok()
}

pub(crate) fn starts_upper(text: &str) -> bool {
    text.trim_start_matches(['"', '\'', '‘', '“', '(', '*'])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A front-matter date field that a labelled line of the document (`Next review: ...`) fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `written`: "Written:", "Date created:", "Effective from:".
    Written,
    /// `approved`: "Approved:", "Date ratified:".
    Approved,
    /// `approved_by`: "Approved by:", "Adopted by:".
    ApprovedBy,
    /// `reviewed`: "Reviewed:", "Last review date:".
    Reviewed,
    /// `next_review`: "Next review:", "Review due:", "Renewal date:".
    NextReview,
    /// "Date:" — approved if it follows "Approved by", else written.
    Date,
}

impl Field {
    /// The front-matter field it fills (`next_review`).
    pub fn name(self) -> &'static str {
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
pub fn date_fields(plain: &str) -> Vec<(Field, String)> {
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
pub fn extract_date(value: &str) -> Option<String> {
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
}
