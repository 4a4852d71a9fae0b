//! Review status: where a policy stands against its review date on a given day.

use crate::dates::Period;
use jiff::civil::Date;
use serde::Serialize;

/// Whether a policy is past its review date, due soon, current, or undated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    /// The review date has passed.
    Overdue,
    /// The review is due within `due_soon_days` (`site.toml`).
    DueSoon,
    /// The review date is further off.
    Current,
    /// No review date is written or can be derived.
    NoReviewDate,
}

impl ReviewStatus {
    /// How the pages name the status (`Due soon`).
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Overdue => "Overdue",
            ReviewStatus::DueSoon => "Due soon",
            ReviewStatus::Current => "Current",
            ReviewStatus::NoReviewDate => "No review date",
        }
    }
}

/// A policy's review position on a given day.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// Overdue, due soon, current or undated.
    pub status: ReviewStatus,
    /// The day the review is due, if known.
    pub due: Option<Date>,
    /// The words the due date comes from ("Spring 2024", or "annual after Spring 2022").
    pub due_text: Option<String>,
    /// True when the due date was worked out from a review cycle, not written.
    pub derived: bool,
    /// Days past the due date (overdue policies only).
    pub overdue_days: Option<i64>,
    /// Days left before the due date (current and due-soon policies).
    pub days_left: Option<i64>,
    /// The most recent date the policy was written, approved or reviewed.
    pub last_reviewed: Option<Period>,
}
