//! Review status: is each policy past its review date, due soon, current, or undated?
//!
//! The due date is the end of the `next_review` period as written ("Spring 2024" is due on
//! 31 March 2024). Without one, a stated cycle ("annual") added to the latest of the reviewed,
//! approved and written dates gives a *derived* due date. "Today" is the build date unless
//! given (`--today`, `SOURCE_DATE_EPOCH`), and the published pages re-check it in the reader's
//! browser, because a site outlives its build.

use crate::dates::add_months;
use crate::model::{PolicyDates, Review, ReviewStatus};
use jiff::civil::Date;

/// The review position of a policy with these dates, on `today`, with a due-soon window.
pub fn review(dates: &PolicyDates, today: Date, due_soon_days: i64) -> Review {
    let last_reviewed = dates
        .reviewed
        .iter()
        .chain(dates.approved.iter())
        .chain(dates.written.iter())
        .max_by_key(|p| p.end)
        .cloned();
    let (due, due_text, derived) = match (&dates.next_review, &dates.review_cycle, &last_reviewed) {
        (Some(next), _, _) => (Some(next.end), Some(next.text.clone()), false),
        (None, Some(cycle), Some(last)) => match cycle.months {
            Some(months) => (
                Some(add_months(last.end, months)),
                Some(format!("{} after {}", cycle.text, last.text)),
                true,
            ),
            None => (None, None, false),
        },
        _ => (None, None, false),
    };
    let days = due.map(|due| (due - today).get_days() as i64);
    let status = match days {
        None => ReviewStatus::NoReviewDate,
        Some(d) if d < 0 => ReviewStatus::Overdue,
        Some(d) if d <= due_soon_days => ReviewStatus::DueSoon,
        Some(_) => ReviewStatus::Current,
    };
    Review {
        status,
        due,
        due_text,
        derived,
        overdue_days: days.filter(|d| *d < 0).map(|d| -d),
        days_left: days.filter(|d| *d >= 0),
        last_reviewed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{parse_cycle, parse_period};

    fn today() -> Date {
        Date::new(2026, 11, 21).unwrap()
    }

    fn dates(next: Option<&str>, cycle: Option<&str>, reviewed: &[&str]) -> PolicyDates {
        PolicyDates {
            written: None,
            approved: None,
            reviewed: reviewed.iter().map(|r| parse_period(r).unwrap()).collect(),
            next_review: next.map(|n| parse_period(n).unwrap()),
            review_cycle: cycle.map(|c| parse_cycle(c).unwrap()),
        }
    }

    #[test]
    fn a_written_review_date_that_has_passed_is_overdue_by_the_right_amount() {
        let r = review(&dates(Some("Spring 2024"), None, &["Spring 2022"]), today(), 90);
        assert_eq!(r.status, ReviewStatus::Overdue);
        assert_eq!(r.due, Some(Date::new(2024, 3, 31).unwrap()));
        assert_eq!(r.overdue_days, Some(965));
        assert!(!r.derived);
    }

    #[test]
    fn a_cycle_and_a_last_review_give_a_derived_due_date() {
        let r = review(&dates(None, Some("annual"), &["July 2026"]), today(), 90);
        assert_eq!(r.due, Some(Date::new(2027, 7, 31).unwrap()));
        assert!(r.derived);
        assert_eq!(r.status, ReviewStatus::Current);
        let soon = review(&dates(None, Some("annual"), &["January 2026"]), today(), 90);
        assert_eq!(soon.status, ReviewStatus::DueSoon);
    }

    #[test]
    fn a_rolling_programme_gives_no_date() {
        let r = review(&dates(None, Some("rolling programme"), &["March 2021"]), today(), 90);
        assert_eq!(r.status, ReviewStatus::NoReviewDate);
        assert_eq!(r.due, None);
    }
}
