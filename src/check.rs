//! `policykb check`: a report for the people who keep the policies — review status, superseded
//! references (and the date of the list they were found with), which built-in defaults the
//! site overrides, content warnings, uncertain topic assignments and suggested topics not yet
//! accepted (least sure first) — as text or JSON, with `--deny` to fail a school's own CI or
//! scheduled job.

use crate::build::{BuildFailure, BuildOptions, analyse_site};
use crate::dates::describe_days;
use crate::diagnostics::Diagnostic;
use crate::model::{Change, DefaultsUse, ReviewStatus};
use serde::Serialize;
use std::fmt::Write;

/// The exit status of `check` when a `--deny` condition holds: 1 is a site that does not
/// load and 2 a command-line mistake (clap's), so a scheduled job can tell them apart.
pub const DENIED_EXIT_STATUS: u8 = 3;

/// Conditions that make `check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Deny {
    /// A policy is past its review date.
    Overdue,
    /// A policy cites superseded guidance.
    Stale,
    /// The content has warnings.
    Warnings,
}

/// One policy's review status and superseded citations, as `check` reports them.
#[derive(Debug, Serialize)]
pub struct PolicyCheck {
    /// The policy's slug (`holy-cross`).
    pub policy: String,
    /// The school's full name.
    pub school: String,
    /// The policy's title.
    pub title: String,
    /// Overdue, due soon, current or undated, on the check's day.
    pub status: ReviewStatus,
    /// The day the review is due (`2024-03-31`), if known.
    pub due: Option<String>,
    /// The words the due date comes from (`Spring 2024`).
    pub due_text: Option<String>,
    /// Whether the due date was worked out from the review cycle.
    pub derived: bool,
    /// Days past the due date, for an overdue policy.
    pub overdue_days: Option<i64>,
    /// Citations of superseded guidance in the policy.
    pub stale_references: Vec<crate::model::StaleCitation>,
}

/// An automatic topic assignment close to the threshold, worth settling by hand.
#[derive(Debug, Serialize)]
pub struct UncertainTopic {
    /// The policy's slug (`holy-cross`).
    pub policy: String,
    /// The clause's id in its policy (`6.11`).
    pub clause: String,
    /// The topic's id (`contact-pupils`).
    pub topic: String,
    /// The clause's relevance score for the topic.
    pub score: f32,
    /// Whether the automatic assignment gave the topic.
    pub given: bool,
}

/// Where the replacement of a superseded document found in the policies comes from.
#[derive(Debug, Serialize)]
pub struct ReferenceSource {
    /// The superseded document as cited (`Data Protection Act 1998`).
    pub cited: String,
    /// The guidance that replaces it, by name and date.
    pub source: Option<String>,
    /// When the entry was last checked.
    pub checked: Option<String>,
}

/// Topics `policykb import` suggested and no editor has accepted yet.
#[derive(Debug, Serialize)]
pub struct SuggestedTopics {
    /// The policy's slug.
    pub policy: String,
    /// The clause's id.
    pub clause: String,
    /// The suggested topic ids.
    pub topics: Vec<String>,
    /// How sure the suggestion was, from 0.5 to 1.
    pub confidence: f32,
}

/// Everything `check` found.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// The day review dates were judged against (`2026-12-04`).
    pub today: String,
    /// Every policy, in load order.
    pub policies: Vec<PolicyCheck>,
    /// The date of the built-in reference list and the built-in entries the site changed.
    pub defaults: DefaultsUse,
    /// Whether the built-in reference list was checked more than a year before `today`.
    pub references_outdated: bool,
    /// The provenance of each superseded document the policies cite, in list order.
    pub reference_sources: Vec<ReferenceSource>,
    /// Content warnings from loading and analysis.
    pub warnings: Vec<Diagnostic>,
    /// Automatic topic assignments worth an editor's look.
    pub uncertain_topics: Vec<UncertainTopic>,
    /// Topics suggested by `policykb import` and not yet accepted, least sure first.
    pub suggested_topics: Vec<SuggestedTopics>,
    /// The `--deny` conditions that hold, in words.
    pub failures: Vec<String>,
}

/// Loads and analyses the site and reports on it.
pub fn check(options: &BuildOptions, deny: &[Deny]) -> Result<CheckReport, BuildFailure> {
    let crate::build::Loaded { site, diagnostics, .. } = analyse_site(options)?;
    let policies: Vec<PolicyCheck> = site
        .policies
        .iter()
        .map(|p| {
            let review = p.review.as_ref();
            PolicyCheck {
                policy: p.slug.clone(),
                school: p.meta.school.clone(),
                title: p.meta.title.clone(),
                status: review.map_or(ReviewStatus::NoReviewDate, |r| r.status),
                due: review.and_then(|r| r.due).map(|d| d.to_string()),
                due_text: review.and_then(|r| r.due_text.clone()),
                derived: review.is_some_and(|r| r.derived),
                overdue_days: review.and_then(|r| r.overdue_days),
                stale_references: p.stale.clone(),
            }
        })
        .collect();
    let uncertain_topics = site
        .uncertain_topics
        .iter()
        .map(|u| UncertainTopic {
            policy: u.clause.policy.clone(),
            clause: u.clause.clause.clone(),
            topic: u.topic.clone(),
            score: u.score,
            given: u.given,
        })
        .collect();
    let mut reference_sources: Vec<ReferenceSource> = Vec::new();
    for reference in &site.references {
        let cited = policies.iter().flat_map(|p| &p.stale_references).any(|s| s.cited == reference.cited);
        // Entries for two ways of writing one document share `cited`: name it once.
        if cited && !reference_sources.iter().any(|r| r.cited == reference.cited) {
            reference_sources.push(ReferenceSource {
                cited: reference.cited.clone(),
                source: reference.source.clone(),
                checked: reference.checked.clone(),
            });
        }
    }
    let mut suggested_topics: Vec<SuggestedTopics> = site
        .topic_suggestions
        .iter()
        .map(|s| SuggestedTopics {
            policy: s.clause.policy.clone(),
            clause: s.clause.clause.clone(),
            topics: s.topics.clone(),
            confidence: s.confidence,
        })
        .collect();
    suggested_topics.sort_by(|a, b| a.confidence.total_cmp(&b.confidence));
    let warnings: Vec<Diagnostic> = diagnostics.into_vec();
    let mut failures = Vec::new();
    let overdue = policies.iter().filter(|p| p.status == ReviewStatus::Overdue).count();
    let stale: usize = policies.iter().map(|p| p.stale_references.len()).sum();
    if deny.contains(&Deny::Overdue) && overdue > 0 {
        failures.push(format!(
            "{overdue} polic{} past the review date",
            if overdue == 1 { "y is" } else { "ies are" }
        ));
    }
    if deny.contains(&Deny::Stale) && stale > 0 {
        failures
            .push(format!("{stale} citation{} of superseded guidance", if stale == 1 { "" } else { "s" }));
    }
    if deny.contains(&Deny::Warnings) && !warnings.is_empty() {
        failures.push(format!(
            "{} content warning{}",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(CheckReport {
        today: site.today.to_string(),
        policies,
        references_outdated: is_outdated(&site.defaults.references_checked, site.today),
        reference_sources,
        defaults: site.defaults,
        warnings,
        uncertain_topics,
        suggested_topics,
        failures,
    })
}

/// Whether a list checked on `checked` (`YYYY-MM` or `YYYY-MM-DD`) is over a year old on
/// `today`: guidance is revised every September, so such a list misses an edition.
fn is_outdated(checked: &str, today: jiff::civil::Date) -> bool {
    use jiff::ToSpan;
    crate::dates::parse_checked(checked).is_some_and(|date| date.saturating_add(1.year()) < today)
}

impl CheckReport {
    /// The report as text for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Review status on {}", self.today);
        for p in &self.policies {
            let detail = match (p.status, p.overdue_days, &p.due_text) {
                (ReviewStatus::Overdue, Some(days), Some(text)) => {
                    format!(
                        "overdue by {} (due {text}, {})",
                        describe_days(days),
                        p.due.as_deref().unwrap_or("")
                    )
                }
                (ReviewStatus::NoReviewDate, _, _) => "no review date".to_string(),
                (status, _, text) => format!(
                    "{} (due {}, {}{})",
                    status.label().to_lowercase(),
                    text.as_deref().unwrap_or(""),
                    p.due.as_deref().unwrap_or(""),
                    if p.derived { ", worked out from the review cycle" } else { "" }
                ),
            };
            let _ = writeln!(out, "  {:<42} {detail}", p.school);
        }
        let stale: Vec<&PolicyCheck> =
            self.policies.iter().filter(|p| !p.stale_references.is_empty()).collect();
        let _ = writeln!(
            out,
            "\nSuperseded references (policykb's built-in list, checked {})",
            self.defaults.references_checked
        );
        if self.references_outdated {
            let _ = writeln!(
                out,
                "  The list is more than a year old and misses guidance revised since: update policykb."
            );
        }
        if stale.is_empty() {
            let _ = writeln!(out, "  none found");
        }
        for p in stale {
            let _ = writeln!(out, "  {}", p.school);
            for s in &p.stale_references {
                let place = s.clause.as_deref().unwrap_or("");
                let _ = writeln!(out, "    {place:<24} \"{}\" → {}", s.text, s.replacement);
            }
        }
        if !self.reference_sources.is_empty() {
            let _ = writeln!(out, "  Where the replacements come from");
        }
        for r in &self.reference_sources {
            let source = r.source.as_deref().unwrap_or("no source given");
            let checked = r.checked.as_deref().map(|d| format!(" (checked {d})")).unwrap_or_default();
            let _ = writeln!(out, "    {}: {source}{checked}", r.cited);
        }
        let _ = writeln!(
            out,
            "\nBuilt-in defaults (topics, concerns, search words, superseded references, glossary)"
        );
        if self.defaults.changes.is_empty() {
            let _ = writeln!(out, "  none changed: the site uses them as built in");
        }
        for change in &self.defaults.changes {
            let place = match change.line {
                0 => change.file.display().to_string(),
                line => format!("{}:{line}", change.file.display()),
            };
            let verb = match change.change {
                Change::Replaced => "replaces",
                Change::SwitchedOff => "switches off",
            };
            let _ = writeln!(out, "  {place}  {verb} {} `{}`", change.kind, change.id);
        }
        let _ = writeln!(out, "\nContent warnings");
        if self.warnings.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for w in &self.warnings {
            let _ = writeln!(out, "  {}", w.to_string().replace('\n', "\n  "));
        }
        let _ = writeln!(out, "\nAutomatic topics to settle (scores near the threshold)");
        if self.uncertain_topics.is_empty() {
            let _ = writeln!(out, "  none: every clause's topics are settled or clear");
        }
        for u in &self.uncertain_topics {
            let _ = writeln!(
                out,
                "  {}#{}  {} {} (score {:.2}); settle it in content/topics/{}.toml",
                u.policy,
                u.clause,
                if u.given { "given" } else { "not given" },
                u.topic,
                u.score,
                u.policy
            );
        }
        if !self.suggested_topics.is_empty() {
            let _ = writeln!(
                out,
                "\nSuggested topics to accept, least sure first (accept one by deleting its `suggested = …, ` marker)"
            );
        }
        for s in &self.suggested_topics {
            let topics = if s.topics.is_empty() { "no topic".to_string() } else { s.topics.join(", ") };
            let _ = writeln!(
                out,
                "  {:.2}  {}#{}  {topics}  (content/topics/{}.toml)",
                s.confidence, s.policy, s.clause, s.policy
            );
        }
        if !self.failures.is_empty() {
            let _ = writeln!(out, "\nCheck failed: {}.", self.failures.join("; "));
        }
        out
    }
}
