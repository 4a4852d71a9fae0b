//! Import: turns a policy document (`.txt` or `.docx`) into a content file in the content
//! format (`docs/content-format.md`), ready to build.
//!
//! The importer never drops or changes the source's words. It only decides what each line *is*
//! — a heading, a numbered clause, a list item, a table, or material that is not policy (a
//! cover page, a brochure page, a contents list, a signature block, a document-control block) —
//! and writes the Markdown for it. Everything it cannot place goes in as a paragraph, and every
//! decision it was unsure about is reported with its line number ([`Note`]).
//!
//! Stages, one module each, each importing only those before it:
//!
//! 1. [`read`] — sniff and decode the file: size limits, legacy or encrypted Word files, binary
//!    files, UTF-8 / UTF-16 / Windows-1252 text; `.docx` through [`docx`] (zip + WordprocessingML).
//! 2. [`lines`] — clean page-break debris (lone page numbers, whitespace-only lines,
//!    non-breaking spaces), find tab-separated tables, strip bullet glyphs, and repair
//!    hard-wrapped lines.
//! 3. [`identity`] — the school's name and the policy's title.
//! 4. [`classify`] — cover, brochure, contents, signature and document-control material;
//!    headings, numbered clauses, lists (nested), tables and paragraphs.
//! 5. [`meta`] — dates and review cycle for the front matter, each date checked with
//!    [`crate::dates::parse_period`] / [`crate::dates::parse_cycle`].
//! 6. [`emit`] — the Markdown, with duplicate ids pinned (`{#...}`) and checked by running the
//!    real clause analysis ([`crate::analyse::structure`]) over the result.
//!
//! Once the file is written into a site's `content/` folder, [`topics`] writes the policy's
//! suggested topics (`content/topics/<slug>.toml`) for an editor to accept.
//!
//! Under them all, [`cues`] answers what one line looks like on its own (a labelled date, a
//! signature line, a numbered heading), so no stage has to ask a later one.
//!
//! # Limits
//!
//! A `.txt` file, and the text extracted from a `.docx`, may be at most [`MAX_TEXT_BYTES`]
//! (the same 5 MiB a content file may be, [`crate::content::MAX_FILE_BYTES`]): a policy is tens
//! of kilobytes, and the imported file has to load. A `.docx` may be at most [`MAX_DOCX_BYTES`]
//! on disk (it may carry pictures) and its `word/document.xml` at most [`MAX_DOCX_XML_BYTES`]
//! unpacked. Larger files are refused at once, before they are read.
//!
//! # File names
//!
//! Without `--out`, the file is written to `content/<slug>.md`, where the slug is made from the
//! school's name ([`slug_for_school`]): the generic words at the end of the name (School,
//! Primary, Secondary, High, Junior, Infant, Nursery, Academy, College, Catholic, C of E, CE,
//! Church of England, RC, Community, Federation, …) are dropped, then the rest is slugified and
//! cut to at most 40 characters at a hyphen: "Holy Cross Catholic Primary School" →
//! `holy-cross`, "Weston All Saints C of E Primary School" → `weston-all-saints`. A name that
//! is nothing but generic words keeps them all ("Primary School" → `primary-school`). With no
//! school name at all, the title is used, then the source file's name.

pub mod classify;
pub mod cues;
pub mod docx;
pub mod emit;
pub mod identity;
pub mod lines;
pub mod meta;
pub mod read;
pub mod topics;

use crate::diagnostics::{Diagnostic, mebibytes};
use crate::model::PolicyMeta;
use std::fmt;
use std::path::{Path, PathBuf};

/// A document as lines, with what reading it reported.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's lines (`.docx` paragraphs), in order.
    pub lines: Vec<lines::RawLine>,
    /// What reading it reported (a conversion from Windows-1252, say).
    pub notes: Vec<Note>,
}

/// Largest `.txt` file, and largest text extracted from a `.docx`, that is imported.
pub const MAX_TEXT_BYTES: u64 = crate::content::MAX_FILE_BYTES;
/// Largest `.docx` file that is opened (it may carry pictures, so it may be larger than its text).
pub const MAX_DOCX_BYTES: u64 = 32 * 1024 * 1024;
/// Largest `word/document.xml` (unpacked) that is read: WordprocessingML is verbose.
pub const MAX_DOCX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// What the caller knows that the document may not say.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The school's full name; found in the document when not given.
    pub school: Option<String>,
    /// The policy's title; found in the document when not given.
    pub title: Option<String>,
    /// The `source` field: the original document's file name (default: the input's file name).
    pub source: Option<String>,
}

/// How sure the importer is about something it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// A decision to check: a line it could not classify, a date it could not read, a missing
    /// title.
    Unsure,
    /// A repair it made: text converted from Windows-1252, a page number removed, a broken
    /// line joined, an id pinned.
    Repaired,
    /// Where it placed material that is not policy (cover, brochure, contents, signature,
    /// document control).
    Placed,
}

/// One thing the importer reports, at a line of the source (1-based; 0 for the whole file).
/// For a `.docx`, the line is the paragraph's number in the document (tables count as one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// 1-based source line (`.docx` paragraph) it is about; 0 for the whole file.
    pub line: usize,
    /// Unsure, repaired or placed.
    pub kind: NoteKind,
    /// What the importer found or did, in one sentence.
    pub message: String,
}

impl Note {
    /// A decision to check, at `line`.
    pub(crate) fn unsure(line: usize, message: impl Into<String>) -> Self {
        Note { line, kind: NoteKind::Unsure, message: message.into() }
    }

    /// A repair made, at `line`.
    pub(crate) fn repaired(line: usize, message: impl Into<String>) -> Self {
        Note { line, kind: NoteKind::Repaired, message: message.into() }
    }

    /// Material placed in a fenced div, at `line`.
    pub(crate) fn placed(line: usize, message: impl Into<String>) -> Self {
        Note { line, kind: NoteKind::Placed, message: message.into() }
    }

    /// `file:line: unsure: message`, as printed on stderr.
    pub fn display_for(&self, file: &Path) -> String {
        let label = match self.kind {
            NoteKind::Unsure => "unsure",
            NoteKind::Repaired => "repaired",
            NoteKind::Placed => "placed",
        };
        match self.line {
            0 => format!("{}: {label}: {}", file.display(), self.message),
            line => format!("{}:{line}: {label}: {}", file.display(), self.message),
        }
    }
}

/// Counts of what the imported file holds, from the real clause analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportStats {
    /// Number of headings.
    pub headings: usize,
    /// Number of clauses.
    pub clauses: usize,
    /// Number of clauses that carry their own number (`6.11`).
    pub numbered_clauses: usize,
    /// Fenced blocks of material that is not policy (cover, brochure, ...).
    pub blocks: usize,
}

/// An imported document: the content file's text and what was found.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The whole content file: front matter and body.
    pub markdown: String,
    /// The front matter, as written into `markdown`.
    pub meta: PolicyMeta,
    /// Suggested page name (file name without `.md`), from the school's name.
    pub slug: String,
    /// What the importer was unsure about, what it repaired and where it placed things, in
    /// line order.
    pub notes: Vec<Note>,
    /// Counts of headings, clauses and blocks in the content file.
    pub stats: ImportStats,
    /// What a build would refuse in `markdown`, at its lines: [`write`] writes nothing then.
    pub errors: Vec<Diagnostic>,
}

impl Imported {
    /// The notes of kind [`NoteKind::Unsure`].
    pub fn unsure(&self) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(|n| n.kind == NoteKind::Unsure)
    }
}

/// Why a file could not be imported: names the file, says what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file that could not be imported.
    pub file: PathBuf,
    /// What is wrong with it.
    pub message: String,
    /// How to fix it ("save it as Word Document (.docx)", say).
    pub help: String,
}

impl ImportError {
    /// An error about `file`: what is wrong and how to fix it.
    pub(crate) fn new(file: &Path, message: impl Into<String>, help: impl Into<String>) -> Self {
        ImportError { file: file.to_path_buf(), message: message.into(), help: help.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}: {}\n  = help: {}", self.file.display(), self.message, self.help)
    }
}

impl std::error::Error for ImportError {}

/// Imports a `.txt` or `.docx` file.
pub fn import_file(path: &Path, options: &ImportOptions) -> Result<Imported, ImportError> {
    let document = read::read_document(path)?;
    let mut options = options.clone();
    if options.source.is_none() {
        options.source = path.file_name().map(|n| n.to_string_lossy().into_owned());
    }
    Ok(convert(document, &options))
}

/// Imports text that is already decoded (as if read from a `.txt` file).
pub fn import_text(text: &str, options: &ImportOptions) -> Imported {
    let document = Document { lines: lines::from_text(text), notes: Vec::new() };
    convert(document, options)
}

/// Imports the bytes of a file named `name` (`.txt` or `.docx`).
pub fn import_bytes(name: &Path, bytes: &[u8], options: &ImportOptions) -> Result<Imported, ImportError> {
    let document = read::read_bytes(name, bytes)?;
    let mut options = options.clone();
    if options.source.is_none() {
        options.source = name.file_name().map(|n| n.to_string_lossy().into_owned());
    }
    Ok(convert(document, &options))
}

fn convert(document: Document, options: &ImportOptions) -> Imported {
    let Document { lines: raw, mut notes } = document;
    let cleaned = lines::prepare(raw, &mut notes);
    let found = identity::find_identity(&cleaned, options);
    let classified = classify::classify(&cleaned, &found, &mut notes);
    let meta = meta::front_matter(&cleaned, &classified, &found, options, &mut notes);
    let school_known = found.school.is_some();
    let slug = slug_for_school(&meta.school)
        .filter(|_| school_known)
        .or_else(|| slug_for_school(&meta.title))
        .or_else(|| options.source.as_deref().and_then(|s| slug_for_school(file_stem(s))))
        .unwrap_or_else(|| "imported-policy".to_string());
    let emit::Emitted { markdown, stats, mut errors } = emit::emit(&meta, &classified.blocks, &mut notes);
    let size = markdown.len() as u64;
    if size > crate::content::MAX_FILE_BYTES {
        errors.push(Diagnostic::error(
            "content/imported.md",
            format!(
                "the imported file would be {} ({size} bytes), and content files may be at most {}",
                mebibytes(size),
                mebibytes(crate::content::MAX_FILE_BYTES)
            ),
        ).with_help("split the document into parts and import each (escaping Markdown characters makes the file a little larger than its text)"));
    }
    notes.sort_by_key(|n| n.line);
    Imported { markdown, meta, slug, notes, stats, errors }
}

fn file_stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Generic words dropped from the end of a school's name for its slug and short name.
const GENERIC_TAIL: [&str; 24] = [
    "school",
    "schools",
    "primary",
    "secondary",
    "high",
    "junior",
    "juniors",
    "infant",
    "infants",
    "nursery",
    "academy",
    "college",
    "catholic",
    "c of e",
    "ce",
    "cofe",
    "church of england",
    "rc",
    "roman catholic",
    "community",
    "federation",
    "voluntary aided",
    "va",
    "church",
];

/// The school's name without the generic words at its end ("Holy Cross Catholic Primary
/// School" → "Holy Cross"); the whole name if nothing else would be left.
pub fn short_name(school: &str) -> String {
    let cleaned = school.split('(').next().unwrap_or(school).trim();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    'outer: loop {
        for generic in GENERIC_TAIL {
            let n = generic.split(' ').count();
            if words.len() > n {
                let tail = words[words.len() - n..].join(" ").to_lowercase();
                let tail = tail.trim_matches(|c: char| !c.is_alphanumeric());
                if tail == generic {
                    words.truncate(words.len() - n);
                    continue 'outer;
                }
            }
        }
        break;
    }
    let all_generic = words.iter().all(|w| GENERIC_TAIL.contains(&w.to_lowercase().as_str()));
    if all_generic { cleaned.to_string() } else { words.join(" ") }
}

/// The page name for a school: its [`short_name`], slugified, at most 40 characters (cut at a
/// hyphen). `None` when the name has no letters or digits.
pub fn slug_for_school(school: &str) -> Option<String> {
    let slug = slug::slugify(short_name(school));
    if slug.is_empty() {
        return None;
    }
    if slug.len() <= 40 {
        return Some(slug);
    }
    let cut = slug[..=40].rfind('-').unwrap_or(40);
    Some(slug[..cut].trim_end_matches('-').to_string())
}

/// Where `policykb import` writes when not told: `content/<slug>.md`.
pub fn default_out(imported: &Imported) -> PathBuf {
    Path::new(crate::content::CONTENT_DIR).join(format!("{}.md", imported.slug))
}

/// Writes an imported file to `out`, refusing to overwrite an existing file unless `force`,
/// and refusing a file the build would not accept.
pub fn write(imported: &Imported, out: &Path, force: bool) -> Result<(), ImportError> {
    if let Some(first) = imported.errors.first() {
        let all: Vec<String> = imported.errors.iter().map(|e| e.to_string()).collect();
        return Err(ImportError::new(
            out,
            format!("nothing was written: a build would refuse the imported file:\n{}", all.join("\n")),
            first.help.clone().unwrap_or_else(|| {
                "this is a bug in the importer: please report it with the document; meanwhile, copy the text into a content file by hand".to_string()
            }),
        ));
    }
    if out.exists() && !force {
        return Err(ImportError::new(
            out,
            "the file already exists; nothing was written",
            "pass --force to overwrite it, or choose another file with --out",
        ));
    }
    if out.is_dir() {
        return Err(ImportError::new(out, "is a folder", "give --out a file name ending in .md"));
    }
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if out.extension().is_none_or(|e| e != "md")
        || stem.is_empty()
        || !stem.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ImportError::new(
            out,
            "a content file's name must be lower case with hyphens and end in .md",
            format!("use e.g. --out content/{}.md", imported.slug),
        ));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            ImportError::new(
                parent,
                format!("cannot create the folder: {e}"),
                "check the path and permissions",
            )
        })?;
    }
    let staging = out.with_extension("md.importing");
    std::fs::write(&staging, &imported.markdown).and_then(|()| std::fs::rename(&staging, out)).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        ImportError::new(out, format!("cannot write the file: {e}"), "check the path and permissions")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_generic_words() {
        assert_eq!(slug_for_school("Holy Cross Catholic Primary School").unwrap(), "holy-cross");
        assert_eq!(slug_for_school("Weston All Saints C of E Primary School").unwrap(), "weston-all-saints");
        assert_eq!(slug_for_school("Hunslet Carr Primary School").unwrap(), "hunslet-carr");
        assert_eq!(slug_for_school("Elthorne Park High School").unwrap(), "elthorne-park");
        assert_eq!(slug_for_school("Caldecote Primary School").unwrap(), "caldecote");
        assert_eq!(slug_for_school("Primary School").unwrap(), "primary-school");
        assert_eq!(slug_for_school("Hunslet Carr Primary School (Leeds)").unwrap(), "hunslet-carr");
        assert!(slug_for_school("—").is_none());
        let long =
            slug_for_school("The Very Long Name Of A School That Goes On And On Forever More").unwrap();
        assert!(long.len() <= 40 && !long.ends_with('-'), "{long}");
    }
}
