//! Analyse: turns loaded content into the model every later stage reads — sections, clauses
//! and their ids.

pub mod crosslinks;
pub mod ids;
pub mod references;
pub mod review;
pub mod routes;
pub mod structure;
pub mod topics;

use crate::diagnostics::Diagnostics;
use crate::model::Site;

/// Runs every analysis over the site.
pub fn analyse(site: &mut Site, diagnostics: &mut Diagnostics) {
    for policy in &mut site.policies {
        structure::analyse(policy, diagnostics);
        routes::analyse(policy, &site.concerns, diagnostics);
        policy.review = Some(review::review(&policy.dates, site.today, site.config.reviews.due_soon_days));
    }
    references::analyse(site);
    check_unique_slugs(site, diagnostics);
}

/// Two files cannot claim the same page (only possible via case differences on some systems,
/// but cheap to rule out).
fn check_unique_slugs(site: &Site, diagnostics: &mut Diagnostics) {
    let mut seen = std::collections::HashMap::new();
    for policy in &site.policies {
        if let Some(first) = seen.insert(policy.slug.as_str(), policy.source.path()) {
            diagnostics.push(crate::diagnostics::Diagnostic::error(
                policy.source.path(),
                format!("page name `{}` is also used by {}", policy.slug, first.display()),
            ));
        }
    }
}
