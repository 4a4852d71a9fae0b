//! `policykb check`: a report for the people who keep the policies — review status, superseded
//! references, content warnings, uncertain topic assignments and suggested topics not yet
//! accepted (least sure first) — as text or JSON, with `--deny` to fail a school's own CI or
//! scheduled job.

use crate::build::{BuildFailure, BuildOptions, analyse_site};
use crate::dates::describe_days;
use crate::diagnostics::Diagnostic;
use crate::model::ReviewStatus;
use serde::Serialize;
use std::fmt::Write;

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

#[derive(Debug, Serialize)]
pub struct PolicyCheck {
    pub policy: String,
    pub school: String,
    pub title: String,
    pub status: ReviewStatus,
    pub due: Option<String>,
    pub due_text: Option<String>,
    pub derived: bool,
    pub overdue_days: Option<i64>,
    pub stale_references: Vec<crate::model::StaleCitation>,
}

#[derive(Debug, Serialize)]
pub struct UncertainTopic {
    pub policy: String,
    pub clause: String,
    pub topic: String,
    pub score: f32,
    /// Whether the automatic assignment gave the topic.
    pub given: bool,
}

/// Topics `policykb import` suggested and no editor has accepted yet.
#[derive(Debug, Serialize)]
pub struct SuggestedTopics {
    pub policy: String,
    pub clause: String,
    pub topics: Vec<String>,
    /// How sure the suggestion was, from 0.5 to 1.
    pub confidence: f32,
}

/// Everything `check` found.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub today: String,
    pub policies: Vec<PolicyCheck>,
    pub warnings: Vec<Diagnostic>,
    pub uncertain_topics: Vec<UncertainTopic>,
    /// Least sure first.
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
        warnings,
        uncertain_topics,
        suggested_topics,
        failures,
    })
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
        let _ = writeln!(out, "\nSuperseded references");
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
