//! `.docx`: reads a Word document's WordprocessingML with a zip reader and a streaming XML
//! parser. No external converter.
//!
//! What is read:
//!
//! - `word/document.xml` (or the part `_rels/.rels` names as the main document): paragraphs
//!   (`w:p`) in order, their runs' text (`w:t`) joined however many runs a word is split across,
//!   tabs (`w:tab`), line breaks (`w:br`, `w:cr`) kept as line breaks inside the paragraph;
//!   bold (`w:b`) and italic (`w:i`) runs as `**…**` / `*…*`; tables (`w:tbl`, nested ones
//!   flattened into their cell); text in hyperlinks, fields' results, content controls and text
//!   boxes. Deleted revisions (`w:del`), field codes and the fallback copy of alternate content
//!   are skipped, so no text is doubled.
//! - `word/styles.xml`: which paragraph styles are headings (`heading N`, or an outline level)
//!   and the Title style, following `w:basedOn`; a style's own numbering.
//! - `word/numbering.xml`: list numbering (`w:numPr`) is worked out as Word shows it — `1.`,
//!   `1.1`, `a)` — from each level's `w:lvlText`, `w:numFmt` and `w:start`; bulleted levels
//!   become list items, numbered ones keep their number in the text so that `1.1` becomes a
//!   numbered clause.
//!
//! Footnotes and endnotes (`word/footnotes.xml`, `word/endnotes.xml`) are added at the end, so
//! no text is lost. Headers, footers and comments are not read: they are page furniture.

use super::lines::{Hint, RawLine, escape_inline};
use super::{Document, ImportError, MAX_DOCX_XML_BYTES, MAX_TEXT_BYTES, Note};
use crate::diagnostics::mebibytes;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

const RESAVE: &str = "open it in Word (or LibreOffice) and save it again as \"Word Document (.docx)\"";

/// Reads a `.docx` file's paragraphs as raw lines.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Document, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        ImportError::new(
            path,
            format!("is not a valid .docx file: its zip archive cannot be read ({e}); the file may be damaged or cut short"),
            RESAVE,
        )
    })?;
    let main = read_part(path, &mut archive, "_rels/.rels")?
        .and_then(|rels| main_part(&rels))
        .unwrap_or_else(|| "word/document.xml".to_string());
    let Some(document) = read_part(path, &mut archive, &main)? else {
        let names: Vec<String> = archive.file_names().filter_map(Result::ok).map(|n| n.to_string()).collect();
        let kind = if names.iter().any(|n| n.starts_with("xl/")) {
            " (it looks like an Excel workbook)"
        } else if names.iter().any(|n| n.starts_with("ppt/")) {
            " (it looks like a PowerPoint presentation)"
        } else {
            ""
        };
        return Err(ImportError::new(
            path,
            format!("is a zip archive but not a Word document: it has no {main}{kind}"),
            RESAVE,
        ));
    };
    let styles = match read_part(path, &mut archive, "word/styles.xml")? {
        Some(xml) => parse_styles(&xml),
        None => HashMap::new(),
    };
    let numbering = match read_part(path, &mut archive, "word/numbering.xml")? {
        Some(xml) => parse_numbering(&xml),
        None => Numbering::default(),
    };
    let mut lines = parse_document(path, &document, &styles, &numbering)?;
    if lines.iter().all(|l| l.text.trim().is_empty() && !matches!(l.hint, Hint::Table(_))) {
        return Err(ImportError::new(path, "the Word document has no text", RESAVE));
    }
    // Footnotes and endnotes are text of the document too: they go at the end.
    let mut notes = vec![Note::repaired(
        0,
        "read from a Word document: line numbers in this report are paragraph numbers (a table counts as one)",
    )];
    for (part, what) in [("word/footnotes.xml", "footnotes"), ("word/endnotes.xml", "endnotes")] {
        let Some(xml) = read_part(path, &mut archive, part)? else { continue };
        let Ok(extra) = parse_document(path, &xml, &styles, &numbering) else { continue };
        let extra: Vec<RawLine> = extra.into_iter().filter(|l| !l.text.trim().is_empty()).collect();
        if extra.is_empty() {
            continue;
        }
        let first = lines.len() + 1;
        notes.push(Note::placed(
            first,
            format!("the document's {what} are at the end, from paragraph {first}"),
        ));
        for (k, mut line) in extra.into_iter().enumerate() {
            line.no = first + k;
            lines.push(line);
        }
    }
    let size: usize = lines.iter().map(|l| l.text.len()).sum();
    if size as u64 > MAX_TEXT_BYTES {
        return Err(ImportError::new(
            path,
            format!(
                "the document's text is {}; import reads documents of at most {} of text",
                mebibytes(size as u64),
                mebibytes(MAX_TEXT_BYTES)
            ),
            "check that this is the policy you meant; if it is, split it into parts and import each",
        ));
    }
    Ok(Document { lines, notes })
}

/// The text of one part of the archive, or `None` if there is no such part.
fn read_part(
    path: &Path,
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ImportError> {
    let mut file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(why)) if why.to_lowercase().contains("password") => {
            return Err(ImportError::new(
                path,
                format!("is password-protected: {name} is encrypted"),
                "open it in Word, remove the password and save it as \"Word Document (.docx)\" without a password",
            ));
        }
        Err(e) => {
            return Err(ImportError::new(path, format!("cannot read {name} from the .docx: {e}"), RESAVE));
        }
    };
    if file.size() > MAX_DOCX_XML_BYTES {
        return Err(ImportError::new(
            path,
            format!(
                "its {name} unpacks to {}, more than the {} import reads",
                mebibytes(file.size()),
                mebibytes(MAX_DOCX_XML_BYTES)
            ),
            "check that this is the policy you meant; if it is, split it into parts and import each",
        ));
    }
    let mut bytes = Vec::new();
    (&mut file)
        .take(MAX_DOCX_XML_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::new(path, format!("cannot unpack {name} from the .docx: {e}"), RESAVE))?;
    if bytes.len() as u64 > MAX_DOCX_XML_BYTES {
        return Err(ImportError::new(
            path,
            format!("its {name} unpacks to more than the {} import reads", mebibytes(MAX_DOCX_XML_BYTES)),
            "check that this is the policy you meant; if it is, split it into parts and import each",
        ));
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(Some(text.into_owned()));
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        ImportError::new(path, format!("{name} in the .docx is not valid UTF-8 XML ({e})"), RESAVE)
    })
}

/// The main document part named by the package relationships.
fn main_part(rels: &str) -> Option<String> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().as_ref() == "Relationship"
                    && attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument")) =>
            {
                return attr(&e, "Target").map(|t| t.trim_start_matches('/').to_string());
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// An attribute's value by its local name (whatever its namespace prefix).
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// `w:val` read as an on/off switch (`<w:b/>` is on; `w:val="0"`/`false`/`off` is off).
fn switch_on(e: &BytesStart) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off" | "none"))
}

// ---------------------------------------------------------------------------------------------
// Styles

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

fn parse_styles(xml: &str) -> HashMap<String, Style> {
    let mut styles = HashMap::new();
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut current: Option<(String, Style)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name();
                match name.as_ref() {
                    "style" => {
                        current = attr(&e, "styleId").map(|id| (id, Style::default()));
                    }
                    "name" => {
                        if let Some((_, style)) = &mut current {
                            style.name = attr(&e, "val").unwrap_or_default();
                        }
                    }
                    "basedOn" => {
                        if let Some((_, style)) = &mut current {
                            style.based_on = attr(&e, "val");
                        }
                    }
                    "outlineLvl" => {
                        if let Some((_, style)) = &mut current {
                            style.outline = attr(&e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    "numId" => {
                        if let Some((_, style)) = &mut current {
                            style.num_id = attr(&e, "val");
                        }
                    }
                    "ilvl" => {
                        if let Some((_, style)) = &mut current {
                            style.ilvl = attr(&e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let Some((id, style)) = current.take() {
                    styles.insert(id, style);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// What a paragraph style makes a paragraph: a heading of some level, the title, or neither;
/// and the numbering it brings.
fn style_role(styles: &HashMap<String, Style>, id: &str) -> (Hint, Option<(String, u8)>) {
    let mut hint = None;
    let mut num = None;
    let mut next = Some(id.to_string());
    for _ in 0..12 {
        let Some(id) = next.take() else { break };
        let style = styles.get(&id);
        let name = style.map_or(id.to_lowercase(), |s| s.name.to_lowercase());
        let by_id = id.to_lowercase();
        if hint.is_none() {
            if name == "title" || by_id == "title" {
                hint = Some(Hint::Title);
            } else if let Some(level) = heading_level(&name).or_else(|| heading_level(&by_id)) {
                hint = Some(Hint::Heading(level));
            } else if let Some(outline) = style.and_then(|s| s.outline).filter(|&o| o < 9) {
                hint = Some(Hint::Heading(outline + 1));
            }
        }
        if num.is_none()
            && let Some(style) = style
            && let Some(num_id) = &style.num_id
        {
            num = Some((num_id.clone(), style.ilvl.unwrap_or(0)));
        }
        next = style.and_then(|s| s.based_on.clone());
    }
    (hint.unwrap_or(Hint::Plain), num)
}

/// `heading 2` / `Heading2` → 2.
fn heading_level(name: &str) -> Option<u8> {
    let rest = name.strip_prefix("heading")?.trim();
    rest.parse().ok().filter(|n| (1..=9).contains(n))
}

// ---------------------------------------------------------------------------------------------
// Numbering

#[derive(Debug, Default, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

#[derive(Debug, Default)]
struct Numbering {
    /// abstractNumId → levels by ilvl.
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides by ilvl).
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

fn parse_numbering(xml: &str) -> Numbering {
    let mut numbering = Numbering::default();
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut abstract_id: Option<String> = None;
    let mut num_id: Option<String> = None;
    let mut level: Option<(u8, Level)> = None;
    let mut override_level: Option<u8> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "abstractNum" => abstract_id = attr(&e, "abstractNumId"),
                "num" => {
                    num_id = attr(&e, "numId");
                    if let Some(id) = &num_id {
                        numbering.nums.insert(id.clone(), (String::new(), HashMap::new()));
                    }
                }
                "abstractNumId" => {
                    if let (Some(id), Some(val)) = (&num_id, attr(&e, "val"))
                        && let Some(entry) = numbering.nums.get_mut(id)
                    {
                        entry.0 = val;
                    }
                }
                "lvl" if abstract_id.is_some() => {
                    let ilvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((ilvl, Level { start: 1, format: "decimal".into(), text: String::new() }));
                }
                "lvlOverride" => override_level = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some(id), Some(ilvl), Some(start)) =
                        (&num_id, override_level, attr(&e, "val").and_then(|v| v.parse().ok()))
                        && let Some(entry) = numbering.nums.get_mut(id)
                    {
                        entry.1.insert(ilvl, start);
                    }
                }
                "start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(&e, "val").unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(&e, "val").unwrap_or_default();
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "lvl" => {
                    if let (Some(id), Some((ilvl, l))) = (&abstract_id, level.take()) {
                        numbering.abstracts.entry(id.clone()).or_default().insert(ilvl, l);
                    }
                }
                "abstractNum" => abstract_id = None,
                "num" => num_id = None,
                "lvlOverride" => override_level = None,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    numbering
}

/// What a numbered paragraph's number is, as Word shows it.
enum Label {
    Bullet,
    /// A lettered or roman label ("a)", "(ii)"): a list item that keeps its label.
    Lettered(String),
    /// A decimal number ("1.", "1.1"): kept at the start of the text.
    Number(String),
    None,
}

/// List counters, per list (numId), as the document is read.
#[derive(Default)]
struct Counters {
    by_num: HashMap<String, [Option<u32>; 9]>,
}

impl Counters {
    fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: u8) -> Label {
        let Some((abstract_id, overrides)) = numbering.nums.get(num_id) else { return Label::None };
        let Some(levels) = numbering.abstracts.get(abstract_id) else { return Label::None };
        let ilvl = ilvl.min(8);
        let Some(level) = levels.get(&ilvl) else { return Label::None };
        let start =
            |l: u8| overrides.get(&l).copied().or_else(|| levels.get(&l).map(|lv| lv.start)).unwrap_or(1);
        let counters = self.by_num.entry(num_id.to_string()).or_default();
        let i = ilvl as usize;
        counters[i] = Some(counters[i].map_or(start(ilvl), |n| n + 1));
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        match level.format.as_str() {
            "bullet" => return Label::Bullet,
            "none" => return Label::None,
            _ => {}
        }
        let mut text = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let l = (d.saturating_sub(1) as u8).min(8);
                let value = counters[l as usize].unwrap_or_else(|| start(l));
                let format = levels.get(&l).map_or("decimal", |lv| lv.format.as_str());
                text.push_str(&format_number(value, format));
            } else {
                text.push(c);
            }
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            return Label::None;
        }
        match level.format.as_str() {
            "lowerLetter" | "upperLetter" | "lowerRoman" | "upperRoman" => Label::Lettered(text),
            _ => Label::Number(text),
        }
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n),
        "upperLetter" => letters(n).to_uppercase(),
        "lowerRoman" => roman(n),
        "upperRoman" => roman(n).to_uppercase(),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

fn letters(n: u32) -> String {
    // Word repeats the letter past z: aa, bb, ...
    let n = n.max(1) - 1;
    let letter = (b'a' + (n % 26) as u8) as char;
    letter.to_string().repeat(n as usize / 26 + 1)
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Document

#[derive(Default)]
struct Run {
    text: String,
    bold: bool,
    italic: bool,
}

#[derive(Default)]
struct Para {
    runs: Vec<Run>,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

impl Para {
    fn push(&mut self, text: &str, bold: bool, italic: bool) {
        match self.runs.last_mut() {
            Some(run) if run.bold == bold && run.italic == italic => run.text.push_str(text),
            _ => self.runs.push(Run { text: text.to_string(), bold, italic }),
        }
    }

    /// The paragraph as inline Markdown: text escaped, bold and italic runs marked.
    fn markdown(&self) -> String {
        let mut out = String::new();
        for run in &self.runs {
            let escaped = escape_inline(&run.text, false);
            let marker = match (run.bold, run.italic) {
                (true, true) => "***",
                (true, false) => "**",
                (false, true) => "*",
                (false, false) => "",
            };
            let core = escaped.trim();
            if marker.is_empty() || core.is_empty() {
                out.push_str(&escaped);
                continue;
            }
            let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
            let trail = &escaped[escaped.trim_end().len()..];
            out.push_str(lead);
            out.push_str(marker);
            out.push_str(core);
            out.push_str(marker);
            out.push_str(trail);
        }
        out
    }
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: Vec<String>,
}

/// Elements whose content is never shown as text.
const SKIPPED: [&str; 6] = ["del", "moveFrom", "Fallback", "instrText", "delText", "commentReference"];

fn parse_document(
    path: &Path,
    xml: &str,
    styles: &HashMap<String, Style>,
    numbering: &Numbering,
) -> Result<Vec<RawLine>, ImportError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut lines: Vec<RawLine> = Vec::new();
    let mut counters = Counters::default();
    let mut paras: Vec<Para> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut skip = 0usize;
    let mut in_ppr = 0usize;
    let mut in_rpr = false;
    let mut in_text = false;
    let (mut bold, mut italic) = (false, false);
    let mut no = 0usize;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            ImportError::new(
                path,
                format!(
                    "the .docx's document.xml is not well-formed XML (near byte {}): {e}",
                    reader.buffer_position()
                ),
                RESAVE,
            )
        })?;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if skip > 0 || SKIPPED.contains(&name) {
                    skip += 1;
                    continue;
                }
                match name {
                    "p" => paras.push(Para::default()),
                    "pPr" => in_ppr += 1,
                    "pStyle" if in_ppr > 0 => {
                        if let Some(p) = paras.last_mut() {
                            p.style = attr(&e, "val");
                        }
                    }
                    "numId" if in_ppr > 0 => {
                        if let Some(p) = paras.last_mut() {
                            p.num_id = attr(&e, "val");
                        }
                    }
                    "ilvl" if in_ppr > 0 => {
                        if let Some(p) = paras.last_mut() {
                            p.ilvl = attr(&e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    "r" => (bold, italic) = (false, false),
                    "rPr" if in_ppr == 0 => in_rpr = true,
                    "b" if in_rpr => bold = switch_on(&e),
                    "i" if in_rpr => italic = switch_on(&e),
                    "rStyle"
                        if in_rpr && attr(&e, "val").is_some_and(|s| s.to_lowercase().contains("strong")) =>
                    {
                        bold = true;
                    }
                    "t" if in_ppr == 0 => in_text = true,
                    "tab" if in_ppr == 0 => push_text(&mut paras, "\t", bold, italic),
                    "br" | "cr" if in_ppr == 0 => push_text(&mut paras, "\n", bold, italic),
                    "noBreakHyphen" => push_text(&mut paras, "-", bold, italic),
                    "sym" => {
                        let c = attr(&e, "char")
                            .and_then(|h| u32::from_str_radix(&h, 16).ok())
                            .and_then(char::from_u32)
                            .filter(|c| !('\u{e000}'..='\u{f8ff}').contains(c));
                        if let Some(c) = c {
                            push_text(&mut paras, &c.to_string(), bold, italic);
                        }
                    }
                    "tbl" => tables.push(Table::default()),
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell.clear();
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "pPr" => in_ppr = in_ppr.saturating_sub(1),
                    "rPr" => in_rpr = false,
                    "t" => in_text = false,
                    "p" => {
                        let Some(para) = paras.pop() else { continue };
                        let (text, hint) = finish_paragraph(&para, styles, numbering, &mut counters);
                        // A paragraph inside a paragraph (a text box) or inside a table cell.
                        if let Some(table) = tables.last_mut().filter(|_| paras.is_empty()) {
                            if !text.trim().is_empty() {
                                table.cell.push(text.replace('\n', " "));
                            }
                        } else {
                            no += 1;
                            lines.push(RawLine { no, text, hint });
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            let cell = t.cell.join(" ");
                            t.row.push(cell);
                            t.cell.clear();
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            let row = std::mem::take(&mut t.row);
                            t.rows.push(row);
                        }
                    }
                    "tbl" => {
                        let Some(table) = tables.pop() else { continue };
                        match tables.last_mut() {
                            // A nested table: its text goes into the outer table's cell.
                            Some(outer) => {
                                for row in table.rows {
                                    let text = row.join(" ");
                                    if !text.trim().is_empty() {
                                        outer.cell.push(text);
                                    }
                                }
                            }
                            None => {
                                no += 1;
                                lines.push(table_line(no, table.rows));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip == 0 => {
                push_text(&mut paras, &t.xml10_content(), bold, italic);
            }
            Event::CData(t) if in_text && skip == 0 => {
                push_text(&mut paras, &t, bold, italic);
            }
            Event::GeneralRef(r) if in_text && skip == 0 => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                // A reference XML does not define (`&nbsp;`, `&#0;`) is kept as written.
                let text = c.map_or_else(|| format!("&{};", r.as_ref()), String::from);
                push_text(&mut paras, &text, bold, italic);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        return Err(ImportError::new(
            path,
            "the .docx's document.xml stops in the middle of the document (it is cut short or damaged)",
            RESAVE,
        ));
    }
    Ok(lines)
}

fn push_text(paras: &mut [Para], text: &str, bold: bool, italic: bool) {
    if let Some(p) = paras.last_mut() {
        p.push(text, bold, italic);
    }
}

/// A paragraph's text (with its list number, if any) and what its style makes it.
fn finish_paragraph(
    para: &Para,
    styles: &HashMap<String, Style>,
    numbering: &Numbering,
    counters: &mut Counters,
) -> (String, Hint) {
    let (mut hint, style_num) = match &para.style {
        Some(id) => style_role(styles, id),
        None => (Hint::Plain, None),
    };
    let mut text = para.markdown();
    let num = match (&para.num_id, style_num) {
        (Some(id), style) => Some((id.clone(), para.ilvl.or(style.map(|s| s.1)).unwrap_or(0))),
        (None, Some((id, ilvl))) => Some((id, para.ilvl.unwrap_or(ilvl))),
        (None, None) => None,
    };
    if text.trim().is_empty() {
        return (String::new(), Hint::Plain);
    }
    if let Some((num_id, ilvl)) = num.filter(|(id, _)| id != "0") {
        match counters.next(numbering, &num_id, ilvl) {
            Label::Bullet if hint == Hint::Plain => hint = Hint::Bullet(ilvl),
            Label::Lettered(label) if hint == Hint::Plain => {
                hint = Hint::Bullet(ilvl);
                text = format!("{} {}", escape_inline(&label, false), text.trim_start());
            }
            Label::Number(label) | Label::Lettered(label) => {
                text = format!("{} {}", escape_inline(&label, false), text.trim_start());
            }
            Label::Bullet | Label::None => {}
        }
    }
    (text, hint)
}

fn table_line(no: usize, rows: Vec<Vec<String>>) -> RawLine {
    let rows: Vec<Vec<String>> =
        rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if width <= 1 {
        // A one-column table is a box around paragraphs: keep them as paragraphs.
        let text = rows.into_iter().map(|r| r.join(" ")).collect::<Vec<_>>().join("\n");
        return RawLine { no, text, hint: Hint::Plain };
    }
    RawLine { no, text: String::new(), hint: Hint::Table(rows) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(letters(1), "a");
        assert_eq!(letters(27), "aa");
        assert_eq!(roman(14), "xiv");
        assert_eq!(format_number(3, "upperLetter"), "C");
        assert_eq!(heading_level("heading 2"), Some(2));
        assert_eq!(heading_level("heading1"), Some(1));
        assert_eq!(heading_level("header"), None);
    }
}
