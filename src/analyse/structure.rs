//! Structure: finds a policy's sections and clauses in its Markdown and gives each its id.
//!
//! A clause is a paragraph, list item or table of policy text. Walking the events once, this
//! stage records where each starts (so the renderer can mark it), its plain text, its section
//! and its parent, and strips the clause number and any `{#id}` pin from the text (the number
//! is shown again, as the clause's permalink, by the rewrite stage).

use super::ids;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::ids::{ID_HELP, check_id};
use crate::model::{Clause, ClauseKind, Policy, Section, SegmentKind};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;

/// Section id used for clauses before the first heading.
pub const PREAMBLE: &str = "preamble";

/// A clause being read: where it is and the text gathered so far.
struct Open {
    clause: usize,
    text: String,
    /// First text event, where a clause number would be.
    first_text: Option<usize>,
    /// Last text event, where an `{#id}` pin would be.
    last_text: Option<usize>,
}

/// Fills `policy.sections` and `policy.clauses`, and reports duplicate or malformed ids.
pub fn analyse(policy: &mut Policy, diagnostics: &mut Diagnostics) {
    let mut sections: Vec<Section> = Vec::new();
    let mut clauses: Vec<Clause> = Vec::new();
    // Open sections by level, for nesting.
    let mut open_sections: Vec<usize> = Vec::new();
    let mut current_section: Option<usize> = None;
    let source = &policy.source.text;
    for (segment_index, segment) in policy.segments.iter_mut().enumerate() {
        let is_policy = segment.kind == SegmentKind::Policy;
        // Clauses being read, innermost last (a list item inside a list item).
        let mut open: Vec<Open> = Vec::new();
        // Parents of the lists being read, innermost last.
        let mut list_parents: Vec<Option<usize>> = Vec::new();
        // A paragraph ending in a colon, whose following list belongs to it.
        let mut lead_in: Option<usize> = None;
        let mut heading: Option<(usize, String)> = None;
        let mut in_table = 0usize;
        for index in 0..segment.events.len() {
            let (event, span) = segment.events[index].clone();
            let (event, span) = (&event, &span);
            match event {
                Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                    if !classes.is_empty() || !attrs.is_empty() {
                        diagnostics.push(
                            Diagnostic::error(
                                policy.source.path(),
                                "a heading may end with {#id} and nothing else in braces",
                            )
                            .at(&policy.source, span.start)
                            .with_help(
                                "write the id as {#my-id}: letters, digits, `.`, `-` and `_`, no spaces",
                            ),
                        );
                    }
                    heading = Some((*level as usize, id.as_ref().map(|s| s.to_string()).unwrap_or_default()));
                    open.push(Open {
                        clause: usize::MAX,
                        text: String::new(),
                        first_text: None,
                        last_text: None,
                    });
                }
                Event::End(TagEnd::Heading(_)) => {
                    let (level, explicit) = heading.take().unwrap_or_default();
                    let title = open.pop().map(|o| collapse(&o.text)).unwrap_or_default();
                    while open_sections.last().is_some_and(|&s| sections[s].level as usize >= level) {
                        open_sections.pop();
                    }
                    let start = heading_start(&segment.events, index);
                    let section = Section {
                        id: if explicit.is_empty() { ids::heading_id(&title) } else { explicit },
                        title,
                        level: level as u8,
                        parent: if is_policy { open_sections.last().copied() } else { None },
                        kind: segment.kind,
                        offset: segment.events[start].1.start,
                        at: (segment_index, start),
                    };
                    sections.push(section);
                    if is_policy {
                        open_sections.push(sections.len() - 1);
                        current_section = Some(sections.len() - 1);
                    }
                    lead_in = None;
                }
                Event::Start(tag @ (Tag::Paragraph | Tag::Item | Tag::Table(_)))
                    if is_policy
                        && heading.is_none()
                        && (open.is_empty() || matches!(tag, Tag::Item))
                        && in_table == 0 =>
                {
                    let (kind, parent) = match tag {
                        Tag::Item => (ClauseKind::ListItem, list_parents.last().copied().flatten()),
                        Tag::Table(_) => (ClauseKind::Table, None),
                        _ => (ClauseKind::Paragraph, None),
                    };
                    if matches!(tag, Tag::Table(_)) {
                        in_table += 1;
                    }
                    clauses.push(Clause {
                        id: String::new(),
                        number: None,
                        label: String::new(),
                        topics: Vec::new(),
                        topics_curated: false,
                        topic_confidence: None,
                        related: Vec::new(),
                        text: String::new(),
                        kind,
                        section: current_section,
                        parent,
                        offset: span.start,
                        at: (segment_index, index),
                    });
                    open.push(Open {
                        clause: clauses.len() - 1,
                        text: String::new(),
                        first_text: None,
                        last_text: None,
                    });
                }
                Event::End(end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::Table))
                    if open.last().is_some_and(|o| {
                        o.clause != usize::MAX && clause_ends(clauses[o.clause].kind, end)
                    }) =>
                {
                    let done = open.pop().expect("checked above");
                    if matches!(end, TagEnd::Table) {
                        in_table -= 1;
                    }
                    let index = done.clause;
                    finish_clause(&mut clauses[index], done, &mut segment.events, source);
                    if open.is_empty() {
                        let numbered = clauses[index].number.is_some();
                        let unnumbered_lead_in = lead_in.filter(|&l| clauses[l].number.is_none());
                        if matches!(end, TagEnd::Paragraph) && numbered && unnumbered_lead_in.is_some() {
                            // "Staff should not:" followed by numbered clauses: they belong to it.
                            clauses[index].parent = unnumbered_lead_in;
                        } else {
                            let is_lead_in =
                                matches!(end, TagEnd::Paragraph) && ends_with_colon(&clauses[index].text);
                            lead_in = is_lead_in.then_some(index);
                        }
                    }
                }
                Event::Start(Tag::List(_)) if is_policy => {
                    // A list belongs to the item it is nested in, or to a lead-in paragraph.
                    let parent = match open.last() {
                        Some(o) if o.clause != usize::MAX => Some(o.clause),
                        _ => lead_in,
                    };
                    list_parents.push(parent);
                }
                Event::End(TagEnd::List(_)) if is_policy => {
                    list_parents.pop();
                    if list_parents.is_empty() {
                        lead_in = None;
                    }
                }
                Event::Start(Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::HtmlBlock) if open.is_empty() => {
                    lead_in = None
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some(o) = open.last_mut() {
                        if o.first_text.is_none() && o.text.trim().is_empty() {
                            o.first_text = Some(index);
                        }
                        o.last_text = Some(index);
                        o.text.push_str(text);
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(o) = open.last_mut() {
                        o.text.push(' ');
                    }
                }
                Event::End(TagEnd::TableCell) => {
                    if let Some(o) = open.last_mut() {
                        o.text.push_str(" | ");
                    }
                }
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                    if let Some(o) = open.last_mut() {
                        o.text.push('\n');
                    }
                }
                _ => {}
            }
        }
    }
    assign_ids(&sections, &mut clauses);
    check_ids(policy, &sections, &clauses, diagnostics);
    policy.sections = sections;
    policy.clauses = clauses;
}

fn clause_ends(kind: ClauseKind, end: &TagEnd) -> bool {
    matches!(
        (kind, end),
        (ClauseKind::Paragraph, TagEnd::Paragraph)
            | (ClauseKind::ListItem, TagEnd::Item)
            | (ClauseKind::Table, TagEnd::Table)
    )
}

/// Index of the `Start(Heading)` event that `End(Heading)` at `end` closes.
fn heading_start(events: &[(Event<'static>, std::ops::Range<usize>)], end: usize) -> usize {
    (0..end).rev().find(|&i| matches!(events[i].0, Event::Start(Tag::Heading { .. }))).unwrap_or(end)
}

/// Takes the clause number and any `{#id}` pin out of the text (and out of the events, so the
/// page shows each only once, in its place). A pin counts only as written in `source`: an
/// escaped `\{#id}` or `&#123;#id}`, or one in a code span, is the clause's text.
fn finish_clause(
    clause: &mut Clause,
    open: Open,
    events: &mut [(Event<'static>, std::ops::Range<usize>)],
    source: &str,
) {
    let mut text = open.text;
    let written = |i: usize| {
        let span = events[i].1.clone();
        let raw = source.get(span.clone()).unwrap_or("");
        let Some((_, at)) = ids::pinned_id(raw) else { return false };
        // An odd run of backslashes before the brace escapes it (`\{#x}`, not `\\{#x}`).
        let brace = span.start + at + raw[at..].find('{').unwrap_or(0);
        source[..brace].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0
    };
    if let Some((id, at)) = ids::pinned_id(&text).filter(|_| open.last_text.is_some_and(written)) {
        text.truncate(at);
        clause.id = id;
        edit_text(events, open.last_text, |t| ids::pinned_id(t).map(|(_, cut)| t[..cut].to_string()));
    }
    let leading = text.len() - text.trim_start().len();
    let number = ids::clause_number(&text[leading..]).filter(|_| clause.kind != ClauseKind::Table);
    if let Some(number) = number {
        clause.number = Some(number.written.to_string());
        if clause.id.is_empty() {
            clause.id = number.id.to_string();
        }
        text = text[leading + number.len..].to_string();
        edit_text(events, open.first_text, |t| {
            let lead = t.len() - t.trim_start().len();
            ids::clause_number(&t[lead..]).map(|n| t[lead + n.len..].to_string())
        });
    }
    clause.text = collapse(&text);
}

/// Replaces the text event at `index` with what `edit` makes of it, if it makes anything.
fn edit_text(
    events: &mut [(Event<'static>, std::ops::Range<usize>)],
    index: Option<usize>,
    edit: impl FnOnce(&str) -> Option<String>,
) {
    let Some(i) = index else { return };
    if let Event::Text(t) = &events[i].0
        && let Some(kept) = edit(t)
    {
        events[i].0 = Event::Text(CowStr::from(kept));
    }
}

fn ends_with_colon(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['-', '–', ' ']);
    t.ends_with(':')
}

fn collapse(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n").trim_end_matches(" |").replace(" |\n", "\n")
}

/// Generated ids: children of a clause take its id plus a letter; others their section's id
/// plus their position in the section.
fn assign_ids(sections: &[Section], clauses: &mut [Clause]) {
    let mut per_section: HashMap<Option<usize>, usize> = HashMap::new();
    let mut per_parent: HashMap<usize, usize> = HashMap::new();
    for i in 0..clauses.len() {
        // Numbered clauses count in their section even when they follow a lead-in, so that
        // adopting them never moves another clause's id.
        let lettered = clauses[i].number.is_none().then_some(clauses[i].parent).flatten();
        let position = match lettered {
            Some(parent) => {
                let n = per_parent.entry(parent).or_default();
                *n += 1;
                Err(*n)
            }
            None => {
                let n = per_section.entry(clauses[i].section).or_default();
                *n += 1;
                Ok(*n)
            }
        };
        if clauses[i].id.is_empty() {
            clauses[i].id = match position {
                Err(n) => format!("{}-{}", clauses[lettered.unwrap_or(0)].id, ids::letter(n)),
                Ok(n) => {
                    let section = clauses[i].section.map_or(PREAMBLE, |s| sections[s].id.as_str());
                    format!("{section}-{n}")
                }
            };
        }
        clauses[i].label = match (&clauses[i].number, position) {
            (Some(number), _) => number.trim_end_matches('.').to_string(),
            (None, Err(n)) => format!("{} ({})", clauses[lettered.unwrap_or(0)].label, ids::letter(n)),
            (None, Ok(n)) => format!("{} ¶ {n}", section_mark(sections, clauses[i].section)),
        };
    }
}

/// How an unnumbered clause's label names its section, so that "¶ 1" of one section is not
/// mistaken for "¶ 1" of another wherever labels stand on their own (route citations,
/// comparisons, search results): `§ 10` for a numbered section, `Appendix 1`, otherwise the
/// heading as written (after its parent's, if another heading reads the same), and `Preamble`
/// before the first heading.
fn section_mark(sections: &[Section], index: Option<usize>) -> String {
    let Some(section) = index.map(|i| &sections[i]) else { return "Preamble".to_string() };
    let numbered = |prefix: &str| {
        section
            .id
            .strip_prefix(prefix)
            .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()) || n.len() == 1)
    };
    if let Some(number) = numbered("section-") {
        return format!("§ {number}");
    }
    if let Some(number) = numbered("appendix-") {
        return format!("Appendix {}", number.to_uppercase());
    }
    let title = section.title.trim().trim_end_matches([':', '.']);
    let repeated =
        sections.iter().filter(|s| s.title.trim().trim_end_matches([':', '.']) == title).count() > 1;
    match section.parent {
        Some(parent) if repeated => format!("{} › {title}", section_mark(sections, Some(parent))),
        _ => title.to_string(),
    }
}

/// Every id must be a valid anchor and unique in the policy, across headings and clauses.
fn check_ids(policy: &Policy, sections: &[Section], clauses: &[Clause], diagnostics: &mut Diagnostics) {
    let source = &policy.source;
    let mut seen: HashMap<&str, (&'static str, usize)> = HashMap::new();
    let places = sections
        .iter()
        .map(|s| ("heading", s.id.as_str(), s.offset))
        .chain(clauses.iter().map(|c| ("clause", c.id.as_str(), c.offset)));
    for (what, id, offset) in places {
        if let Err(problem) = check_id(id) {
            diagnostics.push(Diagnostic::error(source.path(), problem).at(source, offset).with_help(ID_HELP));
            continue;
        }
        if let Some((first_what, first_offset)) = seen.get(id) {
            let (line, column) = source.line_col(*first_offset);
            diagnostics.push(
                Diagnostic::error(
                    source.path(),
                    format!("duplicate id `{id}`: this {what} has the same id as the {first_what} at {}:{line}:{column}", source.path().display()),
                )
                .at(source, offset)
                .with_help("give one of them its own id: end the heading or clause with {#another-id}"),
            );
        } else {
            seen.insert(id, (what, offset));
        }
    }
}
