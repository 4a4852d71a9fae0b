//! Dates as schools write them: "Spring 2024", "July 2022", "12/03/2021", "annual", "rolling
//! programme".
//!
//! Policies are dated loosely, so a date here is a *period* (a term, a month, a day, a year),
//! always kept next to the text it came from. A period starts on its first day and is *due* on
//! its last: "Spring 2024" means by the end of the spring term.
//!
//! | written as | period | due on |
//! | --- | --- | --- |
//! | `12/03/2021`, `2021-03-12`, `12 March 2021` | that day (UK day/month order) | that day |
//! | `March 2021`, `2021-03` | the month | its last day |
//! | `Autumn 2023`, `Autumn term 2023` | 1 September – 31 December 2023 | 31 December 2023 |
//! | `Spring 2024`, `Spring term 2024` | 1 January – 31 March 2024 | 31 March 2024 |
//! | `Summer 2024`, `Summer term 2024` | 1 April – 31 July 2024 | 31 July 2024 |
//! | `Winter 2023` | 1 December 2023 – end of February 2024 | end of February 2024 |
//! | `2016-17`, `2016/2017` (academic year) | 1 September 2016 – 31 August 2017 | 31 August 2017 |
//! | `2024` | the calendar year | 31 December 2024 |
//!
//! A review cycle ("annual", "every two years", "termly") is a [`Cycle`]; "rolling programme"
//! is recognised but gives no interval, so nothing can be derived from it.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// A period of time written in a policy, with the words it was written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The text exactly as written.
    pub text: String,
    /// First day of the period.
    pub start: Date,
    /// Last day of the period: the day something "due" in it is due.
    pub end: Date,
    /// What kind of period the text names.
    pub precision: Precision,
}

/// How precise a [`Period`] is: what span of time its text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// One day (`12/03/2021`).
    Day,
    /// A calendar month (`March 2021`).
    Month,
    /// A school term (`Spring 2024`).
    Term,
    /// An academic year, September to August (`2016-17`).
    AcademicYear,
    /// A calendar year (`2024`).
    Year,
}

/// How often a policy says it is reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cycle {
    /// The text exactly as written (`every two years`).
    pub text: String,
    /// The interval in months, when the text gives one ("annual" = 12). `None` for a rolling
    /// programme or other wording with no fixed interval.
    pub months: Option<u32>,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What was wrong and which forms are accepted, for the diagnostic.
    pub message: String,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The forms [`parse_period`] understands, for error messages.
pub const DATE_FORMS: &str = "\"Spring 2024\", \"Spring term 2024\", \"July 2022\", \"12 March 2021\", \"12/03/2021\", \"2021-07\", \"2021-07-14\", \"2016-17\" or \"2024\"";

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<i8> {
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word) || (word == "sept" && *m == "september"))
        .map(|i| i as i8 + 1)
}

static TERM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(autumn|spring|summer|winter)(?:\s+term)?\s+(\d{4})$").unwrap());
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^([a-z]{3,9}\.?),?\s+(\d{4})$").unwrap());
static DAY_MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9}\.?),?\s+(\d{4})$").unwrap());
static ISO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$").unwrap());
static NUMERIC_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$").unwrap());
static ACADEMIC_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})$").unwrap());

fn check_year(year: &str) -> Result<i16, DateError> {
    let year: i16 = year.parse().map_err(|_| error(format!("\"{year}\" is not a year")))?;
    if !(1900..=2200).contains(&year) {
        return Err(error(format!("{year} is not a plausible year for a policy")));
    }
    Ok(year)
}

fn error(message: String) -> DateError {
    DateError { message }
}

fn day(year: i16, month: i8, day: i8) -> Result<Date, DateError> {
    Date::new(year, month, day)
        .map_err(|_| error(format!("there is no day {day} in month {month} of {year}")))
}

fn month_period(year: i16, month: i8) -> Result<(Date, Date), DateError> {
    if !(1..=12).contains(&month) {
        return Err(error(format!("{month} is not a month (1–12)")));
    }
    let start = day(year, month, 1)?;
    Ok((start, start.last_of_month()))
}

/// Reads a date as schools write it. See the module docs for the forms and what they mean.
pub fn parse_period(text: &str) -> Result<Period, DateError> {
    let trimmed = text.trim();
    let make = |start: Date, end: Date, precision: Precision| Period {
        text: text.to_string(),
        start,
        end,
        precision,
    };
    if trimmed.is_empty() {
        return Err(error("the date is empty".into()));
    }
    if let Some(c) = TERM.captures(trimmed) {
        let year = check_year(&c[2])?;
        let (start, end) = match c[1].to_lowercase().as_str() {
            "autumn" => (day(year, 9, 1)?, day(year, 12, 31)?),
            "spring" => (day(year, 1, 1)?, day(year, 3, 31)?),
            "summer" => (day(year, 4, 1)?, day(year, 7, 31)?),
            _ => (day(year, 12, 1)?, day(year + 1, 2, 1)?.last_of_month()),
        };
        return Ok(make(start, end, Precision::Term));
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(trimmed) {
        let month = month_number(&c[2]).ok_or_else(|| error(format!("\"{}\" is not a month", &c[2])))?;
        let date = day(check_year(&c[3])?, month, c[1].parse().unwrap_or(0))?;
        return Ok(make(date, date, Precision::Day));
    }
    if let Some(c) = MONTH_YEAR.captures(trimmed) {
        let month = month_number(&c[1]).ok_or_else(|| error(format!("\"{}\" is not a month", &c[1])))?;
        let (start, end) = month_period(check_year(&c[2])?, month)?;
        return Ok(make(start, end, Precision::Month));
    }
    if let Some(c) = ACADEMIC_YEAR.captures(trimmed) {
        let first = check_year(&c[1])?;
        let second = &c[2];
        let next = first + 1;
        let is_next = if second.len() == 4 {
            second.parse::<i16>().ok() == Some(next)
        } else {
            second.parse::<i16>().ok() == Some(next % 100)
        };
        if is_next {
            return Ok(make(day(first, 9, 1)?, day(next, 8, 31)?, Precision::AcademicYear));
        }
    }
    if let Some(c) = ISO.captures(trimmed) {
        let year = check_year(&c[1])?;
        let month: i8 = c[2].parse().unwrap_or(0);
        return match c.get(3) {
            Some(d) => {
                let date = day(year, month, d.as_str().parse().unwrap_or(0))?;
                Ok(make(date, date, Precision::Day))
            }
            None => {
                let (start, end) = month_period(year, month)?;
                Ok(make(start, end, Precision::Month))
            }
        };
    }
    if let Some(c) = NUMERIC_DAY.captures(trimmed) {
        let year = if c[3].len() == 2 { 2000 + c[3].parse::<i16>().unwrap_or(0) } else { check_year(&c[3])? };
        let date = day(year, c[2].parse().unwrap_or(0), c[1].parse().unwrap_or(0))?;
        return Ok(make(date, date, Precision::Day));
    }
    if let Some(c) = YEAR.captures(trimmed) {
        let year = check_year(&c[1])?;
        return Ok(make(day(year, 1, 1)?, day(year, 12, 31)?, Precision::Year));
    }
    Err(error(format!("\"{trimmed}\" is not a date this tool can read")))
}

static CYCLE_EVERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bevery\s+(\d+|one|two|three|four|five|six|twelve|eighteen|twenty-four)?\s*(year|month|term)s?\b").unwrap()
});

fn number_word(word: &str) -> Option<u32> {
    Some(match word.to_lowercase().as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "twelve" => 12,
        "eighteen" => 18,
        "twenty-four" => 24,
        digits => digits.parse().ok()?,
    })
}

/// Reads a review cycle: "annual", "annually", "yearly", "every two years", "biennial",
/// "termly", "every 6 months", "rolling programme".
pub fn parse_cycle(text: &str) -> Result<Cycle, DateError> {
    let lower = text.to_lowercase();
    let make = |months| Ok(Cycle { text: text.to_string(), months });
    if let Some(c) = CYCLE_EVERY.captures(&lower) {
        let count = c.get(1).map_or(Some(1), |m| number_word(m.as_str()));
        let count = count.ok_or_else(|| error(format!("\"{text}\" has no number I can read")))?;
        let unit = match &c[2] {
            "year" => 12,
            "term" => 4,
            _ => 1,
        };
        let months = count.checked_mul(unit).filter(|&m| m > 0);
        return make(Some(
            months.ok_or_else(|| error(format!("\"{text}\" is not a cycle a review can follow")))?,
        ));
    }
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["biennial", "biannually every two"]) {
        return make(Some(24));
    }
    if has(&["triennial"]) {
        return make(Some(36));
    }
    if has(&["annual", "yearly", "each year"]) {
        return make(Some(12));
    }
    if has(&["termly", "each term"]) {
        return make(Some(4));
    }
    if has(&["rolling"]) {
        return make(None);
    }
    Err(error(format!(
        "\"{text}\" is not a review cycle this tool can read (try \"annual\", \"every two years\", \"termly\" or \"rolling programme\")"
    )))
}

/// A "checked" date as reference lists write it: `YYYY-MM-DD`, or `YYYY-MM` read as the first
/// of the month.
pub fn parse_checked(text: &str) -> Option<Date> {
    let day = if text.len() == 7 { format!("{text}-01") } else { text.to_string() };
    if day.len() != 10 {
        return None;
    }
    day.parse().ok()
}

/// Adds a cycle's interval to a date.
pub fn add_months(date: Date, months: u32) -> Date {
    let span: Span = (months as i64).months();
    date.checked_add(span).unwrap_or(date)
}

/// "2 years 7 months", "3 weeks", "5 days": how long, for people.
pub fn describe_days(days: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if days >= 365 {
        let years = days / 365;
        let months = (days % 365) / 30;
        if months > 0 {
            format!("{} {}", plural(years, "year"), plural(months, "month"))
        } else {
            plural(years, "year")
        }
    } else if days >= 60 {
        plural(days / 30, "month")
    } else if days >= 14 {
        plural(days / 7, "week")
    } else {
        plural(days, "day")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_days(965), "2 years 7 months");
        assert_eq!(describe_days(30), "4 weeks");
        assert_eq!(describe_days(1), "1 day");
    }

    fn ymd(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn terms_are_due_at_their_end() {
        let p = parse_period("Spring 2024").unwrap();
        assert_eq!((p.start, p.end), (ymd(2024, 1, 1), ymd(2024, 3, 31)));
        assert_eq!(parse_period("Spring term 2024").unwrap().end, ymd(2024, 3, 31));
        assert_eq!(parse_period("summer Term 2022").unwrap().end, ymd(2022, 7, 31));
        assert_eq!(parse_period("Autumn 2023").unwrap().end, ymd(2023, 12, 31));
        assert_eq!(parse_period("Winter 2023").unwrap().end, ymd(2024, 2, 29));
    }

    #[test]
    fn months_and_days() {
        assert_eq!(parse_period("July 2022").unwrap().end, ymd(2022, 7, 31));
        assert_eq!(parse_period("February 2024").unwrap().end, ymd(2024, 2, 29));
        assert_eq!(parse_period("Sept 2020").unwrap().end, ymd(2020, 9, 30));
        assert_eq!(parse_period("2021-07").unwrap().end, ymd(2021, 7, 31));
        let d = parse_period("12/03/2021").unwrap();
        assert_eq!((d.start, d.precision), (ymd(2021, 3, 12), Precision::Day));
        assert_eq!(parse_period("12th March 2021").unwrap().start, ymd(2021, 3, 12));
        assert_eq!(parse_period("2021-03-12").unwrap().start, ymd(2021, 3, 12));
    }

    #[test]
    fn academic_years_and_plain_years() {
        let p = parse_period("2016-17").unwrap();
        assert_eq!((p.start, p.end), (ymd(2016, 9, 1), ymd(2017, 8, 31)));
        assert_eq!(parse_period("2024").unwrap().end, ymd(2024, 12, 31));
    }

    #[test]
    fn nonsense_is_an_error_not_a_panic() {
        for text in [
            "",
            "Febtember 2024",
            "31/02/2021",
            "2021-13",
            "Spring 20245",
            "99/99/99",
            "July 0000",
            "soon",
            "1.1.1.1",
        ] {
            assert!(parse_period(text).is_err(), "{text:?} should not parse");
        }
    }

    #[test]
    fn cycles() {
        assert_eq!(parse_cycle("annual").unwrap().months, Some(12));
        assert_eq!(parse_cycle("annually").unwrap().months, Some(12));
        assert_eq!(parse_cycle("reviewed on an annual basis").unwrap().months, Some(12));
        assert_eq!(parse_cycle("every two years").unwrap().months, Some(24));
        assert_eq!(parse_cycle("every 3 years").unwrap().months, Some(36));
        assert_eq!(parse_cycle("termly").unwrap().months, Some(4));
        assert_eq!(parse_cycle("rolling programme").unwrap().months, None);
        assert!(parse_cycle("whenever").is_err());
    }
}
