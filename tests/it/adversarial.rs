//! Adversarial input: one attack per test, from the files in `tests/fixtures/adversarial/`
//! (or made here, when it needs links, pipes or bulk). Each asserts the exact outcome: the
//! error with its file:line, or the safe form of the output. A failing build must leave the
//! previous output as it was ([`Fixture::rebuild_fails`]).

use crate::common;

use common::{Fixture, ONE_MD, Run, build_cli, read_to_string, repo_root, write};
use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

/// The text of `tests/fixtures/adversarial/<name>`.
fn attack(name: &str) -> String {
    read_to_string(repo_root().join("tests/fixtures/adversarial").join(name))
}

/// Asserts `stderr` has a line that is exactly `line`.
#[track_caller]
fn assert_line(run: &Run, line: &str) {
    assert!(run.stderr.lines().any(|l| l == line), "expected the line\n  {line}\nin:\n{}", run.stderr);
}

#[track_caller]
fn assert_says(run: &Run, needle: &str) {
    assert!(run.stderr.contains(needle), "expected `{needle}` in:\n{}", run.stderr);
}

/// The fixture with a second policy, `two`.
fn two_policies() -> Fixture {
    let f = Fixture::new();
    write(f.path("content/two.md"), ONE_MD.replace("Fixture Primary School", "Second Primary School"));
    f
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("create a link");
}

// ---------------------------------------------------------------------------------------------
// 1. Every output path is claimed once

#[test]
fn a_concern_called_index_cannot_replace_the_routes_index() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/concerns.toml"), attack("concern-index.toml")));
    assert_line(
        &run,
        "error: content/concerns.toml: two pages would be written to `routes/index.html`: the reporting routes index and the page of concern `index` (content/concerns.toml)",
    );
}

#[test]
fn a_topic_called_index_cannot_replace_the_comparison_matrix() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/topics.toml"), attack("topic-index.toml")));
    assert_line(
        &run,
        "error: content/topics.toml: two pages would be written to `compare/index.html`: the comparison matrix and the page of topic `index` (content/topics.toml)",
    );
}

#[test]
fn a_topic_named_like_a_pair_cannot_replace_the_pair_page() {
    let f = two_policies();
    let run = f.rebuild_fails(|f| write(f.path("content/topics.toml"), attack("topic-pair.toml")));
    assert_line(
        &run,
        "error: content/topics.toml: two pages would be written to `compare/one--two.html`: the page of topic `one--two` (content/topics.toml) and the comparison of `one` and `two`",
    );
}

#[test]
fn a_concern_defined_twice_is_an_error_at_the_second() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/concerns.toml"), attack("concern-duplicate.toml")));
    assert_line(&run, "error: content/concerns.toml:6:1: concern `staff-cyberbullied` is defined twice");
}

#[test]
fn a_theme_file_cannot_replace_a_generated_file() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("static/search-index.js"), "alert(1)"));
    assert_line(
        &run,
        "error: static/search-index.js: two pages would be written to `assets/search-index.js`: a file of the theme (static/search-index.js) and the search index",
    );
}

// ---------------------------------------------------------------------------------------------
// 3. The output folder: files the build did not write are kept; a linked --out is followed

#[test]
fn files_the_build_did_not_write_are_kept_and_its_own_old_files_go() {
    let f = two_policies();
    f.build_ok();
    write(f.out.join("CNAME"), "policies.example.sch.uk\n");
    write(f.out.join(".well-known/security.txt"), "Contact: mailto:office@example.sch.uk\n");
    std::fs::remove_file(f.path("content/two.md")).unwrap();
    f.build_ok();
    assert_eq!(read_to_string(f.out.join("CNAME")), "policies.example.sch.uk\n");
    assert_eq!(
        read_to_string(f.out.join(".well-known/security.txt")),
        "Contact: mailto:office@example.sch.uk\n"
    );
    assert!(!f.out.join("policies/two.html").exists(), "the removed policy's page survived");
    // And again: kept files stay kept, build after build.
    f.build_ok();
    assert!(f.out.join("CNAME").is_file());
}

#[test]
fn a_kept_file_the_build_now_writes_is_refused() {
    let f = Fixture::new();
    f.build_ok();
    write(f.out.join("policies/two.html"), "mine");
    write(f.path("content/two.md"), ONE_MD);
    let before = common::snapshot(&f.out);
    let run = f.build();
    run.assert_failure();
    assert_says(
        &run,
        "policies/two.html was not written by policykb, but the build now writes a file of that name",
    );
    common::assert_same_snapshot(&before, &common::snapshot(&f.out), "after a refused build");
}

#[cfg(unix)]
#[test]
fn a_linked_output_folder_is_followed_and_stays_a_link() {
    let f = Fixture::new();
    let real = f.out.with_file_name("real-out");
    let link = f.out.with_file_name("linked-out");
    std::fs::create_dir(&real).unwrap();
    symlink(&real, &link);
    build_cli(&f.root, &link).assert_success();
    build_cli(&f.root, &link).assert_success();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "--out is no longer a link");
    assert!(real.join("policies/one.html").is_file(), "the site was not written where the link points");
}

// ---------------------------------------------------------------------------------------------
// 4. Site addresses are http(s) only

#[test]
fn a_javascript_base_url_is_refused() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("site.toml"), attack("site-base-url-javascript.toml")));
    assert_line(
        &run,
        "error: site.toml:2:1: `base_url` is \"javascript:alert(1)//\"; it must start with https:// or http://",
    );
}

#[test]
fn a_javascript_base_url_flag_is_refused() {
    let f = Fixture::new();
    f.build_ok();
    let before = common::snapshot(&f.out);
    let args = [OsStr::new("build"), OsStr::new("--root"), f.root.as_os_str(), OsStr::new("--out")];
    let run = common::policykb(
        args.into_iter().chain([
            f.out.as_os_str(),
            OsStr::new("--base-url"),
            OsStr::new("javascript:alert(1)//"),
        ]),
        None,
    );
    run.assert_failure();
    assert_line(
        &run,
        "error: --base-url: the address is \"javascript:alert(1)//\"; it must start with https:// or http://",
    );
    common::assert_same_snapshot(&before, &common::snapshot(&f.out), "after a refused --base-url");
}

// ---------------------------------------------------------------------------------------------
// 5. Only files inside the site are read

#[test]
fn a_theme_outside_the_site_is_refused() {
    let f = Fixture::new();
    // Where the theme name leads from themes/: the folder above the fixture's temp dir.
    write(f.path("themes/../../../outside/static/leak.txt"), "secret");
    let run = f.rebuild_fails(|f| write(f.path("site.toml"), attack("site-theme-outside.toml")));
    assert_line(
        &run,
        "error: site.toml:2:1: `theme` is \"../../../outside\", which is not the name of a folder in themes/",
    );
    assert!(!run.stderr.contains("secret"));
}

#[cfg(unix)]
#[test]
fn a_content_link_to_a_file_outside_the_site_is_refused_unread() {
    let f = Fixture::new();
    let elsewhere = common::tempdir();
    let outside = elsewhere.path().join("outside.md");
    write(&outside, ONE_MD.replace("Staff must not", "OUTSIDE TEXT"));
    let run = f.rebuild_fails(|_| symlink(&outside, f.path("content/stolen.md")));
    assert_line(&run, "error: content/stolen.md: the file is a link to a file outside the site folder");
    assert!(!run.stderr.contains("OUTSIDE TEXT"));
}

#[cfg(unix)]
#[test]
fn a_link_to_etc_passwd_is_never_shown() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| symlink("/etc/passwd", f.path("content/passwd.md")));
    assert_line(&run, "error: content/passwd.md: the file is a link to a file outside the site folder");
    assert!(!run.stderr.contains("root:"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_theme_file_linked_outside_the_site_is_not_published() {
    let f = Fixture::new();
    let elsewhere = common::tempdir();
    let outside = elsewhere.path().join("secret.css");
    write(&outside, "secret");
    let run = f.rebuild_fails(|f| {
        std::fs::create_dir_all(f.path("static")).unwrap();
        symlink(&outside, f.path("static/leak.css"));
    });
    assert_line(&run, "error: static/leak.css: the file is a link to a file outside the site folder");
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_site_is_followed() {
    let f = Fixture::new();
    write(f.path("drafts/two.md"), ONE_MD.replace("Fixture Primary School", "Linked Primary School"));
    symlink(f.path("drafts/two.md"), f.path("content/two.md"));
    f.build_ok();
    assert!(read_to_string(f.out.join("policies/two.html")).contains("Linked Primary School"));
}

// ---------------------------------------------------------------------------------------------
// 6. Control characters and remote images

#[test]
fn a_bidi_override_is_an_error_at_its_place() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/one.md"), attack("bidi.md")));
    assert_line(
        &run,
        "error: content/one.md:9:27: the file contains the control character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    );
}

#[test]
fn a_nul_byte_is_an_error_at_its_place() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/one.md"), attack("nul.md")));
    assert_line(&run, "error: content/one.md:9:26: the file contains the control character U+0000 (NUL)");
}

#[test]
fn a_remote_image_becomes_a_link() {
    let f = Fixture::new();
    write(f.path("content/one.md"), attack("remote-image.md"));
    let run = f.build();
    run.assert_success();
    assert_line(
        &run,
        "warning: content/one.md:9:46: the image `https://tracker.example/p.gif` is not on this site; it is shown as a link",
    );
    let html = read_to_string(f.out.join("policies/one.html"));
    assert!(!html.contains("<img"), "a remote image was published");
    assert!(
        html.contains(
            r#"<a href="https://tracker.example/p.gif" rel="noopener">https://tracker.example/p.gif</a>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(
            r#"See the <a href="https://tracker.example/crest.png" rel="noopener">school crest</a> above."#
        ),
        "{html}"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Bounded nesting and id length

#[test]
fn deeply_nested_lists_are_an_error_quickly() {
    let f = Fixture::new();
    let started = Instant::now();
    let run = f.rebuild_fails(|f| f.edit_policy(|t| format!("{t}\n{}x\n", "- ".repeat(10_000))));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_line(
        &run,
        "error: content/one.md:15:17: lists and quotes are nested more than 8 levels deep here",
    );
}

#[test]
fn a_pinned_id_over_the_length_limit_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/one.md"), attack("pin-too-long.md")));
    assert_line(
        &run,
        "error: content/one.md:9:1: the id `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…` is 201 characters long; ids may be at most 200",
    );
}

// ---------------------------------------------------------------------------------------------
// 10. Reference patterns

#[test]
fn an_empty_reference_pattern_is_refused() {
    let f = Fixture::new();
    let started = Instant::now();
    let run = f
        .rebuild_fails(|f| write(f.path("content/references.toml"), attack("references-empty-pattern.toml")));
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_line(
        &run,
        "error: content/references.toml:4:1: the pattern for `Nothing at all` can match empty text, so it would match everywhere",
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Source files that are not regular files, or too big

#[cfg(unix)]
#[test]
fn a_site_toml_linked_to_dev_zero_is_refused() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        std::fs::remove_file(f.path("site.toml")).unwrap();
        symlink("/dev/zero", f.path("site.toml"));
    });
    assert_line(&run, "error: site.toml: the file is a link to a file outside the site folder");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_content_is_refused_without_waiting() {
    let f = Fixture::new();
    let started = Instant::now();
    let run = f.rebuild_fails(|f| {
        let status = std::process::Command::new("mkfifo").arg(f.path("content/pipe.md")).status().unwrap();
        assert!(status.success());
    });
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_line(&run, "error: content/pipe.md: not a regular file (a folder, device or pipe)");
}

#[test]
fn an_oversized_site_toml_is_refused() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        let padding = "# padding\n".repeat(600_000);
        write(f.path("site.toml"), format!("{}{padding}", common::SITE_TOML));
    });
    assert_line(
        &run,
        "error: site.toml: the file is 5.7 MiB (6000110 bytes); source files may be at most 5.0 MiB",
    );
}

// ---------------------------------------------------------------------------------------------
// 13. Concern and topic ids

#[test]
fn a_concern_id_that_leaves_its_folder_is_an_error_at_its_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/concerns.toml"), attack("concern-bad-id.toml")));
    assert_line(&run, "error: content/concerns.toml:2:1: concern id: `../escape` cannot be an id");
}

#[test]
fn a_topic_id_with_url_characters_is_an_error_at_its_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/topics.toml"), attack("topic-bad-id.toml")));
    assert_line(&run, "error: content/topics.toml:2:1: topic id: `friends?x=\\\"<b>` cannot be an id");
}

// ---------------------------------------------------------------------------------------------
// 15. Nothing is silently ignored

#[test]
fn an_upper_case_md_file_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/two.MD"), ONE_MD));
    assert_line(&run, "error: content/two.MD: policy files end in `.md`, not `.MD`");
}

#[test]
fn a_policy_in_a_subfolder_is_a_warning() {
    let f = Fixture::new();
    write(f.path("content/old/two.md"), ONE_MD);
    let run = f.build_ok();
    assert_line(&run, "warning: content/old/two.md: this file is not read: policies go directly in content/");
}

#[cfg(unix)]
#[test]
fn a_dangling_link_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| symlink(f.path("content/gone.md"), f.path("content/two.md")));
    assert_line(&run, "error: content/two.md: the file is a link to a file that does not exist");
}

#[test]
fn a_topics_file_for_no_policy_is_a_warning_with_a_suggestion() {
    let f = Fixture::new();
    write(f.path("content/topics/onee.toml"), "[clauses]\n");
    let run = f.build_ok();
    assert_line(&run, "warning: content/topics/onee.toml: this file is not read: it belongs to no policy");
    assert_says(&run, "did you mean content/topics/one.toml?");
}

#[test]
fn a_malformed_pin_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/one.md"), attack("pin-malformed.md")));
    assert_line(&run, "error: content/one.md:9:1: `my id` cannot be an id");
}

#[test]
fn heading_attributes_other_than_an_id_are_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/one.md"), attack("heading-attributes.md")));
    assert_line(&run, "error: content/one.md:7:1: a heading may end with {#id} and nothing else in braces");
}

#[test]
fn an_empty_school_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/one.md"), attack("school-empty.md")));
    assert_line(&run, "error: content/one.md:2:1: `school` is empty");
}

#[test]
fn an_empty_site_title_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("site.toml"), attack("site-title-empty.toml")));
    assert_line(&run, "error: site.toml:1:1: `title` is empty");
}

#[test]
fn a_nan_search_weight_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/search.toml"), attack("search-nan-weight.toml")));
    assert_line(
        &run,
        "error: content/search.toml:1:1: `synonym_weight` is NaN; it must be above 0 and at most 1",
    );
}

#[test]
fn an_unknown_home_is_an_error_with_a_suggestion() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("site.toml"), attack("site-home-unknown.toml")));
    assert_line(&run, "error: site.toml:2:1: `home` is \"onee\", but there is no content/onee.md");
    assert_says(&run, "did you mean \"one\"?");
}

#[test]
fn a_logo_that_does_not_exist_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("site.toml"), attack("site-logo-missing.toml")));
    assert_line(&run, "error: site.toml:4:1: the logo `crest.svg` is not a file in static/");
}
