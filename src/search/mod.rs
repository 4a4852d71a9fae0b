//! Search: staff questions answered with clauses, at build time (tantivy, for `policykb
//! search` and the tests) and in the browser (an exported index and `search.js`, which rank
//! the same way).
//!
//! - [`analyzer`]: text → terms, the one definition both sides follow;
//! - [`config`]: synonyms and question filler, kept as content;
//! - [`query`]: a question → weighted term groups (synonyms, typos, completions, phrases);
//! - [`topics`]: a question → the topic it is about, whose clauses join the ranking;
//! - [`index`]: the tantivy index of clauses and BM25 ranking;
//! - [`client`]: the index the browser loads.

pub mod analyzer;
pub mod client;
pub mod config;
pub mod index;
pub mod query;
pub mod topics;

pub use config::{Intent, Routing, SearchConfig};
pub use index::{Hit, SearchIndex, SearchOptions};

use crate::model::Site;
use serde::Serialize;

/// A search result as `policykb search --json` prints it.
#[derive(Debug, Serialize)]
pub struct HitRecord {
    /// School's display name.
    pub school: String,
    /// Policy slug.
    pub policy: String,
    /// Clause id.
    pub clause: String,
    /// How a reader refers to the clause (`6.11`, `§ 10 ¶ 3`).
    pub label: String,
    /// Site-relative URL of the clause.
    pub url: String,
    /// Headings from the top of the document down to the clause.
    pub heading: Vec<String>,
    /// The lead-in the clause completes ("Staff should not:"), if any.
    pub lead: Option<String>,
    /// Full clause text.
    pub text: String,
    /// Its score for the query.
    pub score: f32,
    /// Other clauses of the same policy with exactly this text.
    pub also: Vec<Place>,
}

/// Another place a clause's text stands.
#[derive(Debug, Serialize)]
pub struct Place {
    /// The clause's id in the policy (`6.11`).
    pub clause: String,
    /// How a reader refers to it (`6.11`, `¶ 3`).
    pub label: String,
    /// Site-relative URL of the clause (`policies/holy-cross.html#6.11`).
    pub url: String,
}

impl HitRecord {
    /// The record of `hit`, a hit of `index`, a search over `site`.
    pub fn new(site: &Site, index: &SearchIndex, hit: &Hit) -> HitRecord {
        let doc = &index.docs[hit.doc];
        let (policy, clause) =
            site.resolve(&doc.clauses[0]).expect("search documents name the site's clauses");
        HitRecord {
            school: policy.meta.school.clone(),
            policy: policy.slug.clone(),
            clause: clause.id.clone(),
            label: clause.label.clone(),
            url: doc.clauses[0].url(),
            heading: policy.heading_path(clause.section).into_iter().map(str::to_owned).collect(),
            lead: clause.parent.map(|p| policy.clauses[p].text.clone()),
            text: clause.text.clone(),
            score: hit.score,
            also: doc.clauses[1..]
                .iter()
                .filter_map(|place| site.resolve(place))
                .map(|(_, other)| Place {
                    clause: other.id.clone(),
                    label: other.label.clone(),
                    url: policy.clause_ref(other).url(),
                })
                .collect(),
        }
    }
}
