//! Load: reads everything a site is made of — `site.toml`, the policy files in `content/`,
//! the data kept as content (glossary, concerns, topics, references, search words: built-in
//! defaults extended by the site's own files, [`defaults`]) and the theme — into [`Sources`].
//! It is the only stage that reads files.
//!
//! Loading checks what can be checked without understanding the text: encoding, size, front
//! matter, fenced divs, and Markdown that is not allowed (raw HTML, unsafe links). Every problem
//! becomes a [`Diagnostic`]; a file with an error is left out so the others can still be
//! checked.

pub mod config;
pub mod defaults;
pub mod divs;
pub mod files;
pub mod front_matter;
pub mod glossary;
pub mod references;
pub mod search;
pub mod theme;
pub mod topics;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::model::{
    Concern, DefaultsUse, Glossary, PolicyDates, PolicyMeta, Reference, Segment, SegmentKind, SiteConfig,
    Topic,
};
use crate::search::SearchConfig;
pub use files::{MAX_FILE_BYTES, read_source};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use theme::Theme;
use topics::Curated;

/// Folder of the policy files, relative to the site root.
pub const CONTENT_DIR: &str = "content";

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
    /// The contents of `site.toml`.
    pub config: SiteConfig,
    /// The policy files, in load order.
    pub policies: Vec<PolicySource>,
    /// Abbreviations and their expansions, from `content/glossary.toml`.
    pub glossary: Glossary,
    /// The concerns reporting routes answer: built in and from `content/concerns.toml`.
    pub concerns: Vec<Concern>,
    /// The topics policies are compared by: built in and from `content/topics.toml`.
    pub topics: Vec<Topic>,
    /// Superseded guidance to look for: built in and from `content/references.toml`.
    pub references: Vec<Reference>,
    /// Synonyms and question filler: built in and from `content/search.toml`.
    pub search: SearchConfig,
    /// What the site's own files changed of the built-in defaults.
    pub defaults: DefaultsUse,
    /// The theme's templates and assets, with the site's overrides.
    pub theme: Theme,
    /// The day review dates are judged against.
    pub today: jiff::civil::Date,
}

/// One policy file, read and parsed but not yet understood.
#[derive(Debug)]
pub struct PolicySource {
    /// Page name, from the content file's name (`holy-cross`).
    pub slug: String,
    /// The content file: its path and full text.
    pub source: SourceText,
    /// The front matter as written.
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
    let files = policy_files(root, diagnostics);
    let slugs: Vec<String> =
        files.iter().filter_map(|f| Some(f.file_stem()?.to_string_lossy().into_owned())).collect();
    let mut policies = Vec::new();
    for relative in &files {
        if let Some(policy) = load_policy(root, relative, diagnostics) {
            policies.push(policy);
        }
    }
    if policies.is_empty() && !diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::warning(CONTENT_DIR, "no policies found")
                .with_help("add a Markdown file per policy to content/ (see README, \"Content format\")"),
        );
    }
    topics::report_unused_curated(root, &slugs, diagnostics);
    let knowledge = defaults::load(root, diagnostics);
    let (config, config_source) = config?;
    let theme = Theme::load(root, &config.theme, diagnostics);
    config::check_names(&config, &config_source, &slugs, &theme, diagnostics);
    Some(Sources {
        root: root.to_path_buf(),
        config,
        policies,
        glossary: knowledge.glossary,
        concerns: knowledge.concerns,
        topics: knowledge.topics,
        references: knowledge.references,
        search: knowledge.search,
        defaults: knowledge.uses,
        theme,
        today,
    })
}

/// Path of the concerns list, relative to the site root.
pub const CONCERNS_FILE: &str = "content/concerns.toml";

/// Parses a list of the concerns routes answer and its `[off]` table (list name → ids).
fn parse_concerns(
    source: &SourceText,
    diagnostics: &mut Diagnostics,
) -> (Vec<Concern>, BTreeMap<String, Vec<String>>) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Concerns {
        #[serde(default)]
        concern: Vec<Concern>,
        /// Built-in concerns to switch off: `concern = ["id", ...]`.
        #[serde(default)]
        off: BTreeMap<String, Vec<String>>,
    }
    match toml::from_str::<Concerns>(&source.text) {
        Ok(list) => {
            let ids: Vec<&str> = list.concern.iter().map(|c| c.id.as_str()).collect();
            check_listed_ids(source, "concern", &ids, diagnostics);
            (list.concern, list.off)
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, 0));
            Default::default()
        }
    }
}

/// Byte offset of the `n`th (0-based) line that sets `key` (`key = ...`) in a TOML file, for
/// pointing at it; the start of the file if there is no such line.
pub fn nth_key_offset(source: &SourceText, key: &str, n: usize) -> usize {
    let mut offset = 0;
    let mut found = 0;
    for line in source.text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
            if found == n {
                return offset + (line.len() - trimmed.len());
            }
            found += 1;
        }
        offset += line.len();
    }
    0
}

/// Checks the ids of a list kept as content (topics, concerns): each a valid id, none twice.
/// Each id names a page, so these are what keeps a page from being lost.
fn check_listed_ids(source: &SourceText, what: &str, ids: &[&str], diagnostics: &mut Diagnostics) {
    let mut seen = std::collections::HashMap::new();
    for (index, id) in ids.iter().enumerate() {
        let count = seen.entry(*id).or_insert(0);
        *count += 1;
        let at = nth_key_offset(source, "id", index);
        if let Err(problem) = crate::model::ids::check_id(id) {
            diagnostics.push(
                Diagnostic::error(source.path(), format!("{what} id: {problem}"))
                    .at(source, at)
                    .with_help(crate::model::ids::ID_HELP),
            );
        } else if *count == 2 {
            diagnostics.push(
                Diagnostic::error(source.path(), format!("{what} `{id}` is defined twice"))
                    .at(source, at)
                    .with_help(format!("give each {what} its own id")),
            );
        }
    }
}

/// The `.md` files directly in `content/`, sorted, relative to the root. Everything named
/// `*.md` is returned, links and odd files included, so that the reader refuses them aloud;
/// Markdown files where they are not read (`*.MD`, subfolders) are reported.
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
    let mut files = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let relative = Path::new(CONTENT_DIR).join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let extension = relative.extension().map(|e| e.to_string_lossy().into_owned());
        match extension {
            _ if is_dir => report_markdown_below(root, &relative, diagnostics),
            Some(e) if e == "md" => files.push(relative),
            Some(e) if e.eq_ignore_ascii_case("md") => diagnostics.push(
                Diagnostic::error(&relative, format!("policy files end in `.md`, not `.{e}`"))
                    .with_help("rename the file with a lower-case .md ending"),
            ),
            _ => {}
        }
    }
    files.sort();
    files
}

/// Warns about Markdown files in a subfolder of `content/`, which are not policies.
fn report_markdown_below(root: &Path, folder: &Path, diagnostics: &mut Diagnostics) {
    // A few levels are enough to catch a misplaced policy without walking a large tree.
    let walk = walkdir::WalkDir::new(root.join(folder)).max_depth(3).sort_by_file_name();
    for entry in walk.into_iter().filter_map(Result::ok) {
        let is_markdown = entry.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if is_markdown && !entry.file_type().is_dir() {
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            diagnostics.push(
                Diagnostic::warning(shown, "this file is not read: policies go directly in content/")
                    .with_help(format!("move it to content/{}", entry.file_name().to_string_lossy())),
            );
        }
    }
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

/// Deepest nesting of lists and block quotes a policy may use. Policies nest two or three
/// levels; each level lengthens the ids of the clauses inside it, so deep nesting grows the
/// pages quadratically.
pub const MAX_NESTING: usize = 8;

/// Whether an image address points outside the site (a remote image would be fetched from
/// someone else's server on every page view).
fn is_remote(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//") || url.split_once(':').is_some_and(|(scheme, _)| !scheme.contains(['/', '?', '#']))
}

/// What to do with the end of a link or image whose start was read.
enum Closing {
    Keep,
    Drop,
    /// A remote image shown as a link: its address, and where the link starts in the events.
    AsLink(CowStr<'static>, usize),
}

/// Parses one run of Markdown, neutralising what content may not do: raw HTML becomes visible
/// text, links with unsafe schemes lose their link, remote images become links to the image,
/// and nesting deeper than [`MAX_NESTING`] is an error (the run is then left empty).
fn parse_segment(
    source: &SourceText,
    kind: SegmentKind,
    range: Range<usize>,
    diagnostics: &mut Diagnostics,
) -> Segment {
    let base = range.start;
    let mut events = Vec::new();
    let mut closing: Vec<Closing> = Vec::new();
    let mut depth = 0usize;
    let mut warned_html = false;
    for (event, span) in Parser::new_ext(&source.text[range], markdown_options()).into_offset_iter() {
        let span = span.start + base..span.end + base;
        let event = match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) if depth == MAX_NESTING => {
                diagnostics.push(
                    Diagnostic::error(
                        source.path(),
                        format!("lists and quotes are nested more than {MAX_NESTING} levels deep here"),
                    )
                    .at(source, span.start)
                    .with_help("flatten the list: policies need two or three levels at most"),
                );
                return Segment { kind, events: Vec::new() };
            }
            Event::Start(tag @ (Tag::List(_) | Tag::BlockQuote(_))) => {
                depth += 1;
                Event::Start(tag)
            }
            Event::End(end @ (TagEnd::List(_) | TagEnd::BlockQuote(_))) => {
                depth -= 1;
                Event::End(end)
            }
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
                closing.push(Closing::Drop);
                continue;
            }
            Event::Start(Tag::Image { dest_url, title, .. }) if is_remote(&dest_url) => {
                diagnostics.push(
                    Diagnostic::warning(
                        source.path(),
                        format!("the image `{dest_url}` is not on this site; it is shown as a link"),
                    )
                    .at(source, span.start)
                    .with_help("save the image in static/ and refer to it as /assets/<name>"),
                );
                if closing.is_empty() {
                    closing.push(Closing::AsLink(dest_url.clone().into_static(), events.len()));
                    Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url,
                        title,
                        id: CowStr::Borrowed(""),
                    })
                } else {
                    // Inside a link, which cannot hold another: only the description is kept.
                    closing.push(Closing::Drop);
                    continue;
                }
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                closing.push(Closing::Keep);
                Event::Start(tag)
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => match closing.pop() {
                Some(Closing::Drop) => continue,
                Some(Closing::AsLink(url, start)) => {
                    // An image without a description: the link shows the address.
                    if events.len() == start + 1 {
                        events.push((Event::Text(url), span.clone()));
                    }
                    Event::End(TagEnd::Link)
                }
                _ => Event::End(end),
            },
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

    #[test]
    fn images_with_a_scheme_or_host_are_remote() {
        assert!(is_remote("https://tracker.example/p.gif"));
        assert!(is_remote("//tracker.example/p.gif"));
        assert!(is_remote(" HTTP://x"));
        assert!(!is_remote("/assets/crest.png"));
        assert!(!is_remote("crest.png?v=1:2"));
    }
}
