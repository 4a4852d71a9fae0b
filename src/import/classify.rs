//! Classify: decides what each line is.
//!
//! First the material that is not policy, each kind by its own signs:
//!
//! - **signature** — lines of labels only ("Signed: Date:", "Headteachers: Date:", "Chair of
//!   Governors: Date:"), the agreement sentence before them ("I confirm that I have read …") and
//!   initials alone on the last line;
//! - **contents** — a "Contents" line and the entries after it, up to the line where the body
//!   repeats the first entry;
//! - **brochure** — an all-capitals line about the school ("STRENGTHS OF OUR SCHOOL", "THE
//!   CURRICULUM WE HOPE TO PROVIDE") before the policy starts, up to the first heading that
//!   names the policy or guidance;
//! - **cover** — the lines before the first real heading or paragraph, when they repeat the
//!   title, the school or dates;
//! - **document control** — labelled dates after the cover ("Written: …", "Next review due: …")
//!   and a revision-history table.
//!
//! Then the policy itself, line by line:
//!
//! - headings: numbered ("1. Introduction", "6 Responsibilities …"), "Section 4 Social Media"
//!   (or "Section 1" with its title on the next line), "Appendix 1 …", a numbered sub-heading
//!   ("1.1 Scope") when `1.1.1` clauses follow or it is a short title, and lone short lines
//!   (at most 14 words, no closing punctuation; "Definition of Students:" when a paragraph, not
//!   a list, follows); three or more such lines in a row are a list of lines, not headings;
//! - numbered clauses (`1.1`, `2.3.13`, `1.1.`, with any stray bullet before them dropped);
//! - lists: bullet glyphs of any kind, nested by indentation, by a second glyph (`o`), or —
//!   when an item ends with a colon — until an item starts like the items before it; a
//!   bullet that goes on a sentence the item before broke off is joined to it;
//! - tables; and everything else a paragraph.

use super::Note;
use super::cues::{self, ends_sentence, is_date_line, is_signature_line, starts_upper, word_count};
use super::identity::Identity;
use super::lines::{Hint, Line};
use crate::analyse::ids;
use crate::model::SegmentKind;
use regex::Regex;
use std::sync::LazyLock;

/// What a line was found to be: policy text, or one kind of material that is not policy (never
/// an editor's note, which only people write).
pub type Role = SegmentKind;

/// A list item: its nesting level (0 outermost) and inline Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// 1-based source line it starts at.
    pub no: usize,
    /// Nesting level: 0 for the outermost list.
    pub level: u8,
    /// The item's inline Markdown, without its bullet.
    pub text: String,
}

/// A block of the Markdown to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `level` 2 for `##`.
    Heading {
        /// 1-based source line of the heading.
        no: usize,
        /// Markdown heading level: 2 for `##`.
        level: u8,
        /// The heading's inline Markdown.
        text: String,
    },
    /// One paragraph; more than one line are joined by hard line breaks.
    Para {
        /// 1-based source line it starts at.
        no: usize,
        /// Its lines, inline Markdown, in order.
        lines: Vec<String>,
    },
    /// A list, its items in order with their nesting levels.
    List {
        /// The items in order.
        items: Vec<Item>,
    },
    /// A table, kept as rows of cells.
    Table {
        /// 1-based source line of the table.
        no: usize,
        /// Rows of cells, each cell inline Markdown.
        rows: Vec<Vec<String>>,
    },
    /// A fenced div of material that is not policy.
    Div {
        /// Which material it holds (cover, brochure, ...).
        kind: SegmentKind,
        /// The blocks inside the div.
        blocks: Vec<Block>,
    },
}

/// The lines' roles and the blocks made of them.
#[derive(Debug, Clone)]
pub struct Classified {
    /// Each line's role, by index into the lines.
    pub roles: Vec<Role>,
    /// The Markdown blocks, in document order.
    pub blocks: Vec<Block>,
}

static APPENDIX_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:appendix|annex|annexe)\s+(\d{1,2}|[A-Z])\b\s*[:.–—-]?\s*(.*)$").unwrap()
});
static AGREEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^i,?\s.*\b(?:confirm|agree|declare|acknowledge|have read|understand)\b").unwrap()
});
static INITIALS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Z]{2,4}|[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)$").unwrap());
static CONTENTS_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:table\s+of\s+)?contents:?$|^index$").unwrap());
static BROCHURE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:our school|strengths|we hope|vision|values|ethos|mission|about us|welcome|prospectus|our aims)\b")
        .unwrap()
});
static POLICY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:polic(?:y|ies)|guidance|guidelines|procedures?|protocol|introduction)\b").unwrap()
});
static DOC_CONTROL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:revision|version|change|amendment|review)\s+(?:history|control|log|record|table)\b|^document\s+control\b")
        .unwrap()
});
static PAGE_REF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\s.…·_-]*\d{1,3}$").unwrap());
const FUNCTION_WORDS: [&str; 16] =
    ["a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from", "as", "that"];

/// "1. Introduction", "6 Responsibilities when using social media (Appendix 1)".
fn numbered_heading(l: &Line) -> bool {
    l.is_plain() && cues::numbered_heading(&l.plain)
}

/// "Section 4 Social Media", "Section 2: Safer …"; `Some(true)` for "Section 1" alone.
fn section_heading(l: &Line) -> Option<bool> {
    if l.is_plain() { cues::section_heading(&l.plain) } else { None }
}

fn last_word(text: &str) -> String {
    text.split_whitespace().last().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

fn appendix_heading(l: &Line) -> bool {
    if !l.is_plain() {
        return false;
    }
    let Some(c) = APPENDIX_HEADING.captures(&l.plain) else { return false };
    let rest = c[2].trim();
    word_count(&l.plain) <= 16
        && (rest.is_empty() || starts_upper(rest))
        && (!ends_sentence(rest) || word_count(rest) <= 6)
}

/// The shape of a heading: short, no closing punctuation, not a date, a signature or a link.
/// `colon` allows a closing colon.
fn heading_shape(l: &Line, colon: bool) -> bool {
    if !l.is_plain() {
        return false;
    }
    let p = l.plain.trim();
    let words = l.words();
    let closing = p.trim_end_matches(['"', '\'', '’', '”', ')', '*']).trim_end().trim_end_matches('-');
    let ends_ok = if closing.ends_with(':') {
        colon && words <= 5
    } else {
        !closing.ends_with(['.', ',', ';', '!', '?', '…'])
    };
    (1..=14).contains(&words)
        && p.chars().count() <= 120
        && starts_upper(p)
        && ends_ok
        && !p.contains("http")
        && !p.contains("www.")
        && !p.contains('@')
        && !is_date_line(p)
        && !is_signature_line(p)
        && !FUNCTION_WORDS.contains(&last_word(p).as_str())
}

fn is_item(l: &Line) -> bool {
    matches!(l.hint, Hint::Bullet(_)) || (l.glyph.is_some() && l.number.is_none() && l.hint == Hint::Plain)
}

/// A line labelled like a list item ("1. Keep records", "a) …", "(ii) …").
static ITEM_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+\S").unwrap());

/// Which lines are list items: bulleted ones, and labelled ones ("1. …", "a) …") that follow a
/// lead-in ending with a colon or another such item — those are a numbered list, not headings.
fn list_items(lines: &[Line]) -> Vec<bool> {
    let mut items = vec![false; lines.len()];
    // The label of the labelled item before, as a number ("b)" → 2).
    let mut previous: Option<u32> = None;
    for i in 0..lines.len() {
        let l = &lines[i];
        if is_item(l) {
            items[i] = true;
            previous = None;
            continue;
        }
        let label = labelled(l);
        let after_lead_in = i > 0 && lines[i - 1].plain.trim_end().trim_end_matches('-').ends_with(':');
        let follows_on = previous.zip(label).is_some_and(|(p, n)| n == p + 1) && l.blank_before <= 1;
        // "1. The DSL keeps records." then "2. Staff report concerns.": sentences, not
        // headings, numbered in a run.
        let starts_run = !heading_shape(l, true)
            && lines.get(i + 1).is_some_and(|next| {
                next.blank_before <= 1 && label.zip(labelled(next)).is_some_and(|(n, m)| m == n + 1)
            });
        items[i] = label.is_some() && (after_lead_in || follows_on || starts_run);
        previous = if items[i] { label } else { None };
    }
    items
}

/// The label value of a line labelled like a list item.
fn labelled(l: &Line) -> Option<u32> {
    (l.is_plain() && ITEM_LABEL.is_match(&l.plain)).then(|| label_value(&l.plain)).flatten()
}

/// "3." → 3, "b)" → 2, "(iv)" → 4.
fn label_value(plain: &str) -> Option<u32> {
    let label: String =
        plain.trim_start_matches('(').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if let Ok(n) = label.parse() {
        return Some(n);
    }
    let roman = |c: char| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        _ => None,
    };
    if label.len() == 1 && !matches!(label.as_str(), "i" | "v" | "x") {
        return label.chars().next().and_then(|c| (c as u32).checked_sub('a' as u32)).map(|n| n + 1);
    }
    let values: Option<Vec<u32>> = label.chars().map(roman).collect();
    let values = values?;
    let mut total = 0;
    for (k, v) in values.iter().enumerate() {
        if values.get(k + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok()
}

fn normalise_entry(text: &str) -> String {
    let text = PAGE_REF.replace(text, "");
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_caps(plain: &str) -> bool {
    let letters: Vec<char> = plain.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 9
}

/// Classifies every line and builds the blocks.
pub fn classify(lines: &[Line], identity: &Identity, notes: &mut Vec<Note>) -> Classified {
    let n = lines.len();
    let mut roles: Vec<Option<Role>> = vec![None; n];
    find_signatures(lines, &mut roles);
    find_contents(lines, &mut roles);
    let cover_end = find_cover_and_brochure(lines, identity, &mut roles, notes);
    find_document_control(lines, cover_end, &mut roles);
    let roles: Vec<Role> = roles.into_iter().map(|r| r.unwrap_or(Role::Policy)).collect();
    for (role, what) in [
        (Role::Signature, "a signature block"),
        (Role::Contents, "a contents list"),
        (Role::DocumentControl, "document control"),
    ] {
        let mut i = 0;
        while i < n {
            if roles[i] == role {
                let start = i;
                while i < n && roles[i] == role {
                    i += 1;
                }
                notes.push(Note::placed(
                    lines[start].no,
                    format!(
                        "lines {}–{}: {what}, written as `::: {}`",
                        lines[start].no,
                        lines[i - 1].last_no,
                        role.name()
                    ),
                ));
            } else {
                i += 1;
            }
        }
    }
    let items = list_items(lines);
    let mut builder = Builder { lines, items: &items, notes, in_numbered_section: false };
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < n {
        let role = roles[i];
        let start = i;
        while i < n && roles[i] == role {
            i += 1;
        }
        if role == Role::Policy {
            blocks.extend(builder.blocks(start, i, None));
        } else {
            let inner = builder.blocks(start, i, Some(role));
            blocks.push(Block::Div { kind: role, blocks: inner });
        }
    }
    check_numbering(lines, &roles, builder.notes);
    Classified { roles, blocks }
}

fn find_signatures(lines: &[Line], roles: &mut [Option<Role>]) {
    let n = lines.len();
    for i in 0..n {
        if lines[i].hint == Hint::Plain && lines[i].glyph.is_none() && is_signature_line(&lines[i].plain) {
            roles[i] = Some(Role::Signature);
            if i > 0 && roles[i - 1].is_none() && AGREEMENT.is_match(&lines[i - 1].plain) {
                roles[i - 1] = Some(Role::Signature);
            }
        }
    }
    // Initials alone on the last line ("DRY").
    if let Some(last) = lines.last()
        && last.is_plain()
        && INITIALS.is_match(last.plain.trim())
        && roles[n - 1].is_none()
    {
        roles[n - 1] = Some(Role::Signature);
    }
}

fn find_contents(lines: &[Line], roles: &mut [Option<Role>]) {
    let n = lines.len();
    let mut i = 0;
    while i < n {
        if roles[i].is_none() && lines[i].is_plain() && CONTENTS_TITLE.is_match(lines[i].plain.trim()) {
            roles[i] = Some(Role::Contents);
            let mut entries: Vec<String> = Vec::new();
            let mut j = i + 1;
            while j < n && roles[j].is_none() {
                let l = &lines[j];
                let entry = normalise_entry(&l.plain);
                let repeats =
                    !entries.is_empty() && entries.iter().any(|e| e.starts_with(&entry) && !entry.is_empty());
                let entry_like = matches!(l.hint, Hint::Plain | Hint::Bullet(_))
                    && l.words() <= 16
                    && !(ends_sentence(&l.plain) && l.words() > 8);
                if repeats || !entry_like {
                    break;
                }
                roles[j] = Some(Role::Contents);
                entries.push(entry);
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
}

/// Whether a line starts the policy's structure: a numbered or section heading, an appendix,
/// a clause number, or a heading style.
fn is_structural(l: &Line) -> bool {
    l.number.is_some()
        || l.is_numbered_or_section_heading()
        || appendix_heading(l)
        || matches!(l.hint, Hint::Heading(_))
}

/// Marks the brochure and the cover; returns where the cover ends.
fn find_cover_and_brochure(
    lines: &[Line],
    identity: &Identity,
    roles: &mut [Option<Role>],
    notes: &mut Vec<Note>,
) -> usize {
    let n = lines.len();
    let scan_end =
        (0..n).find(|&i| roles[i] == Some(Role::Contents) || is_structural(&lines[i])).unwrap_or(n);
    let school = identity.school.as_ref().map(|f| f.text.to_lowercase());
    let title = identity.title.as_ref().map(|f| f.text.to_lowercase());
    // Brochure: an all-capitals line about the school, before the policy starts.
    let brochure_start = (0..scan_end).find(|&i| {
        let l = &lines[i];
        roles[i].is_none()
            && l.is_plain()
            && l.words() >= 2
            && is_caps(&l.plain)
            && BROCHURE_WORDS.is_match(&l.plain)
    });
    let names_policy = |l: &Line| {
        let lower = l.plain.to_lowercase();
        POLICY_WORDS.is_match(&l.plain)
            || title.as_ref().is_some_and(|t| t.starts_with(&lower) || lower.starts_with(t.as_str()))
    };
    if let Some(start) = brochure_start {
        let end = (start + 1..n)
            .find(|&j| {
                roles[j].is_some()
                    || is_structural(&lines[j])
                    || (heading_shape(&lines[j], false) && names_policy(&lines[j]))
            })
            .unwrap_or(n);
        for role in &mut roles[start..end] {
            role.get_or_insert(Role::Brochure);
        }
        notes.push(Note::placed(
            lines[start].no,
            format!(
                "lines {}–{}: brochure material about the school (not policy), written as `::: brochure`",
                lines[start].no,
                lines[end - 1].last_no
            ),
        ));
    }
    // Cover: the lines before the first real heading or paragraph, if they repeat the title,
    // the school or dates.
    let repeats_identity = |l: &Line| {
        let lower = l.plain.to_lowercase();
        school.as_ref().is_some_and(|s| lower.contains(s.as_str()))
            || title.as_ref().is_some_and(|t| lower == *t)
    };
    let next_content = |i: usize| lines.get(i + 1);
    let cover_end = brochure_start.unwrap_or_else(|| {
        (0..scan_end)
            .find(|&i| {
                let l = &lines[i];
                if roles[i].is_some() {
                    return true;
                }
                if is_item(l) || matches!(l.hint, Hint::Table(_)) || l.is_running_text() {
                    return true;
                }
                heading_shape(l, true)
                    && !repeats_identity(l)
                    && next_content(i)
                        .is_some_and(|next| next.is_running_text() || is_item(next) || next.number.is_some())
            })
            .unwrap_or(scan_end)
    });
    let cover_like = (0..cover_end).any(|i| {
        let l = &lines[i];
        repeats_identity(l)
            || identity.title.as_ref().is_some_and(|t| t.index == Some(i))
            || identity.school.as_ref().is_some_and(|s| s.index == Some(i))
            || is_date_line(&l.plain)
            || crate::dates::parse_period(&l.plain).is_ok()
    });
    if cover_end > 0 && cover_like {
        for role in &mut roles[..cover_end] {
            role.get_or_insert(Role::Cover);
        }
        notes.push(Note::placed(
            lines[0].no,
            format!(
                "lines {}–{}: the cover (title, school, dates), written as `::: cover`",
                lines[0].no,
                lines[cover_end - 1].last_no
            ),
        ));
        cover_end
    } else {
        0
    }
}

fn find_document_control(lines: &[Line], cover_end: usize, roles: &mut [Option<Role>]) {
    let n = lines.len();
    for i in cover_end..n {
        if roles[i].is_some() {
            continue;
        }
        let l = &lines[i];
        if l.is_plain() && l.words() <= 12 && is_date_line(&l.plain) {
            roles[i] = Some(Role::DocumentControl);
        } else if l.is_plain() && l.words() <= 8 && DOC_CONTROL_HEADING.is_match(&l.plain) {
            let next_is_record = lines.get(i + 1).is_some_and(|next| {
                matches!(next.hint, Hint::Table(_)) || (next.is_plain() && is_date_line(&next.plain))
            });
            if next_is_record {
                roles[i] = Some(Role::DocumentControl);
                if matches!(lines[i + 1].hint, Hint::Table(_)) && roles[i + 1].is_none() {
                    roles[i + 1] = Some(Role::DocumentControl);
                }
            }
        }
    }
}

struct Builder<'a> {
    lines: &'a [Line],
    /// Which lines are list items (see [`list_items`]).
    items: &'a [bool],
    notes: &'a mut Vec<Note>,
    /// Whether a numbered top-level heading has been seen (lone headings then sit below it).
    in_numbered_section: bool,
}

impl Builder<'_> {
    /// The blocks for lines `start..end`, all of one role (`None`: policy).
    fn blocks(&mut self, start: usize, end: usize, div: Option<Role>) -> Vec<Block> {
        let lines = self.lines;
        let mut blocks: Vec<Block> = Vec::new();
        // Which blocks are lone (unnumbered, unstyled) headings.
        let mut lone: Vec<bool> = Vec::new();
        let mut i = start;
        while i < end {
            lone.resize(blocks.len(), false);
            let l = &lines[i];
            if let Hint::Table(rows) = &l.hint {
                blocks.push(Block::Table { no: l.no, rows: rows.clone() });
                i += 1;
                continue;
            }
            if self.items[i] {
                let mut j = i;
                while j < end && self.items[j] {
                    j += 1;
                }
                blocks.push(Block::List { items: self.list(i, j) });
                i = j;
                continue;
            }
            // Cover, contents, signature and document control hold paragraphs only.
            let headings_allowed = matches!(div, None | Some(Role::Brochure));
            if headings_allowed && let Some((level, text, used)) = self.heading(i, end, div) {
                let is_lone =
                    div.is_none() && l.hint == Hint::Plain && l.number.is_none() && !is_structural(l);
                blocks.push(Block::Heading { no: l.no, level, text });
                lone.push(is_lone);
                i += used;
                continue;
            }
            if div.is_none() {
                self.check_paragraph(i);
            }
            // Outside the policy, lines with no blank line between them stay together.
            match blocks.last_mut() {
                Some(Block::Para { lines: para, .. })
                    if div.is_some() && l.blank_before == 0 && i > start =>
                {
                    para.push(l.text.clone());
                }
                _ => blocks.push(Block::Para { no: l.no, lines: vec![l.text.clone()] }),
            }
            i += 1;
        }
        lone.resize(blocks.len(), false);
        nest_adjacent_headings(&mut blocks, &lone);
        blocks
    }

    /// The heading line `i` is, if any: its level, its text and how many lines it used.
    fn heading(&mut self, i: usize, end: usize, div: Option<Role>) -> Option<(u8, String, usize)> {
        let lines = self.lines;
        let l = &lines[i];
        let one_line = |text: &str| text.replace('\n', " ");
        match &l.hint {
            Hint::Heading(level) => {
                if l.words() > 30 {
                    self.notes.push(Note::unsure(
                        l.no,
                        "styled as a heading but has more than 30 words; kept as a paragraph",
                    ));
                    return None;
                }
                if *level == 1 {
                    self.in_numbered_section = true;
                }
                return Some(((*level + 1).min(6), one_line(&l.text), 1));
            }
            Hint::Title => return Some((2, one_line(&l.text), 1)),
            _ => {}
        }
        if div == Some(Role::Brochure) {
            if heading_shape(l, false) && !self.in_run(i, end) && i + 1 < end {
                let level = if is_caps(&l.plain) { 2 } else { 3 };
                return Some((level, l.text.clone(), 1));
            }
            return None;
        }
        if let Some(number) = &l.number {
            return self.sub_heading(i, number).map(|level| (level, l.text.clone(), 1));
        }
        if numbered_heading(l) || appendix_heading(l) {
            self.in_numbered_section = true;
            return Some((2, l.text.clone(), 1));
        }
        if let Some(alone) = section_heading(l) {
            self.in_numbered_section = true;
            // "Section 1" with its title on the next line.
            if alone
                && let Some(next) = lines.get(i + 1).filter(|_| i + 1 < end)
                && next.is_plain()
                && next.words() <= 14
                && !is_date_line(&next.plain)
            {
                return Some((2, format!("{} {}", l.text, one_line(&next.text)), 2));
            }
            return Some((2, l.text.clone(), 1));
        }
        let colon = l.plain.trim_end().trim_end_matches('-').ends_with(':');
        if !heading_shape(l, true) {
            return None;
        }
        if self.in_run(i, end) {
            return None;
        }
        let Some(next) = lines.get(i + 1) else {
            self.notes.push(Note::unsure(
                l.no,
                "a short line at the very end looks like a heading; kept as a paragraph",
            ));
            return None;
        };
        if next.starts_lowercase() && next.is_plain() {
            return None;
        }
        if colon && (self.items.get(i + 1) == Some(&true) || is_item(next) || next.number.is_some()) {
            return None;
        }
        let level = if self.in_numbered_section { 3 } else { 2 };
        Some((level, l.text.clone(), 1))
    }

    /// Whether line `i` is one of three or more heading-shaped lines in a row (with no blank
    /// line between): a list of lines, not headings.
    fn in_run(&self, i: usize, end: usize) -> bool {
        let lines = self.lines;
        let shaped = |k: usize| heading_shape(&lines[k], false);
        let mut first = i;
        while first > 0 && lines[first].blank_before == 0 && shaped(first - 1) {
            first -= 1;
        }
        let mut last = i;
        while last + 1 < end && lines[last + 1].blank_before == 0 && shaped(last + 1) {
            last += 1;
        }
        last - first >= 2
    }

    /// A numbered line that is a sub-heading ("1.1 Scope" followed by 1.1.1 clauses, or a short
    /// title): its heading level.
    fn sub_heading(&mut self, i: usize, number: &str) -> Option<u8> {
        let lines = self.lines;
        let l = &lines[i];
        let parsed = ids::clause_number(&l.plain)?;
        let rest = l.plain[parsed.len..].trim();
        let words = word_count(rest);
        if words == 0 || words > 12 || ends_sentence(rest) || rest.ends_with(',') || !starts_upper(rest) {
            return None;
        }
        let id = number.trim_end_matches('.');
        let prefix = format!("{id}.");
        let next_numbered = lines[i + 1..].iter().take(40).find_map(|n| n.number.as_deref());
        let has_children = next_numbered.is_some_and(|n| n.starts_with(&prefix));
        if has_children || words <= 6 {
            let depth = id.split('.').count() as u8;
            return Some((depth + 1).min(6));
        }
        None
    }

    /// Reports a paragraph that the importer could not place with confidence.
    fn check_paragraph(&mut self, i: usize) {
        let l = &self.lines[i];
        if l.number.is_some() || !matches!(l.hint, Hint::Plain) {
            return;
        }
        if l.starts_lowercase() {
            self.notes.push(Note::unsure(
                l.no,
                "starts lower-case but the line before ends a sentence, so it was not joined to it; kept as a paragraph — check for a broken line",
            ));
        } else if l.words() <= 3 && !ends_sentence(&l.plain) {
            self.notes.push(Note::unsure(
                l.no,
                format!(
                    "could not classify “{}” (not a heading, clause or list item); kept as a paragraph",
                    l.plain
                ),
            ));
        }
    }

    /// A list from the item lines `start..end`: levels, broken items joined, colon nesting.
    fn list(&mut self, start: usize, end: usize) -> Vec<Item> {
        let lines = self.lines;
        let first = &lines[start];
        let first_glyph = first.glyph.as_deref().and_then(|g| g.chars().last());
        let mut items: Vec<(Item, String, bool)> = Vec::new();
        for l in &lines[start..end] {
            let (level, hinted) = match l.hint {
                Hint::Bullet(level) => (level, true),
                _ => {
                    let glyph = l.glyph.as_deref().and_then(|g| g.chars().last());
                    let second_glyph =
                        glyph.is_some_and(|g| matches!(g, 'o' | '◦' | '○' | '▪') && Some(g) != first_glyph);
                    (u8::from(l.indent >= first.indent + 2 || second_glyph), false)
                }
            };
            items.push((Item { no: l.no, level, text: l.text.clone() }, l.plain.clone(), hinted));
        }
        // A bullet that goes on a sentence the item before broke off ("… the person 'in
        // possession'" / "> the device should …"), in a list whose items start upper case.
        let upper = items.iter().filter(|(_, p, _)| starts_upper(p)).count();
        if items.len() >= 3 && upper * 3 >= items.len() * 2 {
            let mut k = 1;
            while k < items.len() {
                let broken = items[k].1.chars().next().is_some_and(char::is_lowercase)
                    && !ends_sentence(&items[k - 1].1)
                    && items[k].0.level == items[k - 1].0.level;
                if broken {
                    let (item, plain, _) = items.remove(k);
                    self.notes.push(Note::repaired(
                        item.no,
                        format!("joined this list item to the one on line {} (a sentence broken across two bullets)", items[k - 1].0.no),
                    ));
                    items[k - 1].0.text.push(' ');
                    items[k - 1].0.text.push_str(&item.text);
                    items[k - 1].1.push(' ');
                    items[k - 1].1.push_str(&plain);
                } else {
                    k += 1;
                }
            }
        }
        // An item ending with a colon leads a nested list, up to an item that starts like the
        // items before it.
        let first_word = |p: &str| {
            p.split_whitespace()
                .next()
                .unwrap_or("")
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        };
        let mut siblings: Vec<String> = Vec::new();
        let mut nesting = false;
        let count = items.len();
        // Only where the source shows no nesting of its own (indentation, a second glyph, a
        // Word list level).
        let explicit = items.iter().any(|(item, _, hinted)| *hinted || item.level > 0);
        for (k, (item, plain, _)) in items.iter_mut().enumerate() {
            if explicit {
                break;
            }
            let word = first_word(plain);
            if nesting {
                if siblings.contains(&word) {
                    nesting = false;
                } else {
                    item.level = 1;
                    continue;
                }
            }
            siblings.push(word);
            let leads = plain.trim_end().trim_end_matches('-').trim_end().ends_with(':');
            if leads && k + 1 < count {
                nesting = true;
            }
        }
        // The outermost level is 0; levels go down by any amount but up by one at a time.
        let base = items.iter().map(|(item, _, _)| item.level).min().unwrap_or(0);
        let mut previous: Option<u8> = None;
        items
            .into_iter()
            .map(|(mut item, _, _)| {
                let level = item.level - base;
                item.level = match previous {
                    None => 0,
                    Some(p) => level.min(p + 1),
                };
                previous = Some(item.level);
                item
            })
            .collect()
    }
}

/// Two lone headings with nothing between them ("Personal Use of Social Media", "Staff"): the
/// first heads a section, the second (and those after it at its level) sit below it.
fn nest_adjacent_headings(blocks: &mut [Block], lone: &[bool]) {
    let level_of = |b: &Block| match b {
        Block::Heading { level, .. } => Some(*level),
        _ => None,
    };
    let mut in_appendix = false;
    for k in 0..blocks.len().saturating_sub(1) {
        if let Block::Heading { text, .. } = &blocks[k]
            && APPENDIX_HEADING.is_match(&super::lines::plain(text))
        {
            in_appendix = true;
        }
        let starts_chain = k == 0 || !(lone[k - 1] && level_of(&blocks[k - 1]).is_some());
        // An appendix keeps its own flat run of headings.
        if !(lone[k] && lone[k + 1] && starts_chain) || in_appendix {
            continue;
        }
        let (Some(a), Some(b)) = (level_of(&blocks[k]), level_of(&blocks[k + 1])) else { continue };
        if a != b {
            continue;
        }
        if a > 2 {
            if let Block::Heading { level, .. } = &mut blocks[k] {
                *level = a - 1;
            }
        } else if let Block::Heading { level, .. } = &mut blocks[k + 1] {
            *level = b + 1;
        }
    }
}

/// Reports numbered clauses and headings whose numbers do not follow on.
fn check_numbering(lines: &[Line], roles: &[Role], notes: &mut Vec<Note>) {
    let mut previous: Option<(Vec<u32>, usize)> = None;
    let mut previous_heading: Option<(u32, usize)> = None;
    for (i, l) in lines.iter().enumerate() {
        if roles[i] != Role::Policy {
            continue;
        }
        let heading_number =
            if l.is_numbered_or_section_heading() { cues::heading_number(&l.plain) } else { None };
        if let Some(n) = heading_number {
            if let Some((p, at)) = previous_heading
                && n != p + 1
            {
                notes.push(Note::unsure(
                    l.no,
                    format!("section {n} follows section {p} (line {at}): check the heading's number in the source"),
                ));
            }
            previous_heading = Some((n, l.no));
        }
        let Some(number) = &l.number else { continue };
        let parts: Vec<u32> =
            number.trim_end_matches('.').split('.').filter_map(|p| p.parse().ok()).collect();
        if let Some((prev, at)) = &previous
            && prev.len() == parts.len()
            && prev[..prev.len() - 1] == parts[..parts.len() - 1]
        {
            let (a, b) = (prev[prev.len() - 1], parts[parts.len() - 1]);
            if b != a + 1 {
                notes.push(Note::unsure(
                    l.no,
                    format!(
                        "clause {} follows clause {} (line {at}): a clause may be missing, repeated or mis-numbered in the source",
                        number.trim_end_matches('.'),
                        prev.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
                    ),
                ));
            }
        }
        previous = Some((parts, l.no));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::{from_text, prepare};

    fn blocks_of(text: &str) -> Vec<Block> {
        let mut notes = Vec::new();
        let lines = prepare(from_text(text), &mut notes);
        let identity = crate::import::identity::find_identity(&lines, &Default::default());
        classify(&lines, &identity, &mut notes).blocks
    }

    #[test]
    fn signature_lines() {
        assert!(is_signature_line("Signed: Date:"));
        assert!(is_signature_line("Headteachers: Date:"));
        assert!(is_signature_line("Chair of Governors: Date:"));
        assert!(is_signature_line("Signed ............ Date ........"));
        assert!(!is_signature_line("Date: July 2021"));
        assert!(!is_signature_line("Headteacher"));
    }

    #[test]
    fn headings_clauses_and_lists() {
        let blocks = blocks_of(
            "1. Introduction\n\n1.1 Aims\n\n1.1.1 Staff must be safe.\n\nSection 2\n\nOverview\n\nStaff should:\n\n- do this;\n- do that.\n\nThe impact of it:\n",
        );
        let heading = |b: &Block| match b {
            Block::Heading { level, text, .. } => Some((*level, text.clone())),
            _ => None,
        };
        let headings: Vec<(u8, String)> = blocks.iter().filter_map(heading).collect();
        assert_eq!(
            headings,
            vec![(2, "1. Introduction".into()), (3, "1.1 Aims".into()), (2, "Section 2 Overview".into())]
        );
        assert!(blocks.iter().any(|b| matches!(b, Block::List { items } if items.len() == 2)));
    }

    #[test]
    fn numbered_items_after_a_lead_in_are_a_list_not_headings() {
        let blocks = blocks_of(
            "3. Reporting\n\nStaff should:\n1. Keep records\n2. Tell the DSL\n\n4. Training\n\nText.\n",
        );
        let headings = blocks.iter().filter(|b| matches!(b, Block::Heading { .. })).count();
        assert_eq!(headings, 2, "{blocks:?}");
        assert!(blocks.iter().any(
            |b| matches!(b, Block::List { items } if items.len() == 2 && items[0].text == "1. Keep records")
        ));
    }

    #[test]
    fn indentation_wins_over_colon_nesting() {
        let blocks = blocks_of("Staff:\n• keep records;\n• liaise with:\n   o the LADO\n• train staff.\n");
        let Some(Block::List { items }) = blocks.iter().find(|b| matches!(b, Block::List { .. })) else {
            panic!("no list in {blocks:?}")
        };
        let levels: Vec<u8> = items.iter().map(|i| i.level).collect();
        assert_eq!(levels, vec![0, 0, 1, 0]);
    }

    #[test]
    fn colon_items_lead_nested_lists() {
        let blocks =
            blocks_of("Staff must:\n· That one.\n· The impact of it:\n· Particularly this.\n· That other.\n");
        let Some(Block::List { items }) = blocks.iter().find(|b| matches!(b, Block::List { .. })) else {
            panic!("no list in {blocks:?}")
        };
        let levels: Vec<u8> = items.iter().map(|i| i.level).collect();
        assert_eq!(levels, vec![0, 0, 1, 0]);
    }
}
