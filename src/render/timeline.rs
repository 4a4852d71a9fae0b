//! The review timeline: each policy's written, approved, reviewed and due dates on one axis,
//! with a line for today, drawn as SVG at build time. The dashboard table beside it carries
//! the same facts as text.

use super::markdown::attr as escape;
use crate::model::ReviewStatus;
use crate::model::Site;
use jiff::civil::Date;
use std::fmt::Write;

const LABEL_WIDTH: f32 = 170.0;
const PLOT_WIDTH: f32 = 640.0;
const ROW_HEIGHT: f32 = 44.0;
const TOP: f32 = 34.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

fn year_fraction(date: Date) -> f32 {
    date.year() as f32 + (date.day_of_year() as f32 - 1.0) / 365.25
}

/// The timeline SVG for every policy of `site`, in the order given.
pub fn draw(site: &Site, order: &[usize]) -> String {
    let mut dates: Vec<Date> = vec![site.today];
    for policy in &site.policies {
        let d = &policy.dates;
        dates.extend(d.written.iter().chain(d.approved.iter()).chain(d.reviewed.iter()).map(|p| p.start));
        dates.extend(policy.review.as_ref().and_then(|r| r.due));
    }
    let first = dates.iter().map(|d| d.year()).min().unwrap_or(site.today.year());
    let last = dates.iter().map(|d| d.year()).max().unwrap_or(site.today.year()) + 1;
    let span = (last - first).max(1) as f32;
    let x = |date: Date| LABEL_WIDTH + (year_fraction(date) - first as f32) / span * PLOT_WIDTH;
    let height = TOP + order.len() as f32 * ROW_HEIGHT + 30.0;
    let width = LABEL_WIDTH + PLOT_WIDTH + 20.0;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="pkb-timeline-title pkb-timeline-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="{FONT}" class="timeline">"##
    );
    let _ = write!(svg, r#"<title id="pkb-timeline-title">Review timeline of every policy</title>"#);
    let mut desc = vec![format!("Timeline from {first} to {last}; today is {}.", site.today)];
    // Year grid.
    for year in first..=last {
        let gx = LABEL_WIDTH + (year - first) as f32 / span * PLOT_WIDTH;
        let _ = write!(
            svg,
            r##"<line x1="{gx:.1}" y1="{:.1}" x2="{gx:.1}" y2="{:.1}" stroke="#b1b4b6" stroke-width="1"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="#3b4044">{year}</text>"##,
            TOP - 6.0,
            height - 24.0,
            height - 8.0
        );
    }
    for (row, &p) in order.iter().enumerate() {
        let policy = &site.policies[p];
        let y = TOP + row as f32 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="13" font-weight="700" fill="#0b0c0c">{}</text>"##,
            LABEL_WIDTH - 10.0,
            y + 4.0,
            escape(policy.short_name())
        );
        let _ = write!(
            svg,
            r##"<line x1="{LABEL_WIDTH}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#dedfe0" stroke-width="1"/>"##,
            LABEL_WIDTH + PLOT_WIDTH
        );
        let mut said = Vec::new();
        let d = &policy.dates;
        for (what, period) in d
            .written
            .iter()
            .map(|p| ("written", p))
            .chain(d.approved.iter().map(|p| ("approved", p)))
            .chain(d.reviewed.iter().map(|p| ("reviewed", p)))
        {
            let px = x(period.start);
            let shape = match what {
                "written" => format!(r##"<circle cx="{px:.1}" cy="{y:.1}" r="6" fill="#1d4f91"/>"##),
                "approved" => format!(
                    r##"<rect x="{:.1}" y="{:.1}" width="11" height="11" fill="#1f6b33"/>"##,
                    px - 5.5,
                    y - 5.5
                ),
                _ => format!(
                    r##"<polygon points="{px:.1},{:.1} {:.1},{y:.1} {px:.1},{:.1} {:.1},{y:.1}" fill="#5c3b8a"/>"##,
                    y - 7.0,
                    px + 7.0,
                    y + 7.0,
                    px - 7.0
                ),
            };
            let _ = write!(
                svg,
                "<g><title>{} {what}: {}</title>{shape}</g>",
                escape(policy.short_name()),
                escape(&period.text)
            );
            said.push(format!("{what} {}", period.text));
        }
        if let Some(review) = &policy.review {
            if let Some(due) = review.due {
                let dx = x(due);
                if review.status == ReviewStatus::Overdue {
                    // The time the review is overdue, as a hatched bar up to today.
                    let _ = write!(
                        svg,
                        r##"<rect x="{dx:.1}" y="{:.1}" width="{:.1}" height="8" fill="#8e1f1f" fill-opacity="0.25" stroke="#8e1f1f" stroke-width="1"/>"##,
                        y - 4.0,
                        (x(site.today) - dx).max(0.0)
                    );
                }
                let (fill, word) = match review.status {
                    ReviewStatus::Overdue => ("#8e1f1f", "overdue"),
                    ReviewStatus::DueSoon => ("#6b4d00", "due soon"),
                    _ => ("#1f6b33", "due"),
                };
                let _ = write!(
                    svg,
                    r##"<g><title>{} review due: {} ({word})</title><polygon points="{dx:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{fill}" stroke="#0b0c0c" stroke-width="1"/></g>"##,
                    escape(policy.short_name()),
                    escape(review.due_text.as_deref().unwrap_or("")),
                    y + 9.0,
                    dx - 8.0,
                    y - 7.0,
                    dx + 8.0,
                    y - 7.0
                );
                said.push(format!("review due {} ({word})", review.due_text.as_deref().unwrap_or("")));
            } else {
                said.push("no review date".into());
            }
        }
        desc.push(format!("{}: {}.", policy.short_name(), said.join(", ")));
    }
    let tx = x(site.today);
    let _ = write!(
        svg,
        r##"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="5 3"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle" font-size="12" font-weight="700" fill="#0b0c0c">Today</text>"##,
        TOP - 4.0,
        height - 24.0,
        TOP - 12.0
    );
    let _ = write!(svg, r#"<desc id="pkb-timeline-desc">{}</desc>"#, escape(&desc.join(" ")));
    svg.push_str("</svg>");
    svg
}
