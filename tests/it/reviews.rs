//! Review dates and policy health: review status worked out for a given day (`--today`,
//! `SOURCE_DATE_EPOCH`), derived due dates, unreadable dates, the home page and the reviews
//! dashboard, passed review dates and superseded references marked in the text, `policykb
//! check` with `--deny` and `--format json`, and assets/reviews.js re-checking the badges with
//! the reader's date (run under node with a fake DOM).
//!
//! Day differences are worked out here independently (civil-day arithmetic below), never with
//! the product's own date code.

use crate::common;

use common::{Run, bin, decode_entities, html_text, read_to_string, repo_root, resolve, write};
use policykb::BuildOptions;
use regex::Regex;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The day the seeds are judged on in most tests.
const TODAY: &str = "2026-11-21";

use common::SCHOOLS;

// ---------------------------------------------------------------------------------------------
// Civil-day arithmetic, independent of the product (H. Hinnant's algorithms).

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date `days` after 1970-01-01, as ISO `YYYY-MM-DD`.
fn iso_from_days(days: i64) -> String {
    let z = days + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of an ISO date.
fn days(iso: &str) -> i64 {
    let parts: Vec<i64> = iso.split('-').map(|p| p.parse().expect("a number")).collect();
    assert_eq!(parts.len(), 3, "not an ISO date: {iso}");
    days_from_civil(parts[0], parts[1], parts[2])
}

fn date(iso: &str) -> jiff::civil::Date {
    iso.parse().unwrap_or_else(|e| panic!("{iso}: {e}"))
}

#[test]
fn the_independent_day_arithmetic_is_right() {
    assert_eq!(days("1970-01-01"), 0);
    assert_eq!(days(TODAY) - days("2024-03-31"), 965);
    assert_eq!(iso_from_days(days("2024-02-29") + 1), "2024-03-01");
    assert_eq!(iso_from_days(1_700_000_000 / 86_400), "2023-11-14");
    for d in [-1, 0, 59, 18_000, 20_000, 400_000] {
        assert_eq!(days(&iso_from_days(d)), d);
    }
}

// ---------------------------------------------------------------------------------------------
// The real site, built once for TODAY.

struct Real {
    _dir: tempfile::TempDir,
    out: PathBuf,
    policies: Vec<Value>,
}

fn real() -> &'static Real {
    static BUILT: OnceLock<Real> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (dir, out) = common::build_real_site(Some(date(TODAY)));
        let policies = json_array(&out.join("data/policies.json"));
        Real { _dir: dir, out, policies }
    })
}

fn real_page(path: &str) -> String {
    read_to_string(real().out.join(path))
}

fn json_array(path: &Path) -> Vec<Value> {
    match serde_json::from_str(&read_to_string(path)) {
        Ok(Value::Array(records)) => records,
        other => panic!("{} is not a JSON array: {other:?}", path.display()),
    }
}

fn record<'a>(policies: &'a [Value], slug: &str) -> &'a Value {
    policies
        .iter()
        .find(|p| p["slug"] == slug)
        .unwrap_or_else(|| panic!("data/policies.json has no policy `{slug}`"))
}

// ---------------------------------------------------------------------------------------------
// Fixture sites

const FIXTURE_SITE_TOML: &str = "title = \"Fixture Site\"\nbase_url = \"https://fixture.example.org/\"\n";

/// A policy file: the front matter `fields` (one `key = value` per line) and a body.
fn policy_md(school: &str, fields: &str, body: &str) -> String {
    format!(
        "+++\nschool = \"{school}\"\ntitle = \"Social Media Policy\"\nsource = \"fixture.txt\"\n{fields}+++\n\n## 1. Introduction\n\n{body}\n"
    )
}

const PLAIN_BODY: &str = "1.1 Staff must not accept pupils as friends on social media.";

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

impl Fixture {
    /// A site with `site.toml` (plus `site_extra`) and `content/<slug>.md` for each policy.
    fn new(site_extra: &str, policies: &[(&str, String)]) -> Fixture {
        let dir = common::tempdir();
        let root = dir.path().join("site");
        write(root.join("site.toml"), format!("{FIXTURE_SITE_TOML}{site_extra}"));
        for (slug, md) in policies {
            write(root.join(format!("content/{slug}.md")), md);
        }
        let out = dir.path().join("out");
        Fixture { _dir: dir, root, out }
    }

    /// Builds through the library, judging dates on `today`; panics on failure.
    fn build(&self, today: &str) -> policykb::BuildReport {
        let options = BuildOptions {
            root: self.root.clone(),
            out: Some(self.out.clone()),
            base_url: None,
            today: Some(date(today)),
        };
        policykb::build(&options).unwrap_or_else(|failure| panic!("the fixture does not build:\n{failure}"))
    }

    fn policies(&self) -> Vec<Value> {
        json_array(&self.out.join("data/policies.json"))
    }

    fn page(&self, path: &str) -> String {
        read_to_string(self.out.join(path))
    }

    /// The record of one policy in data/policies.json.
    fn record(&self, slug: &str) -> Value {
        record(&self.policies(), slug).clone()
    }
}

/// The 1-based line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line contains {needle:?}")) + 1
}

// ---------------------------------------------------------------------------------------------
// Running the CLI with a controlled environment

/// Runs `policykb` with `args`; `SOURCE_DATE_EPOCH` is removed unless given in `epoch`.
fn cli(args: &[&str], epoch: Option<&str>) -> Run {
    let mut command = Command::new(bin());
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    let output = command.output().expect("run the policykb binary");
    Run {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `policykb check --format json` on the real site, parsed.
fn check_json(extra: &[&str], epoch: Option<&str>) -> (Run, Value) {
    let root = repo_root();
    let mut args = vec!["check", "--root", root.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let run = cli(&args, epoch);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("check --format json is not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, report)
}

fn status_in(report: &Value, slug: &str) -> String {
    let policy = report["policies"]
        .as_array()
        .expect("policies is an array")
        .iter()
        .find(|p| p["policy"] == slug)
        .unwrap_or_else(|| panic!("the check report has no policy `{slug}`"));
    policy["status"].as_str().expect("a status").to_string()
}

/// `SOURCE_DATE_EPOCH` for a moment of a day: `seconds` after its midnight, UTC.
fn epoch_of(iso: &str, seconds: i64) -> String {
    (days(iso) * 86_400 + seconds).to_string()
}

// ---------------------------------------------------------------------------------------------
// HTML helpers

use common::pieces;

/// The first element with class `review-badge` in `html`: (opening tag, whole element).
fn first_badge(html: &str) -> Option<(String, String)> {
    let open = Regex::new(r#"<span\b[^>]*class="review-badge\b[^"]*"[^>]*>"#).unwrap();
    let m = open.find(html)?;
    // The badge holds only spans: find the matching close tag by counting.
    let mut depth = 0usize;
    let tag = Regex::new(r"<(/?)span\b[^>]*>").unwrap();
    for t in tag.captures_iter(&html[m.start()..]) {
        if &t[1] == "/" {
            depth -= 1;
            if depth == 0 {
                let end = m.start() + t.get(0).unwrap().end();
                return Some((m.as_str().to_string(), html[m.start()..end].to_string()));
            }
        } else {
            depth += 1;
        }
    }
    None
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"\s{}="([^"]*)""#, regex::escape(name))).unwrap();
    re.captures(tag).map(|c| decode_entities(&c[1]))
}

fn classes(tag: &str) -> Vec<String> {
    attr(tag, "class").unwrap_or_default().split_whitespace().map(str::to_string).collect()
}

/// The label shown for a status.
fn label(status: &str) -> &'static str {
    match status {
        "overdue" => "Overdue",
        "due-soon" => "Due soon",
        "current" => "Current",
        "no-review-date" => "No review date",
        other => panic!("unknown status {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Review status of the seeds

#[test]
fn seed_review_status_on_the_given_day() {
    let policies = &real().policies;
    let expected = [
        ("holy-cross", "overdue", Some(("2024-03-31", "Spring 2024"))),
        ("weston-all-saints", "overdue", Some(("2022-07-31", "July 2022"))),
        ("hunslet-carr", "overdue", Some(("2018-06-30", "June 2018"))),
        ("elthorne-park", "overdue", Some(("2024-02-29", "February 2024"))),
        ("caldecote", "no-review-date", None),
    ];
    for (slug, status, due) in expected {
        let review = &record(policies, slug)["review"];
        assert_eq!(review["status"], status, "{slug}: {review}");
        assert_eq!(review["derived"], false, "{slug}: {review}");
        assert_eq!(review["as_of"], TODAY, "{slug}: {review}");
        match due {
            Some((iso, text)) => {
                assert_eq!(review["due"], iso, "{slug}: {review}");
                assert_eq!(review["due_text"], text, "{slug}: {review}");
                let overdue = days(TODAY) - days(iso);
                assert!(overdue > 0);
                assert_eq!(review["overdue_days"], overdue, "{slug}: {review}");
            }
            None => {
                assert!(review["due"].is_null(), "{slug}: {review}");
                assert!(review["overdue_days"].is_null(), "{slug}: {review}");
            }
        }
    }
    assert_eq!(record(policies, "holy-cross")["review"]["overdue_days"], 965);
}

#[test]
fn the_cli_today_flag_gives_the_same_status() {
    let dir = common::tempdir();
    let out = dir.path().join("out");
    let root = repo_root();
    let run = cli(
        &["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--today", "2024-02-01"],
        Some("1"),
    );
    run.assert_success();
    let policies = json_array(&out.join("data/policies.json"));
    let holy_cross = &record(&policies, "holy-cross")["review"];
    assert_eq!(holy_cross["as_of"], "2024-02-01", "--today wins over SOURCE_DATE_EPOCH");
    assert_eq!(holy_cross["status"], "due-soon", "{holy_cross}");
    assert!(holy_cross["overdue_days"].is_null());
}

#[test]
fn source_date_epoch_decides_today_without_the_flag() {
    // 1700000000 is 2023-11-14 22:13:20 UTC: Holy Cross is due on 2024-03-31, 138 days away.
    let (run, report) = check_json(&[], Some("1700000000"));
    run.assert_success();
    assert_eq!(report["today"], "2023-11-14");
    assert_eq!(days("2024-03-31") - days("2023-11-14"), 138);
    assert_eq!(status_in(&report, "holy-cross"), "current");
    assert_eq!(status_in(&report, "hunslet-carr"), "overdue");

    let cases = [
        // (day, seconds into it, Holy Cross, Elthorne Park (due 2024-02-29))
        ("2024-02-01", 0, "due-soon", "due-soon"),
        ("2023-12-15", 43_200, "current", "due-soon"),
        ("2024-03-31", 86_399, "due-soon", "overdue"),
        ("2024-04-01", 0, "overdue", "overdue"),
    ];
    for (day, seconds, holy_cross, elthorne) in cases {
        let (run, report) = check_json(&[], Some(&epoch_of(day, seconds)));
        run.assert_success();
        assert_eq!(report["today"], day, "SOURCE_DATE_EPOCH {}", epoch_of(day, seconds));
        assert_eq!(status_in(&report, "holy-cross"), holy_cross, "Holy Cross on {day}");
        assert_eq!(status_in(&report, "elthorne-park"), elthorne, "Elthorne Park on {day}");
    }
}

#[test]
fn source_date_epoch_sets_the_day_of_a_cli_build() {
    let fixture = Fixture::new(
        "",
        &[("one", policy_md("One Primary School", "next_review = \"Spring 2024\"\n", PLAIN_BODY))],
    );
    let run = cli(
        &["build", "--root", fixture.root.to_str().unwrap(), "--out", fixture.out.to_str().unwrap()],
        Some(&epoch_of("2024-02-01", 3_600)),
    );
    run.assert_success();
    let review = &fixture.record("one")["review"];
    assert_eq!(review["as_of"], "2024-02-01");
    assert_eq!(review["status"], "due-soon");
    let (open, _) = first_badge(&fixture.page("policies/one.html")).expect("a badge");
    assert_eq!(attr(&open, "data-built").as_deref(), Some("2024-02-01"));
}

#[test]
fn the_today_flag_wins_over_source_date_epoch() {
    let (run, report) = check_json(&["--today", TODAY], Some("1700000000"));
    run.assert_success();
    assert_eq!(report["today"], TODAY);
    assert_eq!(status_in(&report, "holy-cross"), "overdue");
}

#[test]
fn a_malformed_source_date_epoch_is_an_error_not_a_guess() {
    let root = repo_root();
    let run = cli(&["check", "--root", root.to_str().unwrap()], Some("yesterday"));
    run.assert_failure();
    assert!(run.stderr.contains("SOURCE_DATE_EPOCH"), "the error should name the variable:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Derived due dates and the due-soon window

fn derived_fixture(site_extra: &str) -> Fixture {
    Fixture::new(
        site_extra,
        &[
            (
                "annual",
                policy_md(
                    "Annual Primary School",
                    "reviewed = [\"July 2025\"]\nreview_cycle = \"annual\"\n",
                    PLAIN_BODY,
                ),
            ),
            (
                "latest",
                // Not in date order: the latest date counts, not the last listed.
                policy_md(
                    "Latest Primary School",
                    "written = \"Spring 2019\"\nreviewed = [\"July 2025\", \"Autumn 2023\"]\nreview_cycle = \"annually\"\n",
                    PLAIN_BODY,
                ),
            ),
            (
                "biennial",
                policy_md(
                    "Biennial Primary School",
                    "approved = \"March 2024\"\nreview_cycle = \"every two years\"\n",
                    PLAIN_BODY,
                ),
            ),
        ],
    )
}

#[test]
fn a_review_cycle_and_the_latest_review_give_a_derived_due_date() {
    let fixture = derived_fixture("");
    let report = fixture.build(TODAY);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let policies = fixture.policies();
    for (slug, due) in [("annual", "2026-07-31"), ("latest", "2026-07-31"), ("biennial", "2026-03-31")] {
        let review = &record(&policies, slug)["review"];
        assert_eq!(review["derived"], true, "{slug}: {review}");
        assert_eq!(review["due"], due, "{slug}: {review}");
        assert_eq!(review["status"], "overdue", "{slug}: {review}");
        assert_eq!(review["overdue_days"], days(TODAY) - days(due), "{slug}: {review}");
        // The page says the date was worked out, and gives it.
        let page = fixture.page(&format!("policies/{slug}.html"));
        let (open, _) = first_badge(&page).expect("a badge");
        assert_eq!(attr(&open, "data-due").as_deref(), Some(due), "{slug}");
        let panel = page.split("dates-panel").nth(1).expect("a dates panel");
        let panel = &panel[..panel.find("</section>").unwrap_or(panel.len())];
        assert!(html_text(panel).contains(due), "{slug}: the dates panel should give {due}:\n{panel}");
    }
}

#[test]
fn due_soon_days_in_site_toml_changes_the_window() {
    // On 2025-10-04 the derived due date 2026-07-31 is 300 days away.
    let today = "2025-10-04";
    assert_eq!(days("2026-07-31") - days(today), 300);

    let default = derived_fixture("");
    default.build(today);
    assert_eq!(record(&default.policies(), "annual")["review"]["status"], "current");
    let (open, _) = first_badge(&default.page("policies/annual.html")).expect("a badge");
    assert_eq!(attr(&open, "data-window").as_deref(), Some("90"));

    let wide = derived_fixture("\n[reviews]\ndue_soon_days = 400\n");
    wide.build(today);
    let policies = wide.policies();
    assert_eq!(record(&policies, "annual")["review"]["status"], "due-soon");
    assert_eq!(record(&policies, "latest")["review"]["status"], "due-soon");
    // Due 2026-03-31: 178 days away, due soon in either window.
    assert_eq!(record(&policies, "biennial")["review"]["status"], "due-soon");
    let (open, whole) = first_badge(&wide.page("policies/annual.html")).expect("a badge");
    assert!(classes(&open).contains(&"review-due-soon".to_string()), "{open}");
    assert!(html_text(&whole).contains("Due soon"), "{whole}");
    assert_eq!(
        attr(&open, "data-window").as_deref(),
        Some("400"),
        "the page script must use the same window"
    );

    // A window never makes an overdue policy "due soon".
    wide.build("2026-08-01");
    assert_eq!(record(&wide.policies(), "annual")["review"]["status"], "overdue");
}

#[test]
fn the_due_day_itself_is_due_soon_and_the_next_day_overdue() {
    let fixture = Fixture::new(
        "",
        &[(
            "one",
            policy_md(
                "One Primary School",
                "next_review = \"Spring 2024\"\n",
                "1.1 Staff must not accept pupils as friends on social media.\n\n1.2 Next review: Spring 2024.",
            ),
        )],
    );
    fixture.build("2024-03-31");
    let review = &fixture.record("one")["review"];
    assert_eq!(review["status"], "due-soon", "{review}");
    let page = fixture.page("policies/one.html");
    let (_, whole) = first_badge(&page).expect("a badge");
    assert!(html_text(&whole).contains("Due today"), "{whole}");
    assert!(!page.contains("date-passed\""), "a date is not passed on its own day");

    fixture.build("2024-04-01");
    let review = &fixture.record("one")["review"];
    assert_eq!(review["status"], "overdue", "{review}");
    assert_eq!(review["overdue_days"], 1);
    let page = fixture.page("policies/one.html");
    let (_, whole) = first_badge(&page).expect("a badge");
    assert!(html_text(&whole).contains("Overdue by 1 day"), "{whole}");
    assert!(page.contains(r#"<mark class="date-passed" data-due="2024-03-31">Spring 2024</mark>"#));
}

// ---------------------------------------------------------------------------------------------
// Dates that cannot be read, and every form that can

const ODD_FIELDS: &str = "short_name = \"Odd\"\nwritten = \"31/02/2021\"\nreviewed = [\"Spring 2020\", \"Smarch 2021\"]\nnext_review = \"Febtember 2024\"\nreview_cycle = \"whenever\"\n";

fn odd_fixture() -> (Fixture, String) {
    let md = policy_md("Odd Primary School", ODD_FIELDS, PLAIN_BODY);
    (Fixture::new("", &[("odd", md.clone())]), md)
}

#[test]
fn nonsense_dates_are_warnings_at_their_field_never_a_crash() {
    let (fixture, md) = odd_fixture();
    let run = cli(
        &[
            "build",
            "--root",
            fixture.root.to_str().unwrap(),
            "--out",
            fixture.out.to_str().unwrap(),
            "--today",
            TODAY,
        ],
        None,
    );
    run.assert_success();
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("error"), "{}", run.stderr);
    for field in ["written", "reviewed", "next_review", "review_cycle"] {
        let line = line_of(&md, &format!("{field} ="));
        let place = format!("warning: content/odd.md:{line}:1: ");
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&place) && l.contains(field)),
            "expected a warning at {place} naming `{field}`:\n{}",
            run.stderr
        );
    }
    let review = &fixture.record("odd")["review"];
    assert_eq!(review["status"], "no-review-date", "{review}");
    // The export keeps the dates as written.
    let odd = fixture.record("odd");
    assert_eq!(odd["next_review"], "Febtember 2024");
    assert_eq!(odd["written"], "31/02/2021");
    // The home page shows them as written.
    let home = html_text(&fixture.page("index.html"));
    for text in ["Febtember 2024", "31/02/2021", "Smarch 2021"] {
        assert!(home.contains(text), "the home page should show {text:?} as written");
    }
}

#[test]
fn unreadable_dates_are_shown_as_written_on_the_policy_page() {
    let (fixture, _) = odd_fixture();
    fixture.build(TODAY);
    let page = fixture.page("policies/odd.html");
    let panel = page.split("dates-panel").nth(1).expect("a dates panel");
    let panel = html_text(&panel[..panel.find("</section>").unwrap_or(panel.len())]);
    for text in ["Febtember 2024", "31/02/2021", "Smarch 2021", "whenever"] {
        assert!(
            panel.contains(text),
            "the policy page's dates panel should show the date {text:?} as written (the warning says \
             \"it is shown as written meanwhile\"); the panel reads:\n{panel}"
        );
    }
}

#[test]
fn every_listed_date_form_gives_the_right_due_date() {
    let forms = [
        ("Spring 2024", "2024-03-31"),
        ("Spring term 2024", "2024-03-31"),
        ("July 2022", "2022-07-31"),
        ("June 2018", "2018-06-30"),
        ("February 2024", "2024-02-29"),
        ("February 2023", "2023-02-28"),
        ("March 2021", "2021-03-31"),
        ("2021-07", "2021-07-31"),
        ("12/03/2021", "2021-03-12"),
        ("12 March 2021", "2021-03-12"),
        ("2021-07-14", "2021-07-14"),
        ("Autumn 2023", "2023-12-31"),
        ("Summer term 2022", "2022-07-31"),
        ("2016-17", "2017-08-31"),
        ("2024", "2024-12-31"),
    ];
    let policies: Vec<(String, String)> = forms
        .iter()
        .enumerate()
        .map(|(i, (written, _))| {
            let fields = format!("next_review = \"{written}\"\n");
            (format!("form-{i:02}"), policy_md(&format!("School {i}"), &fields, PLAIN_BODY))
        })
        .collect();
    let refs: Vec<(&str, String)> = policies.iter().map(|(s, m)| (s.as_str(), m.clone())).collect();
    let fixture = Fixture::new("", &refs);
    let report = fixture.build(TODAY);
    assert!(report.warnings.is_empty(), "every form should parse: {:?}", report.warnings);
    let records = fixture.policies();
    let mut wrong = Vec::new();
    for (i, (written, due)) in forms.iter().enumerate() {
        let review = &record(&records, &format!("form-{i:02}"))["review"];
        if review["due"] != *due || review["due_text"] != *written || review["derived"] != false {
            wrong.push(format!("{written:?}: expected due {due}, got {review}"));
        }
        let expected_status = if days(due) < days(TODAY) { "overdue" } else { "current" };
        if review["status"] != expected_status {
            wrong.push(format!("{written:?}: expected {expected_status}, got {review}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Home page, policy pages, dashboard

#[test]
fn the_home_page_lists_every_policy_with_its_status_overdue_first() {
    let home = real_page("index.html");
    let policies = &real().policies;
    let cards = pieces(&home, "class=\"policy-card\"");
    assert_eq!(cards.len(), SCHOOLS.len(), "one card per policy");
    let href = Regex::new(r#"href="([^"]+)""#).unwrap();
    let mut order = Vec::new();
    for card in &cards {
        let link = href.captures(card).map(|c| decode_entities(&c[1])).expect("a card links to its policy");
        let target = resolve("index.html", link.split('#').next().unwrap()).expect("a site link");
        let slug = target
            .strip_prefix("policies/")
            .and_then(|t| t.strip_suffix(".html"))
            .unwrap_or_else(|| panic!("the card's first link should be its policy page, not {link}"))
            .to_string();
        let status = record(policies, &slug)["review"]["status"].as_str().unwrap().to_string();
        let (open, whole) = first_badge(card).unwrap_or_else(|| panic!("{slug}'s card has no badge"));
        assert!(classes(&open).contains(&format!("review-{status}")), "{slug}: {open}");
        assert!(html_text(&whole).contains(label(&status)), "{slug}: {whole}");
        order.push((slug, status));
    }
    let first_not_overdue = order.iter().position(|(_, s)| s != "overdue").unwrap_or(order.len());
    assert!(order[first_not_overdue..].iter().all(|(_, s)| s != "overdue"), "overdue first: {order:?}");
    assert_eq!(order.last().map(|(s, _)| s.as_str()), Some("caldecote"), "{order:?}");
}

#[test]
fn the_home_page_orders_mixed_statuses_by_urgency() {
    let fixture = Fixture::new(
        "",
        &[
            ("a-current", policy_md("A School", "next_review = \"Summer 2030\"\n", PLAIN_BODY)),
            ("b-none", policy_md("B School", "", PLAIN_BODY)),
            ("c-soon", policy_md("C School", "next_review = \"December 2026\"\n", PLAIN_BODY)),
            ("d-overdue", policy_md("D School", "next_review = \"2020\"\n", PLAIN_BODY)),
            ("e-overdue", policy_md("E School", "next_review = \"Spring 2026\"\n", PLAIN_BODY)),
        ],
    );
    fixture.build(TODAY);
    let home = fixture.page("index.html");
    let order: Vec<String> = pieces(&home, "class=\"policy-card\"")
        .iter()
        .map(|card| {
            let (open, _) = first_badge(card).expect("a badge");
            classes(&open).into_iter().find(|c| c.starts_with("review-") && c != "review-badge").unwrap()
        })
        .collect();
    assert_eq!(order.len(), 5);
    let pos = |s: &str| -> Vec<usize> {
        order.iter().enumerate().filter(|(_, c)| *c == &format!("review-{s}")).map(|(i, _)| i).collect()
    };
    let overdue = pos("overdue");
    assert_eq!(overdue.len(), 2, "{order:?}");
    assert!(overdue.iter().all(|&i| i < 2), "overdue first: {order:?}");
    assert!(pos("due-soon")[0] < pos("current")[0], "due soon before current: {order:?}");
}

#[test]
fn every_policy_page_has_a_dates_panel_with_a_machine_readable_badge() {
    for (slug, _) in SCHOOLS {
        let page = real_page(&format!("policies/{slug}.html"));
        let review = &record(&real().policies, slug)["review"];
        let status = review["status"].as_str().unwrap();
        let panel = page
            .split("class=\"dates-panel\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{slug}: no element with class dates-panel"));
        let (open, whole) =
            first_badge(panel).unwrap_or_else(|| panic!("{slug}: no badge in the dates panel"));
        assert!(classes(&open).contains(&format!("review-{status}")), "{slug}: {open}");
        assert!(html_text(&whole).contains(label(status)), "{slug}: the badge must say its status in words");
        match review["due"].as_str() {
            Some(due) => {
                assert_eq!(attr(&open, "data-due").as_deref(), Some(due), "{slug}: {open}");
                assert_eq!(attr(&open, "data-built").as_deref(), Some(TODAY), "{slug}: {open}");
                let overdue = days(TODAY) - days(due);
                let detail = format!("Overdue by {}", policykb::dates::describe_days(overdue));
                assert!(html_text(&whole).contains(&detail), "{slug}: expected {detail:?} in {whole}");
            }
            None => assert_eq!(attr(&open, "data-due"), None, "{slug}: no due date, nothing to re-check"),
        }
    }
}

/// The dashboard is read by governors: it speaks of policies and guidance, not of the files the
/// site is built from.
#[test]
fn the_reviews_dashboard_names_no_source_files() {
    let text = html_text(&real_page("reviews/index.html"));
    for file_word in ["content/", ".toml", ".md"] {
        assert!(!text.contains(file_word), "the reviews page mentions {file_word:?}");
    }
}

#[test]
fn the_reviews_dashboard_has_a_row_per_policy() {
    let page = real_page("reviews/index.html");
    let table = page.split("<table").nth(1).expect("a table on reviews/index.html");
    let table = &table[..table.find("</table>").expect("closed table")];
    let cell = Regex::new(r"(?s)<t([hd])\b[^>]*>(.*?)</t[hd]>").unwrap();
    let head = &table[..table.find("<tbody").expect("a tbody")];
    let headers: Vec<String> = cell.captures_iter(head).map(|c| html_text(&c[2]).to_lowercase()).collect();
    let column = |words: &[&str]| -> usize {
        headers
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
            .unwrap_or_else(|| panic!("no column headed {words:?} in {headers:?}"))
    };
    let (school_col, policy_col, last_col, due_col, status_col, stale_col) = (
        column(&["school"]),
        column(&["policy"]),
        column(&["last"]),
        column(&["due"]),
        column(&["status"]),
        column(&["superseded", "stale"]),
    );
    let body = &table[table.find("<tbody").unwrap()..];
    let rows: Vec<&str> = pieces(body, "<tr").into_iter().filter(|r| r.contains("<td")).collect();
    assert_eq!(rows.len(), SCHOOLS.len(), "one row per policy");
    let href = Regex::new(r#"href="([^"]+)""#).unwrap();
    let mut seen = Vec::new();
    for row in rows {
        let cells: Vec<&str> = cell.captures_iter(row).map(|c| c.get(2).unwrap().as_str()).collect();
        assert_eq!(cells.len(), headers.len(), "{row}");
        let school = html_text(cells[school_col]);
        let (slug, _) = SCHOOLS
            .iter()
            .find(|(_, name)| school.contains(name))
            .unwrap_or_else(|| panic!("the row names no school: {school}"));
        seen.push(*slug);
        let policy = record(&real().policies, slug);
        let link = href.captures(cells[policy_col]).map(|c| decode_entities(&c[1])).expect("a policy link");
        assert_eq!(
            resolve("reviews/index.html", &link).as_deref(),
            Some(format!("policies/{slug}.html").as_str())
        );
        assert!(html_text(cells[policy_col]).contains(policy["title"].as_str().unwrap()));

        let last = html_text(cells[last_col]);
        let mut given: Vec<&str> =
            policy["reviewed"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        given.extend(["written", "approved"].iter().filter_map(|f| policy[*f].as_str()));
        let expected_last = match *slug {
            "holy-cross" => Some("Spring 2022"),
            "weston-all-saints" => Some("July 2021"),
            "caldecote" => Some("March 2021"),
            _ => None,
        };
        match expected_last {
            Some(text) => assert!(last.contains(text), "{slug}: last reviewed should read {text}: {last}"),
            None => assert!(
                given.is_empty() && !last.chars().any(|c| c.is_ascii_digit()),
                "{slug}: no date given, yet the cell reads {last}"
            ),
        }

        let review = &policy["review"];
        let due = html_text(cells[due_col]);
        if let (Some(iso), Some(text)) = (review["due"].as_str(), review["due_text"].as_str()) {
            assert!(
                due.contains(iso) && due.contains(text),
                "{slug}: the due cell should give {text} and {iso}: {due}"
            );
        } else {
            assert!(!due.chars().any(|c| c.is_ascii_digit()), "{slug}: {due}");
        }

        let status = review["status"].as_str().unwrap();
        let (open, whole) = first_badge(cells[status_col]).expect("a status badge");
        assert!(classes(&open).contains(&format!("review-{status}")), "{slug}: {open}");
        assert!(html_text(&whole).contains(label(status)));

        let stale = policy["stale_references"].as_array().unwrap().len();
        let digits: String = html_text(cells[stale_col]).chars().filter(char::is_ascii_digit).collect();
        if stale == 0 {
            assert!(digits.is_empty() || digits == "0", "{slug}: {digits}");
        } else {
            assert_eq!(digits, stale.to_string(), "{slug}: superseded references");
        }
    }
    seen.sort();
    let mut all: Vec<&str> = SCHOOLS.iter().map(|(s, _)| *s).collect();
    all.sort();
    assert_eq!(seen, all);
}

#[test]
fn the_reviews_timeline_is_an_accessible_svg_with_a_today_line() {
    let page = real_page("reviews/index.html");
    let start = page.find("<svg").expect("an inline SVG on reviews/index.html");
    let end = page[start..].find("</svg>").expect("a closed SVG") + start + "</svg>".len();
    let svg = &page[start..end];
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("the timeline is not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let child_text = |name: &str| -> String {
        root.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .unwrap_or_default()
    };
    let (title, desc) = (child_text("title"), child_text("desc"));
    assert!(!title.is_empty(), "the SVG needs a <title>");
    assert!(!desc.is_empty(), "the SVG needs a <desc>");
    if let Some(labelled) = root.attribute("aria-labelledby") {
        for id in labelled.split_whitespace() {
            assert!(doc.descendants().any(|n| n.attribute("id") == Some(id)), "aria-labelledby names {id}");
        }
    }
    for policy in &real().policies {
        let short = policy["short_name"].as_str().unwrap();
        assert!(desc.contains(short), "the description should mention {short}: {desc}");
        if let Some(text) = policy["review"]["due_text"].as_str() {
            assert!(desc.contains(text), "the description should give {short}'s due date {text}: {desc}");
        }
    }
    let today = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim() == "Today"))
        .expect("a Today label");
    let x: f64 = today.attribute("x").expect("the label has x").parse().unwrap();
    let line = doc.descendants().find(|n| {
        n.has_tag_name("line")
            && [n.attribute("x1"), n.attribute("x2")]
                .iter()
                .all(|v| v.and_then(|v| v.parse::<f64>().ok()).is_some_and(|v| (v - x).abs() < 0.5))
    });
    assert!(line.is_some(), "a vertical line at the Today label (x = {x})");
}

// ---------------------------------------------------------------------------------------------
// Passed review dates in the text

#[test]
fn passed_review_dates_in_the_text_are_marked() {
    let expected = [
        ("elthorne-park", "2024-02-29", "February 2024"),
        ("holy-cross", "2024-03-31", "Spring 2024"),
        ("hunslet-carr", "2018-06-30", "June 2018"),
        ("weston-all-saints", "2022-07-31", "July 2022"),
    ];
    for (slug, due, text) in expected {
        let page = real_page(&format!("policies/{slug}.html"));
        let mark = format!(r#"<mark class="date-passed" data-due="{due}">{text}</mark>"#);
        assert!(page.contains(&mark), "{slug} should contain {mark}");
    }
    // Dates of past reviews are history, not review dates that have passed.
    let holy_cross = real_page("policies/holy-cross.html");
    assert!(!holy_cross.contains(">Spring 2022</mark>"), "Reviewed: Spring 2022 is not a passed review date");
}

#[test]
fn future_review_dates_in_the_text_are_not_marked() {
    let body = "1.1 Staff must not accept pupils as friends on social media.\n\n1.2 Next review: Spring 2030.\n\n1.3 Next review due: February 2024.";
    let fixture = Fixture::new("", &[("one", policy_md("One School", "", body))]);
    fixture.build(TODAY);
    let page = fixture.page("policies/one.html");
    let mark = Regex::new(r#"<mark class="date-passed"[^>]*>([^<]*)</mark>"#).unwrap();
    let marked: Vec<String> = mark.captures_iter(&page).map(|c| c[1].to_string()).collect();
    assert_eq!(marked, ["February 2024"], "only the passed date is marked");
    assert!(html_text(&page).contains("Next review: Spring 2030"));

    // The same text judged before February 2024 marks nothing.
    fixture.build("2024-01-15");
    assert!(!fixture.page("policies/one.html").contains("date-passed\""));
}

// ---------------------------------------------------------------------------------------------
// Superseded references

/// (policy, words as the policy writes them, clause if pinned, a word the replacement names)
const EXPECTED_STALE: [(&str, &str, Option<&str>, &str); 12] = [
    ("hunslet-carr", "Data Protection Act 1998", None, "2018"),
    ("hunslet-carr", "Preventing and Tacking Bullying 2014", None, "2017"),
    ("hunslet-carr", "Safer Working Practice Guidance (HR Schools 2014)", None, "2019"),
    ("holy-cross", "Data Protection Act 1998", Some("6.20"), "2018"),
    ("holy-cross", "Prevent Duty (June 2015)", Some("1.4"), "2023"),
    ("holy-cross", "Prevent Duty (June 2015)", Some("13.3"), "2023"),
    ("holy-cross", "Keeping Children Safe in Education", Some("1.4"), "2025"),
    ("holy-cross", "Sexting Guidance", None, "nudes"),
    ("weston-all-saints", "Keeping Children Safe in Education 2019", None, "2025"),
    ("weston-all-saints", "General Data Protection Regulations (GDPR) 2018", None, "UK GDPR"),
    ("elthorne-park", "thinkuknow", None, "CEOP"),
    ("hunslet-carr", "Data Protection Act 1998", Some("section-9-4"), "2018"),
];

#[test]
fn every_expected_superseded_citation_is_flagged_with_its_replacement() {
    let mut missing = Vec::new();
    for (slug, words, clause, replacement) in EXPECTED_STALE {
        let stale = record(&real().policies, slug)["stale_references"].as_array().expect("stale_references");
        let found = stale.iter().any(|s| {
            s["text"].as_str().is_some_and(|t| t.contains(words))
                && clause.is_none_or(|c| s["clause"] == c)
                && s["replacement"].as_str().is_some_and(|r| r.contains(replacement) && s["text"] != r)
        });
        if !found {
            missing.push(format!("{slug}: {words:?} (clause {clause:?}) → …{replacement}…"));
        }
    }
    assert!(missing.is_empty(), "not flagged in data/policies.json:\n  {}", missing.join("\n  "));
    // The Holy Cross KCSIE citation is an edition before 2025.
    let holy_cross = record(&real().policies, "holy-cross")["stale_references"].as_array().unwrap();
    let kcsie = holy_cross
        .iter()
        .find(|s| s["clause"] == "1.4" && s["text"].as_str().unwrap().contains("Keeping Children"))
        .unwrap();
    let year: i32 = Regex::new(r"(19|20)\d\d")
        .unwrap()
        .find(kcsie["text"].as_str().unwrap())
        .unwrap()
        .as_str()
        .parse()
        .unwrap();
    assert!(year < 2025, "{kcsie}");
}

/// Each superseded citation marked on a page: (words, note). The words are in
/// `<span class="stale">…</span>`, followed (after the link they are in, if any) by a marker
/// linking to the note after the clause; words and markers pair up in page order. Markup inside
/// the words (an abbreviation) is dropped without adding space.
fn stale_marks(html: &str) -> Vec<(String, String)> {
    let words = Regex::new(r#"(?s)<span class="stale">(.*?)</span>"#).unwrap();
    let marker = Regex::new(r##"<sup class="note-ref"><a href="#([^"]+)">"##).unwrap();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let words: Vec<_> = words.captures_iter(html).collect();
    let markers: Vec<_> = marker.captures_iter(html).collect();
    assert_eq!(
        words.len(),
        markers.len(),
        "a superseded citation without its marker, or a marker without one"
    );
    words
        .iter()
        .zip(&markers)
        .map(|(w, m)| {
            assert!(w.get(0).unwrap().end() <= m.get(0).unwrap().start(), "a marker before its words");
            let start = html
                .find(&format!(r#"<p class="clause-note" id="{}">"#, &m[1]))
                .unwrap_or_else(|| panic!("the marker of {} leads to no note", &w[1]));
            let note = &html[start..start + html[start..].find("</p>").expect("the note is closed")];
            (html_text(&tags.replace_all(&w[1], "")), html_text(note))
        })
        .collect()
}

#[test]
fn expected_superseded_citations_are_marked_on_the_policy_pages() {
    let mut missing = Vec::new();
    for (slug, words, _, replacement) in EXPECTED_STALE {
        let marks = stale_marks(&real_page(&format!("policies/{slug}.html")));
        if !marks.iter().any(|(w, note)| w.contains(words) && note.contains(replacement)) {
            missing.push(format!("{slug}: {words:?} with a stale-note naming …{replacement}…"));
        }
    }
    assert!(missing.is_empty(), "not marked on the policy page:\n  {}", missing.join("\n  "));
}

#[test]
fn every_flagged_citation_is_marked_on_its_page() {
    let mut problems = Vec::new();
    for policy in &real().policies {
        let slug = policy["slug"].as_str().unwrap();
        let marks = stale_marks(&real_page(&format!("policies/{slug}.html")));
        // Words as written → the clauses they are flagged in.
        let mut flagged: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for s in policy["stale_references"].as_array().unwrap() {
            let words = s["text"].as_str().unwrap().to_string();
            flagged.entry(words).or_default().push(s["clause"].as_str().unwrap_or("-").to_string());
        }
        for (words, clauses) in flagged {
            let shown = marks.iter().filter(|(w, _)| *w == words).count();
            if shown < clauses.len() {
                problems.push(format!(
                    "{slug}: {words:?} flagged {}× ({}), marked {shown}×",
                    clauses.len(),
                    clauses.join(", ")
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "citations flagged in data/policies.json but not marked on the page:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn a_current_edition_is_not_flagged() {
    let weston = record(&real().policies, "weston-all-saints");
    let flagged: Vec<&Value> = weston["stale_references"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["text"].as_str().unwrap().contains("Safer Working Practice"))
        .collect();
    assert!(flagged.is_empty(), "the May 2019 edition is current: {flagged:?}");
    let page = real_page("policies/weston-all-saints.html");
    assert!(html_text(&page).contains("Guidance for Safer Working Practice"), "the citation is on the page");
    assert!(stale_marks(&page).iter().all(|(w, _)| !w.contains("Safer Working Practice")));
}

// ---------------------------------------------------------------------------------------------
// policykb check

#[test]
fn check_deny_overdue_fails_and_names_the_overdue_policies() {
    let root = repo_root();
    let run = cli(&["check", "--root", root.to_str().unwrap(), "--today", TODAY, "--deny", "overdue"], None);
    run.assert_failure();
    assert_eq!(
        run.status.code(),
        Some(i32::from(policykb::check::DENIED_EXIT_STATUS)),
        "a denied condition has its own exit status"
    );
    for (slug, school) in SCHOOLS {
        let status = record(&real().policies, slug)["review"]["status"].as_str().unwrap();
        let line = run
            .stdout
            .lines()
            .find(|l| l.contains(school))
            .unwrap_or_else(|| panic!("{school} not named:\n{}", run.stdout));
        assert_eq!(line.to_lowercase().contains("overdue"), status == "overdue", "{line}");
    }
    assert!(
        run.stdout.to_lowercase().contains("4 policies"),
        "the failure should say how many:\n{}",
        run.stdout
    );
}

#[test]
fn check_without_deny_reports_and_passes() {
    let root = repo_root();
    let run = cli(&["check", "--root", root.to_str().unwrap(), "--today", TODAY], None);
    run.assert_success();
    assert!(run.stdout.contains("Data Protection Act 1998"), "{}", run.stdout);
}

#[test]
fn check_deny_stale_fails_on_the_seeds() {
    let root = repo_root();
    let run = cli(&["check", "--root", root.to_str().unwrap(), "--today", TODAY, "--deny", "stale"], None);
    run.assert_failure();
    assert!(run.stdout.contains("superseded guidance"), "{}", run.stdout);
    // On 1 January 2015 nothing is overdue: --deny overdue passes and --deny stale still fails.
    let root = root.to_str().unwrap();
    cli(&["check", "--root", root, "--today", "2015-01-01", "--deny", "overdue"], None).assert_success();
    cli(&["check", "--root", root, "--today", "2015-01-01", "--deny", "stale"], None).assert_failure();
}

#[test]
fn check_exit_statuses_tell_a_denied_condition_from_a_usage_error_and_a_broken_site() {
    let root = repo_root();
    let root = root.to_str().unwrap();
    let denied = cli(&["check", "--root", root, "--today", TODAY, "--deny", "stale"], None);
    let usage = cli(&["check", "--root", root, "--deny", "no-such-condition"], None);
    let dir = common::tempdir();
    let broken = cli(&["check", "--root", dir.path().to_str().unwrap()], None);
    assert_eq!(denied.status.code(), Some(3), "{}", denied.stderr);
    assert_eq!(usage.status.code(), Some(2), "{}", usage.stderr);
    assert_eq!(broken.status.code(), Some(1), "{}", broken.stderr);
    assert!(common::read_to_string(common::repo_root().join("README.md")).contains("exits with status 3"));
}

#[test]
fn check_json_has_policies_status_and_stale_references() {
    let (run, report) = check_json(&["--today", TODAY, "--deny", "overdue,stale"], None);
    run.assert_failure();
    assert_eq!(report["today"], TODAY);
    let policies = report["policies"].as_array().expect("policies");
    assert_eq!(policies.len(), SCHOOLS.len());
    for p in policies {
        let slug = p["policy"].as_str().expect("policy slug");
        let exported = record(&real().policies, slug);
        assert_eq!(p["status"], exported["review"]["status"], "{slug}");
        assert_eq!(p["due"], exported["review"]["due"], "{slug}");
        let stale = p["stale_references"].as_array().expect("stale_references");
        assert_eq!(stale.len(), exported["stale_references"].as_array().unwrap().len(), "{slug}");
        assert!(stale.iter().all(|s| s["text"].is_string() && s["replacement"].is_string()));
    }
    assert_eq!(report["failures"].as_array().map(Vec::len), Some(2), "{}", report["failures"]);
}

fn healthy_fixture(extra_clause: &str) -> Fixture {
    let body = format!("{PLAIN_BODY}\n\n1.2 Staff should report concerns to the head teacher.{extra_clause}");
    Fixture::new(
        "",
        &[(
            "one",
            policy_md("One School", "written = \"July 2025\"\nnext_review = \"Summer 2030\"\n", &body),
        )],
    )
}

#[test]
fn check_passes_on_a_healthy_site_with_deny_overdue_and_stale() {
    let fixture = healthy_fixture("");
    let root = fixture.root.to_str().unwrap();
    let run = cli(&["check", "--root", root, "--today", TODAY, "--deny", "overdue,stale"], None);
    run.assert_success();
    let run = cli(
        &[
            "check", "--root", root, "--today", TODAY, "--deny", "overdue", "--deny", "stale", "--format",
            "json",
        ],
        None,
    );
    run.assert_success();
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["policies"][0]["status"], "current");
    assert_eq!(report["failures"].as_array().map(Vec::len), Some(0));

    // One superseded citation fails --deny stale only.
    let stale = healthy_fixture("\n\n1.3 Records are kept under the Data Protection Act 1998.");
    let root = stale.root.to_str().unwrap();
    cli(&["check", "--root", root, "--today", TODAY, "--deny", "stale"], None).assert_failure();
    cli(&["check", "--root", root, "--today", TODAY, "--deny", "overdue"], None).assert_success();
    // And the policy passes its review date in 2030.
    cli(&["check", "--root", root, "--today", "2030-08-01", "--deny", "overdue"], None).assert_failure();
}

// ---------------------------------------------------------------------------------------------
// assets/reviews.js under node

const HARNESS: &str = r#"
'use strict';
const [script, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson);
const RealDate = Date;
const FIXED = new RealDate(spec.today[0], spec.today[1] - 1, spec.today[2], 12, 0, 0).getTime();
class FakeDate extends RealDate {
  constructor(...args) { if (args.length === 0) { super(FIXED); } else { super(...args); } }
  static now() { return FIXED; }
}
globalThis.Date = FakeDate;
function element(attrs, className, parts) {
  return {
    attrs, className, parts,
    getAttribute(n) { return Object.prototype.hasOwnProperty.call(this.attrs, n) ? this.attrs[n] : null; },
    setAttribute(n, v) { this.attrs[n] = String(v); },
    hasAttribute(n) { return Object.prototype.hasOwnProperty.call(this.attrs, n); },
    removeAttribute(n) { delete this.attrs[n]; },
    querySelector(sel) { return this.parts[sel] || null; },
    get classList() { const self = this; return {
      contains(c) { return self.className.split(/\s+/).includes(c); },
      add(c) { if (!this.contains(c)) self.className += ' ' + c; },
      remove(c) { self.className = self.className.split(/\s+/).filter(x => x !== c).join(' '); },
    }; },
  };
}
const badges = spec.badges.map(b => {
  const attrs = {};
  if (b.due) { attrs['data-due'] = b.due; attrs['data-built'] = b.built; attrs['data-window'] = String(b.window); }
  return element(attrs, 'review-badge review-' + b.status, {
    '.review-label': { textContent: b.label },
    '.review-detail': { textContent: b.detail },
  });
});
const today = element({ 'data-built': spec.built }, 'review-today', {});
today.textContent = spec.built;
globalThis.document = {
  readyState: 'complete',
  querySelectorAll(sel) {
    if (sel.includes('review-today')) return [today];
    if (sel.includes('review-badge') || sel.includes('data-due')) {
      return sel.includes('data-due') ? badges.filter(b => b.hasAttribute('data-due')) : badges;
    }
    return [];
  },
  querySelector() { return null; },
  getElementById() { return null; },
  addEventListener(type, fn) { if (type === 'DOMContentLoaded') fn(); },
};
globalThis.window = globalThis;
require(script);
console.log(JSON.stringify({
  badges: badges.map(b => ({
    className: b.className,
    label: b.parts['.review-label'].textContent,
    detail: b.parts['.review-detail'].textContent,
  })),
  today: today.textContent,
}));
"#;

#[test]
fn reviews_js_rechecks_badges_against_the_readers_date() {
    use policykb::dates::describe_days;
    let script = real().out.join("assets/reviews.js");
    assert!(script.is_file(), "the site has no assets/reviews.js");
    let reader_today = TODAY;
    let built = "2026-01-01";
    let t = days(reader_today);
    // (due, status at build, expected status, expected label, expected detail)
    let mut cases: Vec<(String, &str, String, String, String)> = Vec::new();
    for overdue in [1, 13, 14, 59, 60, 235, 364, 365, 395, 730, 965, 3066] {
        cases.push((
            iso_from_days(t - overdue),
            "current",
            "overdue".into(),
            "Overdue".into(),
            format!("Overdue by {}", describe_days(overdue)),
        ));
    }
    cases.push((reader_today.into(), "current", "due-soon".into(), "Due soon".into(), "Due today".into()));
    for left in [1, 14, 89, 90] {
        cases.push((
            iso_from_days(t + left),
            "current",
            "due-soon".into(),
            "Due soon".into(),
            format!("Due in {}", describe_days(left)),
        ));
    }
    for left in [91, 365, 800] {
        cases.push((
            iso_from_days(t + left),
            "overdue",
            "current".into(),
            "Current".into(),
            format!("Due in {}", describe_days(left)),
        ));
    }
    let spec = serde_json::json!({
        "today": [2026, 11, 21],
        "built": built,
        "badges": cases.iter().map(|(due, status, ..)| serde_json::json!({
            "due": due, "built": built, "window": 90, "status": status,
            "label": label(status), "detail": "as built",
        }))
        .chain([
            // Built today: the build's status stands.
            serde_json::json!({"due": "2030-01-01", "built": reader_today, "window": 90, "status": "overdue", "label": "Overdue", "detail": "as built"}),
            // No due date: nothing to re-check.
            serde_json::json!({"due": null, "built": built, "window": 90, "status": "no-review-date", "label": "No review date", "detail": ""}),
        ])
        .collect::<Vec<_>>(),
    });
    let dir = common::tempdir();
    let harness = dir.path().join("harness.js");
    write(&harness, HARNESS);
    let output = Command::new("node")
        .arg(&harness)
        .arg(&script)
        .arg(spec.to_string())
        .env("TZ", "UTC")
        .output()
        .expect("node must be installed to test assets/reviews.js (it is the site's only runtime besides the browser)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "node failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let result: Value = serde_json::from_str(stdout.trim()).expect("the harness prints JSON");
    let badges = result["badges"].as_array().unwrap();
    let mut wrong = Vec::new();
    for (i, (due, _, status, label, detail)) in cases.iter().enumerate() {
        let b = &badges[i];
        let class = b["className"].as_str().unwrap();
        let ok = class.split_whitespace().any(|c| c == format!("review-{status}"))
            && class.split_whitespace().any(|c| c == "review-badge")
            && b["label"] == label.as_str()
            && b["detail"] == detail.as_str();
        if !ok {
            wrong.push(format!("due {due}: expected {status} / {label} / {detail:?}, got {b}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "assets/reviews.js disagrees with the build's rules:\n  {}",
        wrong.join("\n  ")
    );
    let untouched = &badges[cases.len()];
    assert_eq!(untouched["className"], "review-badge review-overdue", "built today: {untouched}");
    assert_eq!(untouched["detail"], "as built");
    let undated = &badges[cases.len() + 1];
    assert_eq!(undated["className"], "review-badge review-no-review-date");
    assert!(result["today"].as_str().unwrap().starts_with(reader_today), "{}", result["today"]);
}
