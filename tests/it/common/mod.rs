//! Helpers shared by the integration tests: paths, running the CLI, fixture sites, folder
//! snapshots and a small HTML inspector built on lol_html.

pub mod fidelity;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

// ---------------------------------------------------------------------------------------------
// Paths

/// The five schools' policies of the real site: slug → school.
pub const SCHOOLS: [(&str, &str); 5] = [
    ("caldecote", "Caldecote Primary School"),
    ("elthorne-park", "Elthorne Park High School"),
    ("holy-cross", "Holy Cross Catholic Primary School"),
    ("hunslet-carr", "Hunslet Carr Primary School"),
    ("weston-all-saints", "Weston All Saints C of E Primary School"),
];

/// The repository root (holding `site.toml`, `content/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed documents the content was transcribed from: `../shared/seeds` from the repo root.
/// Panics (never skips) when the folder is missing.
pub fn seeds_dir() -> PathBuf {
    let dir = repo_root().join("..").join("shared").join("seeds");
    assert!(
        dir.is_dir(),
        "the seed documents are missing: expected the folder {} (CARGO_MANIFEST_DIR/../shared/seeds). \
         The content-fidelity tests compare content/*.md with these seeds and cannot run without them.",
        dir.display()
    );
    dir
}

/// The `policykb` binary cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_policykb"))
}

/// A temp dir under cargo's target tmp dir (so leftovers never land in /tmp or the repo).
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("pkb-test-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("create a temp dir")
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

/// What a CLI run did.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the run succeeded.
    pub fn assert_success(&self) -> &Self {
        assert!(
            self.status.success(),
            "policykb failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics with the whole output unless the run failed with a non-zero exit code.
    pub fn assert_failure(&self) -> &Self {
        assert!(
            !self.status.success() && self.status.code().is_some_and(|c| c != 0),
            "policykb should have failed with a non-zero exit code but exited with {}:\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Runs `policykb` with `args`, from `cwd` if given.
pub fn policykb<I, S>(args: I, cwd: Option<&Path>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(bin());
    command.args(args);
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let output = command.output().expect("run the policykb binary");
    Run {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `policykb build --root ROOT --out OUT`.
pub fn build_cli(root: &Path, out: &Path) -> Run {
    policykb(
        [OsStr::new("build"), OsStr::new("--root"), root.as_os_str(), OsStr::new("--out"), out.as_os_str()],
        None,
    )
}

// ---------------------------------------------------------------------------------------------
// Fixture sites

pub const SITE_TOML: &str = r#"title = "Fixture Site"
description = "A one-policy site for tests."
base_url = "https://fixture.example.org/"
"#;

/// A minimal valid policy. Line numbers matter to the tests: the front matter is lines 1–7,
/// `## 1. Introduction` is line 9, clause 1.1 line 11, clause 1.2 line 13.
pub const ONE_MD: &str = r#"+++
school = "Fixture Primary School"
title = "Social Media Policy"
source = "fixture.txt"
short_name = "Fixture"
written = "Spring 2024"
+++

## 1. Introduction

1.1 Staff must not accept pupils as friends on social media.

1.2 Staff should report concerns to the DSL; see paragraph 1.1.
"#;

pub const GLOSSARY_TOML: &str = r#"[abbreviations]
DSL = "Designated Safeguarding Lead"
"#;

/// Writes `contents` to `path`, creating its folders.
pub fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) {
    let path = path.as_ref();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent folders");
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

pub fn read_to_string(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A temp dir holding a minimal valid site in `site/` (site.toml, content/one.md,
/// content/glossary.toml). Returns the temp dir and the site root.
pub fn minimal_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let root = dir.path().join("site");
    write(root.join("site.toml"), SITE_TOML);
    write(root.join("content/one.md"), ONE_MD);
    write(root.join("content/glossary.toml"), GLOSSARY_TOML);
    (dir, root)
}

/// Every file under `dir` (dot files included) with its bytes, by path relative to `dir`.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk the folder");
        if entry.file_type().is_file() {
            let relative =
                entry.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            files.insert(relative, std::fs::read(entry.path()).expect("read file"));
        }
    }
    files
}

/// Asserts two snapshots are the same, naming the files that differ.
pub fn assert_same_snapshot(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let mut problems = Vec::new();
    for (path, bytes) in before {
        match after.get(path) {
            None => problems.push(format!("{path}: removed")),
            Some(b) if b != bytes => problems.push(format!("{path}: changed")),
            _ => {}
        }
    }
    for path in after.keys() {
        if !before.contains_key(path) {
            problems.push(format!("{path}: added"));
        }
    }
    assert!(problems.is_empty(), "{what}: the output folder changed:\n  {}", problems.join("\n  "));
}

/// Names in `parent` other than `keep` (to find staging folders a build left behind).
pub fn siblings(parent: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("read the folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Content files

/// The front matter of a content file, parsed.
pub fn front_matter(markdown: &str) -> toml::Table {
    let rest = markdown
        .strip_prefix("+++\n")
        .or_else(|| markdown.strip_prefix("+++\r\n"))
        .expect("a content file starts with +++");
    let end = rest.find("\n+++").expect("front matter is closed");
    toml::from_str(&rest[..end]).expect("front matter is valid TOML")
}

/// The body of a content file: everything after the closing `+++` line.
pub fn body(markdown: &str) -> &str {
    let rest = &markdown[3..];
    let end = rest.find("\n+++").expect("front matter is closed") + 4;
    let rest = &rest[end..];
    rest.split_once('\n').map_or("", |(_, body)| body)
}

/// `content/*.md` of the real site: (slug, path), sorted.
pub fn content_files() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(repo_root().join("content"))
        .expect("read content/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------------
// HTML

/// One element of a page: its tag name and attributes, in document order.
#[derive(Debug, Clone)]
pub struct Element {
    pub tag: String,
    pub attrs: Vec<(String, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What the tests need to know about a page.
#[derive(Debug, Default)]
pub struct PageInfo {
    pub elements: Vec<Element>,
    /// Text inside `<title>`.
    pub title: String,
    /// Text inside `<script>` elements (inline script), concatenated.
    pub script_text: String,
    /// Text inside `<style>` elements, concatenated.
    pub style_text: String,
    /// Counts of elements matched by the selectors given to [`parse_html_with`].
    pub counts: HashMap<String, usize>,
}

impl PageInfo {
    pub fn ids(&self) -> Vec<&str> {
        self.elements.iter().filter_map(|e| e.attr("id")).collect()
    }

    pub fn has_id(&self, id: &str) -> bool {
        self.elements.iter().any(|e| e.attr("id") == Some(id))
    }

    pub fn by_tag<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements.iter().filter(move |e| e.tag == tag)
    }

    pub fn count(&self, selector: &str) -> usize {
        self.counts.get(selector).copied().unwrap_or(0)
    }
}

pub fn parse_html(html: &str) -> PageInfo {
    parse_html_with(html, &[])
}

/// Parses a page, also counting the elements each of `selectors` matches.
pub fn parse_html_with(html: &str, selectors: &[&str]) -> PageInfo {
    use lol_html::{RewriteStrSettings, element, rewrite_str, text};
    let info = RefCell::new(PageInfo::default());
    let mut settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", |el| {
            let attrs = el.attributes().iter().map(|a| (a.name(), a.value())).collect();
            info.borrow_mut().elements.push(Element { tag: el.tag_name().to_ascii_lowercase(), attrs });
            Ok(())
        }))
        .append_element_content_handler(text!("title", |t| {
            info.borrow_mut().title.push_str(t.as_str());
            Ok(())
        }))
        .append_element_content_handler(text!("script", |t| {
            info.borrow_mut().script_text.push_str(t.as_str());
            Ok(())
        }))
        .append_element_content_handler(text!("style", |t| {
            info.borrow_mut().style_text.push_str(t.as_str());
            Ok(())
        }));
    for selector in selectors {
        let key = selector.to_string();
        let info = &info;
        settings = settings.append_element_content_handler(element!(selector, move |_el| {
            *info.borrow_mut().counts.entry(key.clone()).or_default() += 1;
            Ok(())
        }));
    }
    rewrite_str(html, settings).expect("the page parses as HTML");
    info.into_inner()
}

/// The visible text of an HTML fragment: tags removed, common entities decoded, whitespace
/// collapsed.
pub fn html_text(html: &str) -> String {
    let tags = regex::Regex::new(r"(?s)<[^>]*>").unwrap();
    let text = tags.replace_all(html, " ");
    let text = decode_entities(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the entities pulldown-cmark and tera write.
pub fn decode_entities(text: &str) -> String {
    let numeric = regex::Regex::new(r"&#(x[0-9a-fA-F]+|[0-9]+);").unwrap();
    let text = numeric.replace_all(text, |c: &regex::Captures| {
        let n = &c[1];
        let code = match n.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => n.parse().ok(),
        };
        code.and_then(char::from_u32).map(String::from).unwrap_or_default()
    });
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Decodes `%XX` escapes in a URL path or fragment.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a URL names a scheme (`https:`, `mailto:`), i.e. is not a relative reference.
pub fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// Resolves a relative URL's path against the page at `page` (both relative to the site root,
/// `/`-separated). Returns `None` when it climbs above the site root.
pub fn resolve(page: &str, relative_path: &str) -> Option<String> {
    if relative_path.is_empty() {
        return Some(page.to_string());
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    for segment in relative_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if relative_path.ends_with('/') {
        path.push_str(if path.is_empty() { "index.html" } else { "/index.html" });
    }
    Some(path)
}

// ---------------------------------------------------------------------------------------------
// A fixture site

/// The minimal fixture site in a temp dir, and where to build it.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub out: PathBuf,
}

impl Fixture {
    pub fn new() -> Self {
        let (dir, root) = minimal_site();
        let out = dir.path().join("out");
        Fixture { _dir: dir, root, out }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The text of content/one.md.
    pub fn policy(&self) -> String {
        read_to_string(self.path("content/one.md"))
    }

    /// Rewrites content/one.md with `edit` applied to its text; panics if `edit` changes nothing.
    pub fn edit_policy(&self, edit: impl FnOnce(&str) -> String) {
        let text = self.policy();
        let edited = edit(&text);
        assert_ne!(text, edited, "the edit changed nothing");
        write(self.path("content/one.md"), edited);
    }

    pub fn build(&self) -> Run {
        build_cli(&self.root, &self.out)
    }

    /// Builds successfully, so that there is an output to protect.
    pub fn build_ok(&self) -> Run {
        let run = self.build();
        run.assert_success();
        assert!(self.out.join("policies/one.html").is_file());
        run
    }

    /// Builds once successfully, breaks the site with `break_it`, builds again: the second build
    /// must fail with a non-zero exit code, leave the output exactly as it was and leave no
    /// staging folder behind. Returns the failed run.
    pub fn rebuild_fails(&self, break_it: impl FnOnce(&Fixture)) -> Run {
        self.build_ok();
        let before = snapshot(&self.out);
        break_it(self);
        let run = self.build();
        run.assert_failure();
        assert!(run.stderr.contains("error"), "a failed build must say why:\n{}", run.stderr);
        assert_same_snapshot(&before, &snapshot(&self.out), "after a failed build");
        let left = siblings(self.out.parent().unwrap(), &["out", "site"]);
        assert!(left.is_empty(), "the failed build left {left:?} next to the output");
        run
    }

    /// The diagnostics of a build through the library, errors or not.
    pub fn diagnostics(&self) -> Vec<policykb::diagnostics::Diagnostic> {
        match policykb::build::generate(&policykb::BuildOptions::new(&self.root)) {
            Ok(generated) => generated.diagnostics.into_vec(),
            Err(failure) => failure.diagnostics,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The graded search questions

/// A staff question and the clauses that answer it, graded 1–3 (tests/fixtures/search-questions.toml
/// and staff-questions.toml).
#[derive(serde::Deserialize)]
pub struct Question {
    pub query: String,
    pub relevant: BTreeMap<String, u32>,
    /// The topic that answers it: `None` where the file gives none, `Some("none")` for a
    /// question these policies do not answer.
    #[serde(default)]
    pub topic: Option<String>,
    /// `policy`, `own-words` or `typed`.
    #[serde(default)]
    pub style: Option<String>,
}

fn questions(file: &str) -> Vec<Question> {
    #[derive(serde::Deserialize)]
    struct Questions {
        question: Vec<Question>,
    }
    let text = read_to_string(repo_root().join("tests/fixtures").join(file));
    toml::from_str::<Questions>(&text).expect("the questions parse").question
}

/// The first graded set (tests/fixtures/search-questions.toml).
pub fn search_questions() -> Vec<Question> {
    questions("search-questions.toml")
}

/// The staff questions written before topic routing was tuned, each with its topic
/// (tests/fixtures/staff-questions.toml).
pub fn staff_questions() -> Vec<Question> {
    questions("staff-questions.toml")
}

// ---------------------------------------------------------------------------------------------
// The real site

/// Builds the repository's site into a fresh temp dir (the dir, and the output folder in it),
/// judging review dates as on `today` if given. Panics with the diagnostics if it fails.
pub fn build_real_site(today: Option<jiff::civil::Date>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let out = dir.path().join("public");
    let options =
        policykb::BuildOptions { out: Some(out.clone()), today, ..policykb::BuildOptions::new(repo_root()) };
    if let Err(failure) = policykb::build(&options) {
        panic!("the real site does not build:\n{failure}");
    }
    (dir, out)
}

/// Pieces of `html` each starting at an occurrence of `marker` (up to the next one).
pub fn pieces<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    let starts: Vec<usize> = html.match_indices(marker).map(|(i, _)| i).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| &html[s..starts.get(n + 1).copied().unwrap_or(html.len())])
        .collect()
}
