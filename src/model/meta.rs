//! What a policy file says about itself: its front matter, dates kept as written.

use serde::{Deserialize, Serialize};

/// What a policy file says about itself. Dates are kept exactly as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    /// The school's full name.
    pub school: String,
    /// The policy's title as the document gives it.
    pub title: String,
    /// File name of the original document this content was converted from.
    pub source: String,
    /// A short name for tables and badges ("Holy Cross").
    pub short_name: Option<String>,
    /// primary, secondary, all-through, special, ...
    pub phase: Option<String>,
    /// The school's local authority (`Leeds City Council`).
    pub local_authority: Option<String>,
    /// The multi-academy trust the school belongs to, if any.
    pub trust: Option<String>,
    /// The school's website address.
    pub website: Option<String>,
    /// When the policy was written, as written (`July 2021`).
    pub written: Option<String>,
    /// When the policy was approved, as written.
    pub approved: Option<String>,
    /// Who approved the policy, as written (`LGB`).
    pub approved_by: Option<String>,
    /// Dates the policy was reviewed, as written.
    #[serde(default)]
    pub reviewed: Vec<String>,
    /// When the policy is next due for review, as written (`Spring 2024`).
    pub next_review: Option<String>,
    /// How often the policy says it is reviewed, as written ("annual", "rolling programme").
    pub review_cycle: Option<String>,
}

impl PolicyMeta {
    /// Every field name, for "did you mean" and the README.
    pub const FIELDS: [&'static str; 14] = [
        "school",
        "title",
        "source",
        "short_name",
        "phase",
        "local_authority",
        "trust",
        "website",
        "written",
        "approved",
        "approved_by",
        "reviewed",
        "next_review",
        "review_cycle",
    ];
    /// The fields every policy file must have.
    pub const REQUIRED: [&'static str; 3] = ["school", "title", "source"];
}
