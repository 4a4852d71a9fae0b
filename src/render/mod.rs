//! Render: the site's pages, through the theme's tera templates.
//!
//! Each page gets a context with `site` (title, branding, language), `page` (title, path,
//! depth) and its own data; templates write site-absolute URLs (`/policies/x.html`), which the
//! rewrite stage makes relative.

pub mod compare;
pub mod flowchart;
pub mod glance;
pub mod markdown;
pub mod related;
pub mod routes;
pub mod timeline;

use crate::content::CONCERNS_FILE;
use crate::content::theme::{Origin, Theme};
use crate::content::topics::TOPICS_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Policy, Provenance, SegmentKind, Site};
use serde::Serialize;
use std::collections::HashMap;
use tera::{Context, Tera};

/// A rendered page, before rewriting.
#[derive(Debug)]
pub struct Page {
    /// Output path relative to the site root: `policies/holy-cross.html`.
    pub path: String,
    /// The page's HTML as the template rendered it.
    pub html: String,
    /// The policy whose text the page shows, so the rewrite knows which ids it can link to.
    pub policy: Option<usize>,
    /// What the page shows, for naming it if another file claims its path.
    pub provenance: Provenance,
}

impl Page {
    /// How many folders below the site root the page sits.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 13] = [
    "index.html",
    "policy.html",
    "search.html",
    "route.html",
    "routes.html",
    "concern.html",
    "compare.html",
    "topic.html",
    "reviews.html",
    "accessibility.html",
    "pair.html",
    "404.html",
    "sitemap.xml",
];

/// Templates rendered into assets in the school's colours: `(template, output path)`.
pub const BRANDED_ASSETS: [(&str, &str); 2] =
    [("brand.css", "assets/brand.css"), ("favicon.svg", "assets/favicon.svg")];

/// The theme's templates, compiled.
pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, Origin>,
    site: SiteContext,
}

/// What every template knows about the site.
#[derive(Debug, Serialize)]
pub struct SiteContext {
    /// The site's title, from `site.toml`.
    pub title: String,
    /// One sentence under the title on the home page, if given.
    pub description: Option<String>,
    /// BCP 47 language tag of the content (`en-GB`).
    pub language: String,
    /// The name in the header: the branding name, else the site title.
    pub brand_name: String,
    /// Path of the logo image under `static/`, if any.
    pub logo: Option<String>,
    /// Text alternative for the logo: `logo_alt`, else the brand name.
    pub logo_alt: String,
    /// Where the site is published, ending in `/`: `--base-url`, else `site.toml`'s.
    pub base_url: Option<String>,
    /// Who publishes the site, for the footer and the accessibility statement.
    pub publisher: crate::model::Publisher,
    /// The school's name, logo and colours.
    pub branding: crate::model::Branding,
    /// The day review statuses were worked out for (ISO).
    pub today: String,
    /// Days before a review date that count as "due soon".
    pub due_soon_days: i64,
}

impl Renderer {
    /// Compiles the theme's templates, reporting every template error with its line and column.
    pub fn new(
        site: &Site,
        theme: &Theme,
        base_url: Option<String>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Renderer> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let mut origins = HashMap::new();
        let mut sources = Vec::new();
        for (name, file) in &theme.templates {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => sources.push((name.clone(), text.to_string())),
                Err(_) => diagnostics
                    .push(Diagnostic::error(file.origin.display_path(), "template is not valid UTF-8")),
            }
            origins.insert(name.clone(), file.origin.clone());
        }
        if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            diagnostics.push(template_diagnostic(&e, &origins));
            return None;
        }
        for required in REQUIRED_TEMPLATES {
            if !tera.contains_template(required) {
                diagnostics.push(
                    Diagnostic::error("templates", format!("the theme has no `{required}` template"))
                        .with_help(
                            "add it to templates/ or themes/<name>/templates/, or use the default theme",
                        ),
                );
            }
        }
        let config = &site.config;
        let site_context = SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            brand_name: config.brand_name().to_string(),
            logo: config.branding.logo.clone(),
            logo_alt: config.branding.logo_alt.clone().unwrap_or_else(|| config.brand_name().to_string()),
            base_url: base_url
                .filter(|url| match crate::content::config::check_base_url(url) {
                    Ok(()) => true,
                    Err(problem) => {
                        diagnostics.push(
                            Diagnostic::error("--base-url", format!("the address {problem}"))
                                .with_help(crate::content::config::BASE_URL_HELP),
                        );
                        false
                    }
                })
                .or_else(|| config.base_url.clone())
                .map(|u| format!("{}/", u.trim_end_matches('/'))),
            publisher: config.publisher.clone(),
            branding: config.branding.clone(),
            today: site.today.to_string(),
            due_soon_days: config.reviews.due_soon_days,
        };
        Some(Renderer { tera, origins, site: site_context })
    }

    /// What every template knows about the site.
    pub fn site(&self) -> &SiteContext {
        &self.site
    }

    /// Renders `template` as the page at `path`, with `data` merged into the context.
    pub fn render(
        &self,
        template: &str,
        path: &str,
        title: &str,
        data: Context,
    ) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("site", &self.site);
        context.insert(
            "page",
            &serde_json::json!({ "path": path, "title": title, "depth": path.matches('/').count() }),
        );
        context.extend(data);
        self.tera.render(template, &context).map_err(|e| template_diagnostic(&e, &self.origins))
    }
}

/// A tera error as a diagnostic pointing into the template file.
fn template_diagnostic(error: &tera::Error, origins: &HashMap<String, Origin>) -> Diagnostic {
    let path_of = |name: &str| origins.get(name).map(Origin::display_path).unwrap_or_else(|| name.into());
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(path_of(report.filename()), format!("template error: {}", report.message()))
                .at_line(span.start_line, span.start_col + 1)
                .with_help("fix the template; see https://keats.github.io/tera/ for the syntax")
        }
        _ => Diagnostic::error("templates", format!("template error: {error}"))
            .with_help("check the template names used in extends/include"),
    }
}

/// A policy as the templates see it.
#[derive(Debug, Serialize)]
pub struct PolicySummary<'a> {
    /// Policy slug (`holy-cross`).
    pub slug: &'a str,
    /// Site-absolute URL of the policy page (`/policies/holy-cross.html`).
    pub url: String,
    /// School's full name.
    pub school: &'a str,
    /// School's short name (`Holy Cross`), else its full name.
    pub short_name: &'a str,
    /// The policy's title.
    pub title: &'a str,
    /// The front matter as written.
    pub meta: &'a crate::model::PolicyMeta,
    /// Number of clauses.
    pub clause_count: usize,
    /// Review status on the build's day (`No review date` when there is none).
    pub review: ReviewView,
    /// Citations of superseded guidance, with links to their clauses.
    pub stale: Vec<StaleView<'a>>,
    /// The dates: `[field, as written, ISO start, ISO end]` (ISO empty where unreadable).
    pub dates: Vec<[String; 4]>,
}

/// A policy's review position, ready to show.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    /// Overdue, due soon, current or no review date.
    pub status: crate::model::ReviewStatus,
    /// How the page names the status (`Due soon`).
    pub label: &'static str,
    /// ISO date, for people and for the page script that re-checks it against the real date.
    pub due: Option<String>,
    /// The words the due date comes from (`Spring 2024`).
    pub due_text: Option<String>,
    /// Whether the due date was worked out from the review cycle.
    pub derived: bool,
    /// Days past the due date, for an overdue policy.
    pub overdue_days: Option<i64>,
    /// "Overdue by 2 years 7 months", "Due in 3 weeks".
    pub detail: Option<String>,
    /// The most recent date written, approved or reviewed, as written.
    pub last_reviewed: Option<String>,
}

/// A stale citation, ready to show.
#[derive(Debug, Serialize)]
pub struct StaleView<'a> {
    /// The citation: where, what is cited, and what replaced it.
    #[serde(flatten)]
    pub citation: &'a crate::model::StaleCitation,
    /// Site-absolute URL of the clause it is in, if it is in one.
    pub url: Option<String>,
}

impl<'a> PolicySummary<'a> {
    fn new(policy: &'a Policy) -> Self {
        use crate::dates::describe_days;
        let review = policy.review.as_ref().map(|r| ReviewView {
            status: r.status,
            label: r.status.label(),
            due: r.due.map(|d| d.to_string()),
            due_text: r.due_text.clone(),
            derived: r.derived,
            overdue_days: r.overdue_days,
            detail: match (r.overdue_days, r.days_left) {
                (Some(days), _) => Some(format!("Overdue by {}", describe_days(days))),
                (_, Some(0)) => Some("Due today".into()),
                (_, Some(days)) => Some(format!("Due in {}", describe_days(days))),
                _ => None,
            },
            last_reviewed: r.last_reviewed.as_ref().map(|p| p.text.clone()),
        });
        // Every date as written, with what it was read as (empty where it could not be read).
        let meta = &policy.meta;
        let fields = meta
            .written
            .iter()
            .map(|t| ("Written", t))
            .chain(meta.approved.iter().map(|t| ("Approved", t)))
            .chain(meta.reviewed.iter().map(|t| ("Reviewed", t)))
            .chain(meta.next_review.iter().map(|t| ("Next review", t)));
        let read: Vec<[String; 4]> = fields
            .map(|(field, text)| {
                let parsed = crate::dates::parse_period(text).ok();
                let iso = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
                [
                    field.to_string(),
                    text.clone(),
                    iso(parsed.as_ref().map(|p| p.start)),
                    iso(parsed.map(|p| p.end)),
                ]
            })
            .collect();
        PolicySummary {
            slug: &policy.slug,
            url: format!("/{}", policy.url()),
            school: &policy.meta.school,
            short_name: policy.short_name(),
            title: &policy.meta.title,
            meta: &policy.meta,
            clause_count: policy.clauses.len(),
            review: review.unwrap_or(ReviewView {
                status: crate::model::ReviewStatus::NoReviewDate,
                label: "No review date",
                due: None,
                due_text: None,
                derived: false,
                overdue_days: None,
                detail: None,
                last_reviewed: None,
            }),
            stale: policy
                .stale
                .iter()
                .map(|citation| StaleView {
                    citation,
                    url: citation.clause.as_ref().map(|id| format!("/{}#{id}", policy.url())),
                })
                .collect(),
            dates: read,
        }
    }
}

/// An entry of a policy's contents list.
#[derive(Debug, Serialize)]
struct TocEntry<'a> {
    id: &'a str,
    title: &'a str,
    level: u8,
}

/// Renders every page of the site.
pub fn render_site(site: &Site, renderer: &Renderer, diagnostics: &mut Diagnostics) -> Vec<Page> {
    let summaries: Vec<PolicySummary> = site.policies.iter().map(PolicySummary::new).collect();
    let mut pages = Vec::new();
    let mut push =
        |provenance: Provenance,
         path: &str,
         template: &str,
         title: &str,
         data: Context,
         policy: Option<usize>| match renderer.render(template, path, title, data) {
            Ok(html) => pages.push(Page { path: path.to_string(), html, policy, provenance }),
            Err(d) => diagnostics.push(d),
        };
    let site_page = |what: &str| Provenance::site(format!("the {what}"));

    let mut figure_errors = Vec::new();
    let topics: Vec<compare::TopicView> = site.topics.iter().map(|t| compare::topic_view(site, t)).collect();
    let concerns = routes::concern_views(site);
    let mut home = Context::new();
    let mut by_status: Vec<&PolicySummary> = summaries.iter().collect();
    by_status.sort_by_key(|s| (s.review.status, std::cmp::Reverse(s.review.overdue_days)));
    home.insert("policies", &by_status);
    // The home page leads with tasks: the questions staff ask most (topics with an `ask`),
    // the reporting routes and the comparison.
    home.insert("questions", &topics.iter().filter(|t| t.ask.is_some()).collect::<Vec<_>>());
    home.insert("concerns", &concerns);
    let order: Vec<usize> =
        by_status.iter().filter_map(|s| site.policies.iter().position(|p| p.slug == s.slug)).collect();
    let mut reviews = Context::new();
    reviews.insert("policies", &by_status);
    reviews.insert("timeline", &timeline::draw(site, &order));
    reviews.insert("due_soon_days", &site.config.reviews.due_soon_days);
    reviews.insert("references_checked", &site.defaults.references_checked);
    push(site_page("home page"), "index.html", "index.html", &site.config.title, home, None);
    push(
        site_page("review dashboard"),
        "reviews/index.html",
        "reviews.html",
        "Review dates and policy health",
        reviews,
        None,
    );

    for (index, policy) in site.policies.iter().enumerate() {
        let toc: Vec<TocEntry> = policy
            .sections
            .iter()
            .filter(|s| s.kind == SegmentKind::Policy)
            .map(|s| TocEntry { id: &s.id, title: &s.title, level: s.level })
            .collect();
        let mut figures = HashMap::new();
        for route in &policy.routes {
            let mut figure = Context::new();
            figure.insert("route", &routes::view(policy, route, false));
            match renderer.render("route.html", &policy.url(), &route.title, figure) {
                Ok(html) => {
                    figures.insert(route.at, html);
                }
                Err(d) => figure_errors.push(d),
            }
        }
        let mut data = Context::new();
        data.insert("policy", &summaries[index]);
        data.insert("toc", &toc);
        let glance = glance::glance(policy, &site.topics);
        data.insert("glance", &(!glance.is_empty()).then_some(glance));
        data.insert("body", &markdown::body_html(policy, &figures));
        data.insert(
            "routes",
            &policy.routes.iter().map(|r| (routes::anchor(r), r.title.as_str())).collect::<Vec<_>>(),
        );
        let title = format!("{} – {}", policy.meta.title, policy.short_name());
        push(
            Provenance::from_file(format!("the page of policy `{}`", policy.slug), policy.source.path()),
            &policy.url(),
            "policy.html",
            &title,
            data,
            Some(index),
        );
    }

    let pairs = compare::pair_views(site);
    let mut matrix = Context::new();
    matrix.insert("topics", &topics);
    matrix.insert("policies", &summaries);
    matrix.insert("pairs", &pairs.iter().map(|p| (&p.url, p.left.1, p.right.1)).collect::<Vec<_>>());
    push(
        site_page("comparison matrix"),
        "compare/index.html",
        "compare.html",
        "Compare policies",
        matrix,
        None,
    );
    for topic in &topics {
        let mut data = Context::new();
        data.insert("topic", topic);
        push(
            Provenance::from_file(format!("the page of topic `{}`", topic.id), TOPICS_FILE),
            &format!("compare/{}.html", topic.id),
            "topic.html",
            topic.title,
            data,
            None,
        );
    }
    for pair in &pairs {
        let mut data = Context::new();
        data.insert("pair", pair);
        let title = format!("{} and {} compared", pair.left.1, pair.right.1);
        push(
            Provenance::site(format!("the comparison of `{}` and `{}`", pair.left.0, pair.right.0)),
            pair.url.trim_start_matches('/'),
            "pair.html",
            &title,
            data,
            None,
        );
    }

    let mut routes_index = Context::new();
    routes_index.insert("concerns", &concerns);
    push(
        site_page("reporting routes index"),
        "routes/index.html",
        "routes.html",
        "Reporting routes",
        routes_index,
        None,
    );
    for concern in &concerns {
        let mut data = Context::new();
        data.insert("concern", concern);
        push(
            Provenance::from_file(format!("the page of concern `{}`", concern.id), CONCERNS_FILE),
            &format!("routes/{}.html", concern.id),
            "concern.html",
            concern.title,
            data,
            None,
        );
    }

    let mut search = Context::new();
    search.insert("policies", &summaries);
    push(site_page("search page"), "search.html", "search.html", "Search", search, None);

    push(
        site_page("accessibility statement"),
        "accessibility.html",
        "accessibility.html",
        "Accessibility statement",
        Context::new(),
        None,
    );
    push(site_page("404 page"), "404.html", "404.html", "Page not found", Context::new(), None);

    let mut sitemap = Context::new();
    let mut urls: Vec<String> = vec![String::new()];
    urls.extend(site.policies.iter().map(Policy::url));
    urls.push("search.html".into());
    urls.push("accessibility.html".into());
    urls.push("routes/index.html".into());
    urls.push("reviews/index.html".into());
    urls.push("compare/index.html".into());
    urls.extend(site.topics.iter().map(|t| format!("compare/{}.html", t.id)));
    urls.extend(site.concerns.iter().map(|c| format!("routes/{}.html", c.id)));
    sitemap.insert("urls", &urls);
    push(site_page("sitemap"), "sitemap.xml", "sitemap.xml", "Sitemap", sitemap, None);
    diagnostics.extend(figure_errors);
    pages
}
