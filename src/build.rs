//! Build: runs the pipeline — load, analyse, render, rewrite, write — and reports what it did.

use crate::analyse::Analysed;
use crate::content::theme::Theme;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Provenance, Site};
use crate::output::{OutputFile, OutputPaths};
use crate::render::{Page, Renderer};
use crate::rewrite::annotate::{
    Abbreviations, Addresses, Annotator, PassedReviewDates, References, StaleReferences,
};
use crate::search::SearchIndex;
use crate::timings::Timings;
use crate::{analyse, content, export, output, render, rewrite};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder holding `site.toml`.
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// The day review dates are judged against (default: see [`today`]).
    pub today: Option<Date>,
}

impl BuildOptions {
    /// Builds the site in `root` into `root/public/`, with `site.toml`'s base URL and today's date.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), out: None, base_url: None, today: None }
    }

    /// Where the site is written: `--out`, else `public/` under the root.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The folder the site was written to.
    pub out: PathBuf,
    /// Number of policies built.
    pub policies: usize,
    /// Number of clauses across all policies.
    pub clauses: usize,
    /// Number of files written.
    pub files: usize,
    /// Warnings found; none of them stopped the build.
    pub warnings: Vec<Diagnostic>,
    /// Wall-clock time of the whole build, writing included.
    pub elapsed: Duration,
    /// Time taken by each stage.
    pub timings: Timings,
}

/// Why a build failed: every error found (and the warnings beside them).
#[derive(Debug)]
pub struct BuildFailure {
    /// Every diagnostic of the run, errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        write!(
            f,
            "build failed with {errors} error{}; the previous output was left as it was",
            if errors == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for BuildFailure {}

/// Everything a build produces, before it is written: for `build`, tests and the dev server.
pub struct Generated {
    /// Every file of the site, with its path in the output folder.
    pub files: Vec<OutputFile>,
    /// Number of policies built.
    pub policies: usize,
    /// Number of clauses across all policies.
    pub clauses: usize,
    /// Warnings found (a run with errors returns a [`BuildFailure`] instead).
    pub diagnostics: Diagnostics,
    /// Time taken by each stage.
    pub timings: Timings,
}

/// Builds the site and writes it to the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let generated = generate(options)?;
    let out = options.out_dir();
    output::write_site(&out, &generated.files)
        .map_err(|e| BuildFailure { diagnostics: vec![Diagnostic::error(&out, format!("{e:#}"))] })?;
    Ok(BuildReport {
        out,
        policies: generated.policies,
        clauses: generated.clauses,
        files: generated.files.len(),
        warnings: generated.diagnostics.into_vec(),
        timings: generated.timings,
        elapsed: started.elapsed(),
    })
}

fn fail(diagnostics: Diagnostics) -> BuildFailure {
    BuildFailure { diagnostics: diagnostics.into_vec() }
}

/// The day review dates are judged against: `--today`, else `SOURCE_DATE_EPOCH` (for
/// reproducible builds), else the system's date.
pub fn today(given: Option<Date>) -> Result<Date, String> {
    if let Some(date) = given {
        return Ok(date);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH is `{epoch}`, not a number of seconds"))?;
        let instant = jiff::Timestamp::from_second(seconds)
            .map_err(|e| format!("SOURCE_DATE_EPOCH is out of range: {e}"))?;
        return Ok(instant.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    Ok(jiff::Zoned::now().date())
}

/// A site loaded and analysed, with what the run reported so far: what search, check and
/// build work from.
pub struct Loaded {
    /// The analysed site.
    pub site: Site,
    /// The search index over its clauses.
    pub index: SearchIndex,
    /// The theme's templates and assets, with the site's overrides.
    pub theme: Theme,
    /// Warnings so far (a run with errors returns a [`BuildFailure`] instead).
    pub diagnostics: Diagnostics,
    /// Time taken by each stage so far.
    pub timings: Timings,
}

/// Loads and analyses the site, failing on any error.
pub fn analyse_site(options: &BuildOptions) -> Result<Loaded, BuildFailure> {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Timings::default();
    let today = today(options.today)
        .map_err(|e| BuildFailure { diagnostics: vec![Diagnostic::error("--today", e)] })?;
    let sources = content::load(&options.root, today, &mut diagnostics);
    timings.lap("load");
    // Analysis runs even after a load error, so that one build reports every problem.
    let analysed = sources.and_then(|sources| analyse::analyse(sources, &mut timings, &mut diagnostics));
    match analysed {
        Some(Analysed { site, index, theme }) => Ok(Loaded { site, index, theme, diagnostics, timings }),
        None => Err(fail(diagnostics)),
    }
}

/// Rewritten pages kept between builds by the dev server: a page whose rendered HTML and
/// rewrite inputs are unchanged is not rewritten again.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<HashMap<String, (u64, String)>>,
}

impl PageCache {
    fn get(&self, path: &str, key: u64) -> Option<String> {
        let pages = self.pages.lock().expect("page cache lock");
        pages.get(path).filter(|(k, _)| *k == key).map(|(_, html)| html.clone())
    }

    fn put(&self, path: &str, key: u64, html: &str) {
        self.pages.lock().expect("page cache lock").insert(path.to_string(), (key, html.to_string()));
    }
}

/// A hash of everything in `value`, for telling whether inputs changed.
fn fingerprint<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Runs the pipeline up to (not including) writing.
pub fn generate(options: &BuildOptions) -> Result<Generated, BuildFailure> {
    generate_with(options, None)
}

/// Runs the pipeline, reusing unchanged pages from `cache` if given.
pub fn generate_with(options: &BuildOptions, cache: Option<&PageCache>) -> Result<Generated, BuildFailure> {
    let Loaded { site, index: search_index, theme, mut diagnostics, mut timings } = analyse_site(options)?;
    let renderer = Renderer::new(&site, &theme, options.base_url.clone(), &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(fail(diagnostics));
    }
    let renderer = renderer.expect("no errors, so the renderer was built");
    timings.lap("theme");
    let pages = render::render_site(&site, &renderer, &mut diagnostics);
    timings.lap("render");
    let mut paths = OutputPaths::default();
    for page in &pages {
        if let Err(d) = paths.claim(&page.path, page.provenance.clone()) {
            diagnostics.push(d);
        }
    }
    // Assets drawn in the school's colours from site.toml: the stylesheet and the page icon.
    let branded: Vec<Result<(&str, String), Diagnostic>> = render::BRANDED_ASSETS
        .iter()
        .map(|(template, path)| {
            renderer.render(template, path, "", tera::Context::new()).map(|text| (*path, text))
        })
        .collect();
    if diagnostics.has_errors() {
        return Err(fail(diagnostics));
    }

    let abbreviations = Abbreviations::new(&site.glossary.abbreviations);
    let stale = StaleReferences { references: &site.references };
    let passed = PassedReviewDates { today: site.today };
    let references: Vec<References> = site.policies.iter().map(References::new).collect();
    let related: Vec<HashMap<String, String>> =
        (0..site.policies.len()).map(|p| render::related::related_lists(&site, p)).collect();
    // Everything besides a page's own HTML that its rewrite depends on.
    let patterns: Vec<&str> = site.references.iter().map(|r| r.pattern.as_str()).collect();
    let replacements: Vec<&str> = site.references.iter().map(|r| r.replacement.as_str()).collect();
    let shared =
        fingerprint(&(&site.glossary.abbreviations, &patterns, &replacements, site.today.to_string()));
    // The 404 page is served at whatever address was asked for, so its links start from the
    // site's own address where it is known; every other page links relatively.
    let site_url = renderer.site().base_url.clone();
    let root_of = |page: &Page| match (&site_url, page.path.as_str()) {
        (Some(url), "404.html") => url.clone(),
        _ => "../".repeat(page.depth()),
    };
    let rewritten: Vec<Result<OutputFile, Diagnostic>> = pages
        .par_iter()
        .map(|page: &Page| {
            if !page.path.ends_with(".html") {
                return Ok(OutputFile::new(page.path.clone(), page.html.clone()));
            }
            let none = HashMap::new();
            let beside = page.policy.map_or(&none, |i| &related[i]);
            let mut beside_sorted: Vec<(&String, &String)> = beside.iter().collect();
            beside_sorted.sort();
            let key = fingerprint(&(&page.html, root_of(page), &beside_sorted, shared));
            if let Some(html) = cache.and_then(|c| c.get(&page.path, key)) {
                return Ok(OutputFile::new(page.path.clone(), html));
            }
            let mut annotators: Vec<&dyn Annotator> = vec![&Addresses, &stale, &passed, &abbreviations];
            if let Some(i) = page.policy {
                annotators.push(&references[i]);
            }
            rewrite::rewrite_page(&page.html, &root_of(page), &annotators, beside)
                .inspect(|html| {
                    if let Some(cache) = cache {
                        cache.put(&page.path, key, html);
                    }
                })
                .map(|html| OutputFile::new(page.path.clone(), html))
                .map_err(|e| Diagnostic::error(&page.path, format!("cannot rewrite the page: {e}")))
        })
        .collect();
    timings.lap("rewrite");
    let mut files = Vec::with_capacity(rewritten.len() + theme.assets.len() + 4);
    for result in rewritten {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    let branded: Vec<(&str, String)> =
        branded.into_iter().filter_map(|result| result.map_err(|d| diagnostics.push(d)).ok()).collect();
    let mut add = |path: String, bytes: Vec<u8>, by: Provenance| match paths.claim(&path, by) {
        Ok(()) => files.push(OutputFile::new(path, bytes)),
        Err(d) => diagnostics.push(d),
    };
    for (path, text) in branded {
        add(path.to_string(), text.into(), Provenance::site("an asset in the school's colours"));
    }
    for (name, asset) in &theme.assets {
        let by = Provenance::from_file("a file of the theme", asset.origin.display_path());
        add(format!("assets/{name}"), asset.bytes.clone(), by);
    }
    let index_script = crate::search::client::index_script(&site, &search_index, site.config.home.as_deref());
    add("assets/search-index.js".into(), index_script.into(), Provenance::site("the search index"));
    let data = [
        ("policies.json", to_json(&export::policy_records(&site))),
        ("clauses.json", to_json(&export::clause_records(&site))),
        ("routes.json", to_json(&export::route_records(&site))),
        ("topics.json", to_json(&export::topic_records(&site))),
        ("compare.csv", crate::render::compare::csv(&site)),
        ("datapackage.json", to_json(&export::datapackage(&site))),
    ];
    for (name, text) in data {
        add(format!("data/{name}"), text.into(), Provenance::site("the open data"));
    }
    if diagnostics.has_errors() {
        return Err(fail(diagnostics));
    }
    timings.lap("export");
    Ok(Generated {
        files,
        policies: site.policies.len(),
        clauses: site.policies.iter().map(|p| p.clauses.len()).sum(),
        diagnostics,
        timings,
    })
}

/// Pretty JSON for the data export.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("export types serialise") + "\n"
}
