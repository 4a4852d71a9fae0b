//! Load: reads everything a site is made of — `site.toml`, the policy files in `content/`,
//! the data kept as content (glossary, concerns, topics, references, search words) and the
//! theme — into [`Sources`]. It is the only stage that reads files.
//!
//! Loading checks what can be checked without understanding the text: encoding, size, front
//! matter, fenced divs, and Markdown that is not allowed (raw HTML, unsafe links). Every problem
//! becomes a [`Diagnostic`]; a file with an error is left out so the others can still be
//! checked.

pub mod config;
pub mod divs;
pub mod front_matter;
pub mod glossary;
pub mod references;
pub mod theme;
pub mod topics;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, mebibytes, toml_diagnostic};
use crate::model::{
    Concern, Glossary, PolicyDates, PolicyMeta, Reference, Segment, SegmentKind, SiteConfig, Topic,
};
use crate::search::SearchConfig;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use std::ops::Range;
use std::path::{Path, PathBuf};
use theme::Theme;
use topics::Curated;

/// Folder of the policy files, relative to the site root.
pub const CONTENT_DIR: &str = "content";

/// Largest content file accepted. A policy is tens of kilobytes; a file this size is a mistake
/// (a pasted PDF, a log) and would make pages nobody can read.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Markdown features policies may use. Smart punctuation stays off: the source's quotes are
/// reproduced as written.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH
}

/// Everything a site is made of, as read from disk: what analysis starts from.
#[derive(Debug)]
pub struct Sources {
    /// Folder holding `site.toml`.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub policies: Vec<PolicySource>,
    pub glossary: Glossary,
    /// The concerns reporting routes answer, from `content/concerns.toml`.
    pub concerns: Vec<Concern>,
    /// The topics policies are compared by, from `content/topics.toml`.
    pub topics: Vec<Topic>,
    /// Superseded guidance to look for, from `content/references.toml`.
    pub references: Vec<Reference>,
    /// Synonyms and question filler, from `content/search.toml`.
    pub search: SearchConfig,
    pub theme: Theme,
    /// The day review dates are judged against.
    pub today: jiff::civil::Date,
}

/// One policy file, read and parsed but not yet understood.
#[derive(Debug)]
pub struct PolicySource {
    /// Page name, from the content file's name (`holy-cross`).
    pub slug: String,
    pub source: SourceText,
    pub meta: PolicyMeta,
    /// The parsed dates of the front matter.
    pub dates: PolicyDates,
    /// The body, split into runs of policy text and of non-policy material.
    pub segments: Vec<Segment>,
    /// The editor's settled topics and stances (`content/topics/<slug>.toml`), if any.
    pub curated: Option<Curated>,
}

/// Reads the whole site. Returns `None` only when there is no usable `site.toml`.
pub fn load(root: &Path, today: jiff::civil::Date, diagnostics: &mut Diagnostics) -> Option<Sources> {
    let config = config::load(root, diagnostics);
    let glossary = glossary::load(root, diagnostics);
    let mut policies = Vec::new();
    for relative in policy_files(root, diagnostics) {
        if let Some(policy) = load_policy(root, &relative, diagnostics) {
            policies.push(policy);
        }
    }
    if policies.is_empty() && !diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::warning(CONTENT_DIR, "no policies found")
                .with_help("add a Markdown file per policy to content/ (see README, \"Content format\")"),
        );
    }
    let concerns = load_concerns(root, diagnostics);
    let topics = topics::load_topics(root, diagnostics);
    let references = references::load(root, diagnostics);
    let search = load_search(root, diagnostics);
    let config = config?;
    let theme = Theme::load(root, &config.theme, diagnostics);
    Some(Sources {
        root: root.to_path_buf(),
        config,
        policies,
        glossary,
        concerns,
        topics,
        references,
        search,
        theme,
        today,
    })
}

/// Path of the search words, relative to the site root.
pub const SEARCH_FILE: &str = "content/search.toml";

/// Reads `content/search.toml`; a site without one searches without synonyms or filler.
fn load_search(root: &Path, diagnostics: &mut Diagnostics) -> SearchConfig {
    let Some(source) = read_source(root, Path::new(SEARCH_FILE), diagnostics, true) else {
        return SearchConfig::default();
    };
    match toml::from_str(&source.text) {
        Ok(config) => config,
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            SearchConfig::default()
        }
    }
}

/// Path of the concerns list, relative to the site root.
pub const CONCERNS_FILE: &str = "content/concerns.toml";

/// Reads the concerns routes answer; a site without routes needs none.
fn load_concerns(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Concern> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Concerns {
        #[serde(default)]
        concern: Vec<Concern>,
    }
    let Some(source) = read_source(root, Path::new(CONCERNS_FILE), diagnostics, true) else {
        return Vec::new();
    };
    match toml::from_str::<Concerns>(&source.text) {
        Ok(list) => list.concern,
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            Vec::new()
        }
    }
}

/// The `.md` files directly in `content/`, sorted, relative to the root.
fn policy_files(root: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join(CONTENT_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(CONTENT_DIR, format!("cannot read the content folder: {e}"))
                    .with_help("create content/ with one Markdown file per policy"),
            );
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| Some(Path::new(CONTENT_DIR).join(p.file_name()?)))
        .collect();
    files.sort();
    files
}

/// Reads a text file as UTF-8, reporting a missing file (unless `optional`), an oversized one,
/// or what keeps it from being read as UTF-8 text with LF or CRLF line breaks.
pub fn read_source(
    root: &Path,
    relative: &Path,
    diagnostics: &mut Diagnostics,
    optional: bool,
) -> Option<SourceText> {
    let path = root.join(relative);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            diagnostics.push(
                Diagnostic::error(
                    relative,
                    format!(
                        "the file is {} ({} bytes); content files may be at most {}",
                        mebibytes(meta.len()),
                        meta.len(),
                        mebibytes(MAX_FILE_BYTES)
                    ),
                )
                .with_help("split the document, or check that the right file was saved here"),
            );
            return None;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && optional => return None,
        _ => {}
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(Diagnostic::error(relative, format!("cannot read the file: {e}")));
            return None;
        }
    };
    match decode_source(relative, bytes) {
        Ok(source) => Some(source),
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            None
        }
    }
}

const SAVE_AS_UTF8: &str = "save the file as UTF-8 (in Notepad: File › Save as › Encoding: UTF-8; in Word: Plain Text, Unicode (UTF-8))";

/// The text of a source file: UTF-8, one optional byte-order mark, LF or CRLF line breaks.
/// Anything else is refused with its cause, since it would otherwise surface as a puzzling
/// error further on (a file that seems to have no front matter, or one long line).
fn decode_source(relative: &Path, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    if looks_like_utf16(&bytes) {
        return Err(Diagnostic::error(relative, "the file is UTF-16 text; content files must be UTF-8")
            .at_line(1, 1)
            .with_help(SAVE_AS_UTF8));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = SourceText::new(relative, String::from_utf8_lossy(e.as_bytes()).into_owned());
            return Err(Diagnostic::error(
                relative,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", e.as_bytes()[valid]),
            )
            .at(&lossy, valid)
            .with_help("save the file as UTF-8; text pasted from Word is often Windows-1252"));
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
    if text.starts_with('\u{feff}') {
        return Err(Diagnostic::error(
            relative,
            "the file starts with two byte-order marks (U+FEFF); the second would be read as text",
        )
        .at_line(1, 1)
        .with_help("delete the invisible character at the start of the file, or save it again as UTF-8"));
    }
    let source = SourceText::new(relative, text);
    let bytes = source.text.as_bytes();
    if let Some(at) = (0..bytes.len()).find(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
        let message = if bytes.contains(&b'\n') {
            "a line ends in a carriage return (CR) alone; lines must end in LF or CRLF"
        } else {
            "the file's lines end in a carriage return (CR) alone, as on classic Mac OS; lines must end in LF or CRLF"
        };
        return Err(Diagnostic::error(relative, message)
            .at(&source, at)
            .with_help("save the file with Unix (LF) or Windows (CRLF) line endings"));
    }
    Ok(source)
}

/// UTF-16: a UTF-16 byte-order mark, or text whose every other byte is NUL (ASCII in UTF-16
/// without a mark). NUL is valid UTF-8, so the UTF-8 check alone would let it through.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs = bytes.len() / 2;
    let nul_at = |parity: usize| bytes.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    pairs >= 2 && (nul_at(0) * 2 > pairs || nul_at(1) * 2 > pairs)
}

fn load_policy(root: &Path, relative: &Path, diagnostics: &mut Diagnostics) -> Option<PolicySource> {
    let source = read_source(root, relative, diagnostics, false)?;
    let slug = relative.file_stem()?.to_string_lossy().into_owned();
    if !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        diagnostics.push(
            Diagnostic::error(relative, format!("`{slug}` cannot be a page name"))
                .with_help("name policy files in lower case with hyphens, e.g. content/holy-cross.md"),
        );
        return None;
    }
    let split = front_matter::split(&source, diagnostics)?;
    let meta = front_matter::parse(&source, &split, diagnostics);
    let dates = meta
        .as_ref()
        .map(|meta| front_matter::parse_dates(&source, &split, meta, diagnostics))
        .unwrap_or_default();
    let segments = divs::split(&source, split.body_start..source.text.len(), diagnostics)
        .into_iter()
        .map(|(kind, range)| parse_segment(&source, kind, range, diagnostics))
        .collect();
    let curated = topics::load_curated(root, &slug, diagnostics);
    Some(PolicySource { slug, source, meta: meta?, dates, segments, curated })
}

/// URL schemes a content link may use. Anything else (`javascript:`, `data:`) is dropped.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Parses one run of Markdown, neutralising what content may not do: raw HTML becomes visible
/// text and links with unsafe schemes lose their link.
fn parse_segment(
    source: &SourceText,
    kind: SegmentKind,
    range: Range<usize>,
    diagnostics: &mut Diagnostics,
) -> Segment {
    let base = range.start;
    let mut events = Vec::new();
    let mut dropped_links = Vec::new();
    let mut warned_html = false;
    for (event, span) in Parser::new_ext(&source.text[range], markdown_options()).into_offset_iter() {
        let span = span.start + base..span.end + base;
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                if !warned_html {
                    warned_html = true;
                    diagnostics.push(
                        Diagnostic::warning(
                            source.path(),
                            "raw HTML is not allowed in content; it is shown as text",
                        )
                        .at(source, span.start)
                        .with_help("write it in Markdown instead (lists, **bold**, [links](https://...))"),
                    );
                }
                Event::Text(CowStr::from(html.into_string()))
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !is_safe_url(&dest_url) =>
            {
                diagnostics.push(
                    Diagnostic::warning(
                        source.path(),
                        format!(
                            "link to `{dest_url}` removed: only http, https, mailto and tel links are allowed"
                        ),
                    )
                    .at(source, span.start),
                );
                dropped_links.push(events.len());
                continue;
            }
            Event::End(end @ (pulldown_cmark::TagEnd::Link | pulldown_cmark::TagEnd::Image)) => {
                // Drop the end of a link whose start was dropped (links do not nest).
                if dropped_links.pop().is_some() {
                    continue;
                }
                Event::End(end)
            }
            other => other,
        };
        events.push((event.into_static(), span));
    }
    Segment { kind, events }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_and_phone_links_are_safe() {
        assert!(is_safe_url("https://example.org"));
        assert!(is_safe_url("mailto:office@example.sch.uk"));
        assert!(is_safe_url("#section-1"));
        assert!(is_safe_url("other.html?a=b:c"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JavaScript:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
    }
}
