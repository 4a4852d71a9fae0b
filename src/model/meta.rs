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
    pub local_authority: Option<String>,
    pub trust: Option<String>,
    pub website: Option<String>,
    pub written: Option<String>,
    pub approved: Option<String>,
    pub approved_by: Option<String>,
    #[serde(default)]
    pub reviewed: Vec<String>,
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
    pub const REQUIRED: [&'static str; 3] = ["school", "title", "source"];
}
