//! Emit: writes the content file — front matter and Markdown body — and makes sure it loads.
//!
//! Ids must be unique in a policy. Headings that would share an id are pinned at once (a second
//! "2. Publication of Information" after "Section 2: …" becomes `{#publication-of-information}`;
//! a second "Staff" becomes `{#staff-2}`). Then the written file is run through the real
//! front-matter parser, fenced-div splitter and clause analysis
//! ([`crate::analyse::structure::analyse`]); any clause or heading the analysis still finds a
//! duplicate id for is pinned too, and anything else it reports is passed on as unsure.

use super::classify::{Block, Item};
use super::{ImportStats, Note};
use crate::analyse::ids;
use crate::content::front_matter;
use crate::content::{divs, markdown_options};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::PolicyMeta;
use crate::model::{Policy, Segment, SegmentKind};
use pulldown_cmark::Parser;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The front matter as TOML between `+++` lines, fields in the documented order.
pub fn front_matter_text(meta: &PolicyMeta) -> String {
    fn field(out: &mut String, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    let mut out = String::from("+++\n");
    field(&mut out, "school", Some(&meta.school));
    field(&mut out, "title", Some(&meta.title));
    field(&mut out, "source", Some(&meta.source));
    field(&mut out, "short_name", meta.short_name.as_deref());
    field(&mut out, "phase", meta.phase.as_deref());
    field(&mut out, "local_authority", meta.local_authority.as_deref());
    field(&mut out, "trust", meta.trust.as_deref());
    field(&mut out, "website", meta.website.as_deref());
    field(&mut out, "written", meta.written.as_deref());
    field(&mut out, "approved", meta.approved.as_deref());
    field(&mut out, "approved_by", meta.approved_by.as_deref());
    if !meta.reviewed.is_empty() {
        let list: Vec<String> = meta.reviewed.iter().map(|r| toml_string(r)).collect();
        out.push_str(&format!("reviewed = [{}]\n", list.join(", ")));
    }
    field(&mut out, "next_review", meta.next_review.as_deref());
    field(&mut out, "review_cycle", meta.review_cycle.as_deref());
    out.push_str("+++\n");
    out
}

/// A TOML basic string on one line: quotes, backslashes and control characters escaped, so
/// no value (a `--title` holding a line break and `+++`) can end its line or the front matter.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

static ORDERED_MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,9})([.)])(\s|$)").unwrap());
static RULE_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[-=_*\s]+$").unwrap());

/// Escapes what would start a block if it began a line: `#`, list markers, `>`, `:::`, rules.
fn escape_line_start(line: &str) -> String {
    let line = line.trim_start();
    if RULE_LINE.is_match(line) {
        return format!("\\{line}");
    }
    if let Some(c) = ORDERED_MARKER.captures(line) {
        let digits = c.get(1).map_or(0, |m| m.end());
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    let mut chars = line.chars();
    let first = chars.next();
    let second = chars.next();
    let escape = match first {
        Some('#' | '>' | '|' | '=') => true,
        Some('-' | '+' | '*') => second.is_none_or(char::is_whitespace),
        Some(':') => line.starts_with(":::"),
        _ => false,
    };
    if escape { format!("\\{line}") } else { line.to_string() }
}

/// The physical lines of a text with `\n` breaks, each made safe to start a line.
fn text_lines(text: &str) -> Vec<String> {
    text.split('\n').map(str::trim).filter(|l| !l.is_empty()).map(escape_line_start).collect()
}

fn pin_suffix(pin: Option<&String>) -> String {
    pin.map_or(String::new(), |id| format!(" {{#{id}}}"))
}

/// Heading text: one line, no closing `#`s or trailing `{…}` for Markdown to take as syntax.
fn heading_text(text: &str) -> String {
    let mut t = text.replace('\n', " ").trim().to_string();
    if t.ends_with('#') {
        t.insert(t.len() - 1, '\\');
    }
    if t.ends_with('}') {
        t.insert(t.len() - 1, '\\');
    }
    t
}

fn table_cell(cell: &str) -> String {
    let cell = cell.replace('\n', " ").replace('|', "\\|");
    let cell = cell.trim();
    if cell.is_empty() { " ".to_string() } else { cell.to_string() }
}

/// Where each pinnable unit (heading, paragraph, list item) of the body starts, as written.
#[derive(Default)]
struct Rendered {
    text: String,
    /// 1-based line in the whole file of each unit, in order.
    unit_lines: Vec<usize>,
}

struct Renderer<'a> {
    pins: &'a HashMap<usize, String>,
    out: Rendered,
    unit: usize,
    line: usize,
}

impl Renderer<'_> {
    fn push_line(&mut self, text: &str) {
        self.out.text.push_str(text);
        self.out.text.push('\n');
        self.line += 1;
    }

    fn start_unit(&mut self) -> Option<&String> {
        self.out.unit_lines.push(self.line);
        self.unit += 1;
        self.pins.get(&(self.unit - 1))
    }

    /// Blocks, each followed by a blank line.
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
            self.push_line("");
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, text, .. } => {
                let pin = pin_suffix(self.start_unit());
                let hashes = "#".repeat(*level as usize);
                self.push_line(&format!("{hashes} {}{pin}", heading_text(text)));
            }
            Block::Para { lines, .. } => {
                let pin = pin_suffix(self.start_unit());
                let physical: Vec<String> = lines.iter().flat_map(|l| text_lines(l)).collect();
                let last = physical.len().saturating_sub(1);
                for (k, line) in physical.iter().enumerate() {
                    if k < last {
                        self.push_line(&format!("{line}\\"));
                    } else {
                        self.push_line(&format!("{line}{pin}"));
                    }
                }
            }
            Block::List { items } => {
                for item in items {
                    self.item(item);
                }
            }
            Block::Table { rows, .. } => {
                self.start_unit();
                let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
                for (r, row) in rows.iter().enumerate() {
                    let cells: Vec<String> =
                        (0..width).map(|c| table_cell(row.get(c).map_or("", String::as_str))).collect();
                    self.push_line(&format!("| {} |", cells.join(" | ")));
                    if r == 0 {
                        self.push_line(&format!("|{}", " --- |".repeat(width)));
                    }
                }
            }
            Block::Div { kind, blocks } => {
                self.push_line(&format!("::: {}", kind.name()));
                for (k, inner) in blocks.iter().enumerate() {
                    if k > 0 {
                        self.push_line("");
                    }
                    self.block(inner);
                }
                self.push_line(":::");
            }
        }
    }

    fn item(&mut self, item: &Item) {
        let pin = pin_suffix(self.start_unit());
        let indent = "  ".repeat(item.level as usize);
        let physical = text_lines(&item.text);
        let last = physical.len().saturating_sub(1);
        for (k, line) in physical.iter().enumerate() {
            let lead = if k == 0 { format!("{indent}- ") } else { format!("{indent}  ") };
            let end = if k < last { "\\".to_string() } else { pin.clone() };
            self.push_line(&format!("{lead}{line}{end}"));
        }
    }
}

fn render(front: &str, blocks: &[Block], pins: &HashMap<usize, String>) -> Rendered {
    let line = front.lines().count() + 2;
    let mut renderer = Renderer { pins, out: Rendered::default(), unit: 0, line };
    renderer.out.text.push_str(front);
    renderer.out.text.push('\n');
    renderer.blocks(blocks);
    let mut out = renderer.out;
    // One blank line at the end is enough.
    while out.text.ends_with("\n\n") {
        out.text.pop();
    }
    out
}

/// Pins for headings whose generated id another heading or numbered clause already has.
fn initial_pins(blocks: &[Block]) -> HashMap<usize, String> {
    struct Walk {
        unit: usize,
        used: HashSet<String>,
        pins: HashMap<usize, String>,
        /// The words of the heading before, for naming a repeated one.
        previous: String,
    }
    fn walk(blocks: &[Block], w: &mut Walk) {
        for block in blocks {
            match block {
                Block::Heading { text, .. } => {
                    let plain = super::lines::plain(text);
                    let id = ids::heading_id(&plain);
                    let words = slug::slugify(NUMBER_PREFIX.replace(&plain, ""));
                    if w.used.contains(&id) {
                        // A numbered heading that repeats a number: its words make its id. A
                        // repeated title ("Staff"): the heading before it and its words.
                        let numbered = id.starts_with("section-") || id.starts_with("appendix-");
                        let mut candidate = if numbered || w.previous.is_empty() {
                            words.clone()
                        } else {
                            format!("{}-{words}", w.previous)
                        };
                        if candidate.len() > 60 {
                            candidate = candidate[candidate.len() - 60..].trim_start_matches('-').to_string();
                        }
                        if candidate.is_empty()
                            || w.used.contains(&candidate)
                            || crate::model::ids::check_id(&candidate).is_err()
                        {
                            candidate = unique(&id, &w.used);
                        }
                        w.used.insert(candidate.clone());
                        w.pins.insert(w.unit, candidate);
                    } else {
                        w.used.insert(id);
                    }
                    w.previous = words;
                    w.unit += 1;
                }
                Block::Para { lines, .. } => {
                    let plain = super::lines::plain(&lines.join(" "));
                    if let Some(number) = ids::clause_number(&plain) {
                        let id = number.id.to_string();
                        if w.used.contains(&id) {
                            let candidate = unique(&id, &w.used);
                            w.used.insert(candidate.clone());
                            w.pins.insert(w.unit, candidate);
                        } else {
                            w.used.insert(id);
                        }
                    }
                    w.unit += 1;
                }
                Block::List { items } => w.unit += items.len(),
                Block::Table { .. } => w.unit += 1,
                Block::Div { blocks, .. } => walk(blocks, w),
            }
        }
    }
    let mut w = Walk { unit: 0, used: HashSet::new(), pins: HashMap::new(), previous: String::new() };
    walk(blocks, &mut w);
    w.pins
}

static NUMBER_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:section\s+|appendix\s+)?\d+(?:\.\d+)*\.?\s*[:.–—-]?\s*").unwrap());

/// `id-2`, `id-3`, … whichever is free.
fn unique(id: &str, used: &HashSet<String>) -> String {
    (2..).map(|n| format!("{id}-{n}")).find(|c| !used.contains(c)).unwrap_or_else(|| id.to_string())
}

/// Loads a content file's text the way a build does, up to and including the clause analysis.
pub fn analyse(markdown: &str) -> (Option<Policy>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let source = SourceText::new("content/imported.md", markdown.to_string());
    let Some(split) = front_matter::split(&source, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let Some(meta) = front_matter::parse(&source, &split, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let dates = front_matter::parse_dates(&source, &split, &meta, &mut diagnostics);
    let segments = divs::split(&source, split.body_start..source.text.len(), &mut diagnostics)
        .into_iter()
        .map(|(kind, range)| {
            let base = range.start;
            let events = Parser::new_ext(&source.text[range], markdown_options())
                .into_offset_iter()
                .map(|(event, span)| (event.into_static(), span.start + base..span.end + base))
                .collect();
            Segment { kind, events }
        })
        .collect();
    let mut policy = Policy::new("imported".to_string(), source, meta, dates, segments);
    crate::analyse::structure::analyse(&mut policy, &mut diagnostics);
    (Some(policy), diagnostics)
}

static DUPLICATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^duplicate id `([^`]+)`").unwrap());

/// The content file as written, what the analysis counted, and the errors a build would
/// report on it (none, unless the importer has a bug: then the file must not be written).
pub struct Emitted {
    /// The content file's text.
    pub markdown: String,
    /// What the clause analysis counted in it.
    pub stats: ImportStats,
    /// The errors a build would report on it.
    pub errors: Vec<Diagnostic>,
}

/// Writes the content file and loads it as a build would.
pub fn emit(meta: &PolicyMeta, blocks: &[Block], notes: &mut Vec<Note>) -> Emitted {
    let front = front_matter_text(meta);
    let mut pins = initial_pins(blocks);
    let mut rendered = render(&front, blocks, &pins);
    let mut analysed = analyse(&rendered.text);
    for _ in 0..8 {
        let (Some(policy), diagnostics) = &analysed else { break };
        let mut used: HashSet<String> = policy.sections.iter().map(|s| s.id.clone()).collect();
        used.extend(policy.clauses.iter().map(|c| c.id.clone()));
        let mut changed = false;
        for d in diagnostics.errors() {
            let Some(c) = DUPLICATE.captures(&d.message) else { continue };
            let Some(unit) = rendered.unit_lines.iter().position(|&l| l == d.line) else { continue };
            if pins.contains_key(&unit) && pins[&unit] != c[1] {
                continue;
            }
            let id = unique(&c[1], &used);
            used.insert(id.clone());
            pins.insert(unit, id);
            changed = true;
        }
        if !changed {
            break;
        }
        rendered = render(&front, blocks, &pins);
        analysed = analyse(&rendered.text);
    }
    let mut pinned: Vec<(usize, &String)> = pins.iter().map(|(u, id)| (*u, id)).collect();
    pinned.sort();
    let unit_nos = unit_source_lines(blocks);
    for (unit, id) in pinned {
        let no = unit_nos.get(unit).copied().unwrap_or(0);
        notes.push(Note::repaired(
            no,
            format!("pinned the id `{id}` here, because the id it would get is taken"),
        ));
    }
    let (policy, diagnostics) = analysed;
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(Diagnostic::is_error);
    for d in warnings {
        notes.push(Note::unsure(0, format!("the imported file has a warning: {}", d.message)));
    }
    let stats = policy
        .map(|p| ImportStats {
            headings: p.sections.len(),
            clauses: p.clauses.len(),
            numbered_clauses: p.clauses.iter().filter(|c| c.number.is_some()).count(),
            blocks: p.segments.iter().filter(|s| s.kind != SegmentKind::Policy).count(),
        })
        .unwrap_or_default();
    Emitted { markdown: rendered.text, stats, errors }
}

/// The source line of each unit, in the order units are rendered.
fn unit_source_lines(blocks: &[Block]) -> Vec<usize> {
    let mut out = Vec::new();
    fn walk(blocks: &[Block], out: &mut Vec<usize>) {
        for block in blocks {
            match block {
                Block::Heading { no, .. } | Block::Para { no, .. } | Block::Table { no, .. } => out.push(*no),
                Block::List { items } => out.extend(items.iter().map(|i| i.no)),
                Block::Div { blocks, .. } => walk(blocks, out),
            }
        }
    }
    walk(blocks, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_are_escaped() {
        assert_eq!(escape_line_start("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line_start("1. Not a list"), "1\\. Not a list");
        assert_eq!(escape_line_start("1.1 A clause"), "1.1 A clause");
        assert_eq!(escape_line_start("- dash"), "\\- dash");
        assert_eq!(escape_line_start("::: cover"), "\\::: cover");
        assert_eq!(escape_line_start("---"), "\\---");
        assert_eq!(escape_line_start("**Bold** start"), "**Bold** start");
    }

    #[test]
    fn duplicate_headings_are_pinned() {
        let meta = PolicyMeta {
            school: "A School".into(),
            title: "Policy".into(),
            source: "a.txt".into(),
            ..Default::default()
        };
        let heading = |text: &str| Block::Heading { no: 1, level: 2, text: text.into() };
        let para = |text: &str| Block::Para { no: 1, lines: vec![text.into()] };
        let blocks = vec![
            heading("Section 2: Practice"),
            para("2.1 First."),
            heading("2. Publication of Information"),
            para("2.1 Again."),
            heading("Staff"),
            para("Text."),
            heading("Staff"),
            para("Text."),
        ];
        let mut notes = Vec::new();
        let Emitted { markdown, stats, errors } = emit(&meta, &blocks, &mut notes);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            markdown.contains("## 2. Publication of Information {#publication-of-information}"),
            "{markdown}"
        );
        assert!(markdown.contains("## Staff {#staff-staff}"), "{markdown}");
        assert!(markdown.contains("2.1 Again. {#2.1-2}"), "{markdown}");
        let (_, diagnostics) = analyse(&markdown);
        assert!(diagnostics.is_empty(), "{:?}", diagnostics.into_vec());
        assert_eq!(stats.headings, 4);
    }
}
