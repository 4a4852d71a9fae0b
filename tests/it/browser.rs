//! Browser tests: builds the demonstration site with this crate's binary, then runs the
//! node test suite in tests/browser/ (headless Debian chromium driven by playwright-core, audited
//! with axe-core and Lighthouse) against it. The suite needs chromium and the npm packages: `bash .ci/run`
//! installs both. Missing either is a failure, never a silent skip.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const CHROMIUM: &str = "/usr/bin/chromium";
const INSTALL_HINT: &str =
    "run `bash .ci/run` (it installs chromium and the npm packages) or `cd tests/browser && npm ci`";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the site as published: the crate's binary, the repository's content, a fixed date.
fn build_site() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-site");
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("remove the previous browser-test site");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_policykb"))
        .arg("build")
        .arg("--root")
        .arg(repo())
        .arg("--out")
        .arg(&out)
        .args(["--today", "2026-11-21"])
        .output()
        .expect("run policykb build");
    assert!(
        output.status.success(),
        "policykb build failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.join("index.html").is_file(), "the build wrote no index.html");
    out
}

#[test]
fn browser_suite() {
    let browser_dir = repo().join("tests").join("browser");
    for package in ["playwright-core", "axe-core", "lighthouse"] {
        assert!(
            browser_dir.join("node_modules").join(package).is_dir(),
            "tests/browser/node_modules/{package} is missing: {INSTALL_HINT}"
        );
    }
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing; the browser tests drive Debian's chromium: {INSTALL_HINT}"
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "`node` (v20 or later) is needed for the browser tests and was not found on PATH"
    );

    let site = build_site();
    let started = Instant::now();
    let mut child = Command::new("node")
        .args(["--test", "--test-reporter=spec", "tests/browser/"])
        .current_dir(repo())
        .env("POLICYKB_SITE", &site)
        .env("FORCE_COLOR", "0")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start `node --test tests/browser/`");

    // Stream node's report as it comes (straight to stderr, so it shows even while the test
    // harness captures output) and keep its closing summary.
    let mut summary = Vec::new();
    let mut failures = Vec::new();
    let mut in_failures = false;
    let stdout = child.stdout.take().expect("node's stdout");
    let mut stderr = std::io::stderr();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read node's output");
        let _ = writeln!(stderr, "{line}");
        let trimmed = line.trim_start();
        // The run's totals are the unindented ℹ lines (indented ones are per-test notes).
        if line.starts_with("ℹ ") {
            summary.push(line.clone());
        }
        if trimmed.starts_with("✖ failing tests:") {
            in_failures = true;
        } else if in_failures && trimmed.starts_with("✖ ") {
            failures.push(trimmed.to_string());
        }
    }
    let status = child.wait().expect("wait for node");
    let elapsed = started.elapsed();

    let summary = summary.join("\n");
    println!("browser suite ({:.1} s):\n{summary}", elapsed.as_secs_f64());
    assert!(
        status.success(),
        "browser tests failed ({status}) after {:.1} s:\n{}\n{summary}\n(full report above; screenshots and PDFs in test-artifacts/)",
        elapsed.as_secs_f64(),
        failures.join("\n")
    );
}
