//! Analyse: turns the loaded [`Sources`] into the [`Site`] every later stage reads — sections,
//! clauses and their ids, routes, reviews, superseded references, the search index, topics,
//! stances and cross-links — in one pass, [`analyse`].

pub mod crosslinks;
pub mod ids;
pub mod references;
pub mod review;
pub mod routes;
pub mod structure;
pub mod topic_scores;
pub mod topics;

use crate::content::theme::Theme;
use crate::content::{PolicySource, Sources};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Policy, Site};
use crate::search::SearchIndex;
use crate::timings::Timings;

/// A site understood: its model, its search index and the theme it is rendered with.
pub struct Analysed {
    /// The site with its sections, clauses, routes, topics and reviews filled in.
    pub site: Site,
    /// The search index over every clause.
    pub index: SearchIndex,
    /// The theme the site is rendered with.
    pub theme: Theme,
}

/// Runs every analysis over the sources. `None` when an error makes the site unusable; the
/// diagnostics say why.
pub fn analyse(sources: Sources, timings: &mut Timings, diagnostics: &mut Diagnostics) -> Option<Analysed> {
    let Sources {
        root,
        config,
        policies,
        glossary,
        concerns,
        topics,
        references,
        search,
        defaults,
        theme,
        today,
    } = sources;
    let mut curated = Vec::with_capacity(policies.len());
    let policies: Vec<Policy> = policies
        .into_iter()
        .map(|source| {
            let PolicySource { slug, source, meta, dates, segments, curated: file } = source;
            curated.push(file);
            let mut policy = Policy::new(slug, source, meta, dates, segments);
            structure::analyse(&mut policy, diagnostics);
            routes::analyse(&mut policy, &concerns, diagnostics);
            policy.review = Some(review::review(&policy.dates, today, config.reviews.due_soon_days));
            policy
        })
        .collect();
    check_unique_slugs(&policies, diagnostics);
    let places = Site::index_places(&policies);
    let mut site = Site {
        root,
        config,
        policies,
        glossary,
        concerns,
        topics,
        uncertain_topics: Vec::new(),
        topic_suggestions: Vec::new(),
        references,
        defaults,
        today,
        places,
    };
    references::analyse(&mut site);
    timings.lap("analyse");
    if diagnostics.has_errors() {
        return None;
    }
    let mut index = match SearchIndex::build(&site, search) {
        Ok(index) => index,
        Err(e) => {
            diagnostics.push(Diagnostic::error("content", format!("cannot build the search index: {e:#}")));
            return None;
        }
    };
    timings.lap("index");
    topics::analyse(&mut site, &index, &curated, diagnostics);
    index.set_topics(&site);
    topics::check_terms(&site, &index, diagnostics);
    timings.lap("topics");
    if let Err(e) = crosslinks::analyse(&mut site, &index) {
        diagnostics.push(Diagnostic::error("content", format!("cannot find cross-links: {e:#}")));
    }
    timings.lap("cross-links");
    (!diagnostics.has_errors()).then_some(Analysed { site, index, theme })
}

/// Two files cannot claim the same page (only possible via case differences on some systems,
/// but cheap to rule out).
fn check_unique_slugs(policies: &[Policy], diagnostics: &mut Diagnostics) {
    let mut seen = std::collections::HashMap::new();
    for policy in policies {
        if let Some(first) = seen.insert(policy.slug.as_str(), policy.source.path()) {
            diagnostics.push(Diagnostic::error(
                policy.source.path(),
                format!("page name `{}` is also used by {}", policy.slug, first.display()),
            ));
        }
    }
}
