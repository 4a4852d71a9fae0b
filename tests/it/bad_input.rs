//! Bad input: small fixture sites in temp dirs, each broken in one way.
//!
//! For every error the CLI must exit non-zero, name the place (`file:line:col` where there is
//! one) and — crucially — leave the previous output folder byte for byte as it was. Warnings
//! must not stop the build. Also: the output-folder safety rules, `init`, and template
//! overrides.

use crate::common;

use common::{
    Fixture, Run, assert_same_snapshot, build_cli, parse_html, read_to_string, siblings, snapshot, write,
};
use policykb::BuildOptions;
use policykb::diagnostics::{Diagnostic, Severity};
use std::ffi::OsStr;
use std::path::Path;

/// The diagnostics of a build that must fail, through the library.
fn failure(f: &Fixture) -> Vec<Diagnostic> {
    match policykb::build::generate(&BuildOptions::new(&f.root)) {
        Ok(_) => panic!("the build should have failed"),
        Err(failure) => failure.diagnostics,
    }
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// Asserts `stderr` contains `needle`, showing it otherwise.
#[track_caller]
fn assert_says(run: &Run, needle: &str) {
    assert!(run.stderr.contains(needle), "expected the output to contain `{needle}`:\n{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// The fixture itself

#[test]
fn minimal_fixture_site_builds() {
    let f = Fixture::new();
    let run = f.build_ok();
    assert!(run.stdout.contains("built 1 policies"), "{}", run.stdout);
    assert!(run.stderr.trim().is_empty(), "unexpected warnings:\n{}", run.stderr);
    let html = read_to_string(f.out.join("policies/one.html"));
    assert!(html.contains(r#"id="1.1""#));
    assert!(html.contains(r##"<a class="xref" href="#1.1">paragraph 1.1</a>"##));
    assert!(html.contains(r#"<abbr title="Designated Safeguarding Lead">DSL</abbr>"#));
    assert!(f.out.join(policykb::output::MARKER).is_file());
}

// ---------------------------------------------------------------------------------------------
// Front matter

#[test]
fn malformed_front_matter_toml_is_an_error_at_its_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            t.replace(r#"school = "Fixture Primary School""#, r#"school = "Fixture Primary School"#)
        })
    });
    let located = regex::Regex::new(r"error: content/one\.md:2:\d+: ").unwrap();
    assert!(located.is_match(&run.stderr), "{}", run.stderr);
}

#[test]
fn unknown_front_matter_field_suggests_the_right_name() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| f.edit_policy(|t| t.replace("short_name =", "short_nmae =")));
    assert_says(&run, "error: content/one.md:5:1: unknown front-matter field `short_nmae`");
    assert_says(&run, "did you mean `short_name`?");
}

#[test]
fn missing_required_field_is_named() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| f.edit_policy(|t| t.replace("title = \"Social Media Policy\"\n", "")));
    assert_says(&run, "error: content/one.md:1:1: missing required front-matter field `title`");
}

#[test]
fn unreadable_date_is_a_warning_and_the_build_goes_on() {
    let f = Fixture::new();
    f.edit_policy(|t| t.replace(r#"written = "Spring 2024""#, r#"written = "the spring after next""#));
    let run = f.build();
    run.assert_success();
    assert_says(&run, "warning: content/one.md:6:1: cannot read the date in `written`");
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let html = read_to_string(f.out.join("policies/one.html"));
    assert!(html.contains("the spring after next"), "the date is shown as written");
}

// ---------------------------------------------------------------------------------------------
// Body

#[test]
fn duplicate_clause_id_names_both_places() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| f.edit_policy(|t| format!("{t}\n1.1 A second clause numbered 1.1.\n")));
    // The new clause is on line 15; the first 1.1 on line 11.
    assert_says(&run, "error: content/one.md:15:1: duplicate id `1.1`");
    assert_says(&run, "content/one.md:11:1");

    let diagnostics = failure(&f);
    let errors = errors(&diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].column), (15, 1));
    assert_eq!(errors[0].file, Path::new("content/one.md"));
    assert!(errors[0].message.contains("content/one.md:11:1"), "{}", errors[0].message);
}

#[test]
fn duplicate_pinned_id_names_both_places() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            format!("{t}\nFirst unnumbered clause. {{#contact}}\n\nSecond unnumbered clause. {{#contact}}\n")
        })
    });
    assert_says(&run, "error: content/one.md:17:1: duplicate id `contact`");
    assert_says(&run, "content/one.md:15:1");
}

#[test]
fn non_utf8_content_is_an_error_at_its_line_and_column() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        let text = read_to_string(f.path("content/one.md"));
        // "1.1 Caf\xE9 ..." on line 11: the Windows-1252 é is at column 8.
        let bytes = text
            .replace("1.1 Staff must", "1.1 Caf\u{0} staff must")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 0 { 0xE9 } else { b })
            .collect::<Vec<u8>>();
        write(f.path("content/one.md"), bytes);
    });
    assert_says(&run, "error: content/one.md:11:8: ");
    assert_says(&run, "UTF-8");
}

#[test]
fn huge_content_file_is_rejected_with_a_clear_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        let mut text = read_to_string(f.path("content/one.md"));
        let target = policykb::content::MAX_FILE_BYTES as usize + 1;
        let line = "1.3 This sentence is repeated to make the file far too large to publish.\n\n";
        while text.len() < target {
            text.push_str(line);
        }
        write(f.path("content/one.md"), text);
    });
    assert_says(&run, "error: content/one.md: the file is 5.0 MiB (5242");
    assert_says(&run, "source files may be at most 5.0 MiB");
    assert!(!run.stderr.contains(" MB"), "one unit, MiB, throughout:\n{}", run.stderr);
}

#[test]
fn unclosed_brochure_block_is_an_error_at_its_fence() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| f.edit_policy(|t| format!("{t}\n::: brochure\nWelcome to our school.\n")));
    assert_says(&run, "error: content/one.md:15:1: `::: brochure` is never closed");
}

#[test]
fn unknown_block_kind_is_an_error() {
    let f = Fixture::new();
    let run =
        f.rebuild_fails(|f| f.edit_policy(|t| format!("{t}\n::: brochur\nWelcome to our school.\n:::\n")));
    assert_says(&run, "content/one.md:15:");
    assert_says(&run, "unknown block kind `::: brochur`");
}

#[test]
fn raw_html_is_shown_as_text_and_javascript_links_are_removed() {
    let f = Fixture::new();
    f.edit_policy(|t| {
        format!(
            "{t}\n<script>alert('block')</script>\n\n\
             1.3 See <img src=x onerror=alert(2)> and [one](javascript:alert(3)), [two]( JavaScript:alert(4)), \
             <javascript:alert(5)>, ![img](javascript:alert(6)) and [safe](https://example.org/).\n\n\
             <style>body {{ display: none }}</style>\n\n\
             1.4 Inline <span style=\"color:red\" onclick=\"alert(7)\">styled</span> text.\n"
        )
    });
    let run = f.build();
    run.assert_success();
    assert_says(&run, "warning: content/one.md:15:1: raw HTML is not allowed");
    assert_says(&run, "link to `javascript:alert(3)` removed");

    let html = read_to_string(f.out.join("policies/one.html"));
    let info = parse_html(&html);
    assert!(info.script_text.trim().is_empty(), "inline script: {}", info.script_text);
    for script in info.by_tag("script") {
        assert!(script.attr("src").is_some(), "a <script> without src: {script:?}");
    }
    assert_eq!(info.by_tag("style").count(), 0, "a <style> element got through");
    assert_eq!(info.by_tag("img").count(), 0, "an <img> got through");
    assert!(
        info.by_tag("span").all(|s| s.attr("style").is_none()),
        "a <span style> from the content got through"
    );
    for element in &info.elements {
        for (name, value) in &element.attrs {
            assert!(!name.starts_with("on"), "event handler {name}={value}");
            assert!(name != "style", "style attribute {value}");
            assert!(
                !value.to_ascii_lowercase().contains("javascript:"),
                "<{} {name}=\"{value}\">",
                element.tag
            );
        }
    }
    // Shown as text, word for word.
    assert!(html.contains("&lt;script&gt;alert("), "the raw HTML is not shown as text");
    assert!(html.contains(r#"<a href="https://example.org/" rel="noopener">safe</a>"#));
}

#[test]
fn html_in_front_matter_and_glossary_is_escaped() {
    let f = Fixture::new();
    f.edit_policy(|t| {
        t.replace(r#"title = "Social Media Policy""#, r#"title = "Policy <script>alert(1)</script>""#)
            .replace(r#"short_name = "Fixture""#, r#"short_name = "Fix\"><img src=x onerror=alert(2)>""#)
    });
    write(f.path("content/glossary.toml"), "[abbreviations]\nDSL = \"Lead\\\"><script>alert(3)</script>\"\n");
    let run = f.build();
    run.assert_success();
    for page in ["policies/one.html", "index.html"] {
        let html = read_to_string(f.out.join(page));
        let info = parse_html(&html);
        assert!(info.script_text.trim().is_empty(), "{page}: inline script {}", info.script_text);
        assert_eq!(info.by_tag("img").count(), 0, "{page}: an <img> got through");
        assert!(
            info.elements.iter().all(|e| e.attrs.iter().all(|(n, _)| !n.starts_with("on"))),
            "{page}: an event handler got through"
        );
    }
    let html = read_to_string(f.out.join("policies/one.html"));
    assert!(html.contains("Policy &lt;script&gt;alert(1)&lt;/script&gt;"), "title not escaped");
    let info = parse_html(&html);
    let abbr = info.by_tag("abbr").next().expect("DSL is still marked up");
    assert_eq!(
        abbr.attr("title").map(common::decode_entities).as_deref(),
        Some("Lead\"><script>alert(3)</script>")
    );
}

// ---------------------------------------------------------------------------------------------
// Site and theme

#[test]
fn missing_site_toml_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| std::fs::remove_file(f.path("site.toml")).unwrap());
    assert_says(&run, "error: site.toml: no site.toml in");
}

#[test]
fn malformed_site_toml_is_an_error_at_its_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        let text = read_to_string(f.path("site.toml"));
        write(f.path("site.toml"), format!("{text}titel = \"x\"\n"));
    });
    assert_says(&run, "error: site.toml:4:1: ");
    assert_says(&run, "titel");
}

#[test]
fn template_syntax_error_names_the_template_file_and_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        write(
            f.path("templates/404.html"),
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>Gone</h1>\n<p>{{ nope( }}</p>\n{% endblock content %}\n",
        )
    });
    let located = regex::Regex::new(r"error: templates/404\.html:4:\d+: template error").unwrap();
    assert!(located.is_match(&run.stderr), "{}", run.stderr);
}

#[test]
fn template_rendering_error_names_the_template_file_and_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        write(
            f.path("templates/404.html"),
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>Gone</h1>\n\n<p>{{ no_such_variable.x }}</p>\n{% endblock content %}\n",
        )
    });
    let located = regex::Regex::new(r"error: templates/404\.html:5:\d+: template error").unwrap();
    assert!(located.is_match(&run.stderr), "{}", run.stderr);
}

#[test]
fn site_template_override_is_used() {
    let f = Fixture::new();
    write(
        f.path("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>Overridden not-found page</h1>\n<p><a href=\"/\">Home</a></p>\n{% endblock content %}\n",
    );
    f.build_ok();
    let not_found = read_to_string(f.out.join("404.html"));
    assert!(not_found.contains("Overridden not-found page"), "the site's 404.html was not used");
    // The 404 page is served at any address, so it links from the site's configured one.
    assert!(
        not_found.contains(r#"<a href="https://fixture.example.org/index.html">Home</a>"#),
        "{not_found}"
    );
    // Other templates still come from the theme.
    let policy = read_to_string(f.out.join("policies/one.html"));
    assert!(policy.contains("class=\"policy-title\""));
}

// ---------------------------------------------------------------------------------------------
// Several errors at once

#[test]
fn several_errors_are_reported_together() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        // one.md: an unknown field (line 5).
        f.edit_policy(|t| t.replace("short_name =", "shortname ="));
        // two.md: malformed TOML (line 3).
        write(
            f.path("content/two.md"),
            "+++\nschool = \"Two\"\ntitle = Social Media Policy\nsource = \"two.txt\"\n+++\n\n1.1 Text.\n",
        );
        // three.md: a duplicate id (lines 7 and 9).
        write(
            f.path("content/three.md"),
            "+++\nschool = \"Three\"\ntitle = \"T\"\nsource = \"three.txt\"\n+++\n\n1.1 Text.\n\n1.1 Again.\n",
        );
        // four.md: an unclosed block (line 7) and an unknown block kind (line 9).
        write(
            f.path("content/four.md"),
            "+++\nschool = \"Four\"\ntitle = \"T\"\nsource = \"four.txt\"\n+++\n\n::: cover\nFour\n::: coverr\n",
        );
    });
    for place in [
        "error: content/one.md:5:1: unknown front-matter field `shortname`",
        "error: content/two.md:3:",
        "error: content/three.md:9:1: duplicate id `1.1`",
        "error: content/four.md:7:1: `::: cover` is never closed",
        "error: content/four.md:9:",
    ] {
        assert_says(&run, place);
    }
    assert_says(&run, "build failed with 5 errors");

    let diagnostics = failure(&f);
    assert_eq!(errors(&diagnostics).len(), 5, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d.line > 0), "every error has a line: {diagnostics:#?}");
}

#[test]
fn site_and_content_errors_are_reported_together() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        write(f.path("site.toml"), "title = \"x\"\n[branding]\nprimary_colour = \"#ffff00\"\n");
        f.edit_policy(|t| t.replace("short_name =", "shortname ="));
    });
    assert_says(&run, "error: site.toml:3:1: `primary_colour`");
    assert_says(&run, "error: content/one.md:5:1: unknown front-matter field");
}

// ---------------------------------------------------------------------------------------------
// The output folder

#[test]
fn building_into_a_folder_policykb_did_not_write_is_refused() {
    let f = Fixture::new();
    write(f.out.join("notes.txt"), "my own notes");
    write(f.out.join("photos/a.jpg"), [0u8, 1, 2, 3]);
    let before = snapshot(&f.out);
    let run = f.build();
    run.assert_failure();
    assert_says(&run, "refusing to replace");
    assert_same_snapshot(&before, &snapshot(&f.out), "a folder policykb did not write");
}

#[test]
fn building_into_the_site_root_is_refused() {
    let f = Fixture::new();
    let before = snapshot(&f.root);
    let run = build_cli(&f.root, &f.root);
    run.assert_failure();
    assert_says(&run, "refusing to replace");
    assert_same_snapshot(&before, &snapshot(&f.root), "the site folder");
}

#[test]
fn building_into_an_existing_empty_folder_is_allowed() {
    let f = Fixture::new();
    std::fs::create_dir_all(&f.out).unwrap();
    f.build_ok();
}

#[test]
fn rebuild_replaces_what_the_last_build_wrote_and_leaves_nothing_behind() {
    let f = Fixture::new();
    write(f.path("content/stale.md"), common::ONE_MD);
    f.build_ok();
    std::fs::remove_file(f.path("content/stale.md")).unwrap();
    f.edit_policy(|t| t.replace("Staff must not accept", "Staff must never accept"));
    f.build_ok();
    assert!(!f.out.join("policies/stale.html").exists(), "a page of the last build survived");
    let html = read_to_string(f.out.join("policies/one.html"));
    assert!(html.contains("Staff must never accept"), "the new content was not written");
    let left = siblings(f.out.parent().unwrap(), &["out", "site"]);
    assert!(left.is_empty(), "the build left {left:?} next to the output");
}

#[test]
fn default_output_folder_is_public_under_the_root() {
    let f = Fixture::new();
    let run = common::policykb([OsStr::new("build"), OsStr::new("--root"), f.root.as_os_str()], None);
    run.assert_success();
    assert!(f.root.join("public/policies/one.html").is_file());
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let f = Fixture::new();
    let run = common::policykb(
        [
            OsStr::new("build"),
            OsStr::new("--root"),
            f.root.as_os_str(),
            OsStr::new("--out"),
            f.out.as_os_str(),
            OsStr::new("--base-url"),
            OsStr::new("https://other.example/sub"),
        ],
        None,
    );
    run.assert_success();
    let sitemap = read_to_string(f.out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://other.example/sub/policies/one.html</loc>"), "{sitemap}");
    assert!(!sitemap.contains("fixture.example.org"), "{sitemap}");
}

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_then_build_works() {
    let dir = common::tempdir();
    let site = dir.path().join("new-site");
    let run = common::policykb([OsStr::new("init"), site.as_os_str()], None);
    run.assert_success();
    assert!(site.join("site.toml").is_file());
    let run = common::policykb([OsStr::new("build"), OsStr::new("--root"), site.as_os_str()], None);
    run.assert_success();
    assert!(run.stderr.trim().is_empty(), "the example site gives warnings:\n{}", run.stderr);
    let public = site.join("public");
    assert!(public.join("index.html").is_file());
    let pages: Vec<String> = snapshot(&public)
        .into_keys()
        .filter(|p| p.starts_with("policies/") && p.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 1, "the example site should have one policy: {pages:?}");
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = common::tempdir();
    write(dir.path().join("keep.txt"), "keep me");
    let before = snapshot(dir.path());
    let run = common::policykb([OsStr::new("init"), dir.path().as_os_str()], None);
    run.assert_failure();
    assert_says(&run, "not empty");
    assert_same_snapshot(&before, &snapshot(dir.path()), "init into a non-empty folder");
}

#[test]
fn warnings_do_not_fail_the_library_build() {
    let f = Fixture::new();
    f.edit_policy(|t| t.replace(r#"written = "Spring 2024""#, r#"written = "soon""#));
    let report = policykb::build(&BuildOptions {
        root: f.root.clone(),
        out: Some(f.out.clone()),
        base_url: None,
        today: None,
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
    assert_eq!(report.policies, 1);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report.warnings[0].severity, Severity::Warning);
    assert_eq!((report.warnings[0].line, report.warnings[0].column), (6, 1));
}

// ---------------------------------------------------------------------------------------------
// More ways content goes wrong

#[test]
fn crlf_line_endings_and_a_bom_build_like_plain_lf() {
    let plain = Fixture::new();
    plain.build_ok();
    let windows = Fixture::new();
    windows.edit_policy(|t| format!("\u{feff}{}", t.replace('\n', "\r\n")));
    let run = windows.build_ok();
    assert!(run.stderr.trim().is_empty(), "{}", run.stderr);
    for data in ["data/clauses.json", "data/policies.json"] {
        assert_eq!(
            read_to_string(plain.out.join(data)),
            read_to_string(windows.out.join(data)),
            "{data} differs for a CRLF/BOM content file"
        );
    }
}

#[test]
fn crlf_errors_still_point_at_the_right_line_and_column() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| t.replace("short_name =", "short_nmae =").replace('\n', "\r\n"))
    });
    assert_says(&run, "error: content/one.md:5:1: unknown front-matter field `short_nmae`");
}

#[test]
fn ids_reserved_for_the_theme_are_refused() {
    let f = Fixture::new();
    let run = f
        .rebuild_fails(|f| f.edit_policy(|t| format!("{t}\nA clause pinned to a theme id. {{#pkb-main}}\n")));
    assert_says(&run, "error: content/one.md:15:1: `pkb-main` cannot be an id");
}

#[test]
fn a_heading_and_a_clause_cannot_share_an_id() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| format!("{t}\n## Contact {{#contact}}\n\nA clause. {{#contact}}\n"))
    });
    assert_says(&run, "error: content/one.md:17:1: duplicate id `contact`");
    assert_says(&run, "heading at content/one.md:15:1");
}

#[test]
fn a_content_file_without_front_matter_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| write(f.path("content/two.md"), "## 1. Introduction\n\n1.1 Text.\n"));
    assert_says(&run, "error: content/two.md:1:1: a policy file must start with front matter");
}

#[test]
fn a_content_file_name_that_cannot_be_a_page_name_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        std::fs::copy(f.path("content/one.md"), f.path("content/Two Schools.md")).unwrap();
    });
    assert_says(&run, "error: content/Two Schools.md: `Two Schools` cannot be a page name");
}

#[test]
fn non_utf8_site_toml_is_an_error_at_its_line_and_column() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        let mut bytes = b"title = \"Caf".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"\"\n");
        write(f.path("site.toml"), bytes);
    });
    assert_says(&run, "error: site.toml:1:13: the file is not valid UTF-8 (byte 0xE9)");
}

#[test]
fn relative_root_and_out_paths_are_taken_from_the_working_folder() {
    let f = Fixture::new();
    let cwd = f.root.parent().unwrap();
    let run = common::policykb(["build", "--root", "site", "--out", "out"], Some(cwd));
    run.assert_success();
    assert!(f.out.join("policies/one.html").is_file());
}

#[test]
fn a_field_of_the_wrong_type_is_an_error_at_its_line() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| t.replace(r#"written = "Spring 2024""#, r#"reviewed = "Spring 2024""#))
    });
    let located = regex::Regex::new(r"error: content/one\.md:6:\d+: ").unwrap();
    assert!(located.is_match(&run.stderr), "{}", run.stderr);
}

#[test]
fn a_misspelt_glossary_table_is_an_error() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        write(f.path("content/glossary.toml"), "[abbreviation]\nDSL = \"Designated Safeguarding Lead\"\n")
    });
    assert_says(&run, "error: content/glossary.toml:1:");
}

#[test]
fn a_failed_first_build_creates_no_output_folder() {
    let f = Fixture::new();
    f.edit_policy(|t| t.replace("short_name =", "short_nmae ="));
    f.build().assert_failure();
    assert!(!f.out.exists(), "a failed build created {}", f.out.display());
    let left = siblings(f.out.parent().unwrap(), &["site"]);
    assert!(left.is_empty(), "the failed build left {left:?}");
}

// ---------------------------------------------------------------------------------------------
// Hardening: no panic, errors that name the cause and the right place

#[test]
fn a_colour_with_multibyte_characters_is_an_error_at_its_line_not_a_panic() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        let text = read_to_string(f.path("site.toml"));
        // The comment names the field first: the error must point at the field itself.
        write(
            f.path("site.toml"),
            format!("{text}\n[branding]\n# primary_colour: dark\nprimary_colour = \"#aé€\"\n"),
        );
    });
    assert_says(&run, "error: site.toml:7:1: `primary_colour` is \"#aé€\", not a colour");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_glossary_error_points_at_its_key_not_at_an_earlier_mention() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        write(
            f.path("content/glossary.toml"),
            "[abbreviations]\nDSL = \"Designated Safeguarding Lead (see SLT)\"\nSLT = \"  \"\n",
        )
    });
    assert_says(&run, "error: content/glossary.toml:3:1: glossary entry `SLT` is not usable");
}

#[test]
fn a_theme_that_is_a_path_is_one_error_naming_it() {
    for theme in ["/etc", "../outside", "a/b"] {
        let f = Fixture::new();
        write(f.path("site.toml"), format!("theme = \"{theme}\"\n{}", common::SITE_TOML));
        let diagnostics = f.diagnostics();
        let errors = errors(&diagnostics);
        assert_eq!(errors.len(), 1, "{theme}: {errors:#?}");
        assert_eq!((errors[0].file.to_str(), errors[0].line, errors[0].column), (Some("site.toml"), 1, 1));
        assert!(errors[0].message.contains(&format!("\"{theme}\"")), "names the path: {}", errors[0]);
    }
    // A plain name that is not there: one error too, not one per missing template.
    let f = Fixture::new();
    write(f.path("site.toml"), format!("theme = \"nonesuch\"\n{}", common::SITE_TOML));
    let diagnostics = f.diagnostics();
    let errors = errors(&diagnostics);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("themes/nonesuch"), "{}", errors[0]);
}

#[test]
fn line_endings_byte_order_marks_and_utf16_are_named_as_the_cause() {
    /// How a case writes the fixture's policy.
    type Encode = fn(&str) -> Vec<u8>;
    let cases: [(&str, Encode, &str); 5] = [
        ("CR-only", |t| t.replace('\n', "\r").into_bytes(), "carriage return (CR) alone"),
        ("a lone CR", |t| t.replacen("\n\n", "\r\n\r", 1).into_bytes(), "carriage return (CR) alone"),
        ("double BOM", |t| format!("\u{feff}\u{feff}{t}").into_bytes(), "two byte-order marks"),
        (
            "UTF-16 LE with BOM",
            |t| [0xFF, 0xFE].into_iter().chain(t.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            "UTF-16",
        ),
        ("UTF-16 BE without BOM", |t| t.encode_utf16().flat_map(u16::to_be_bytes).collect(), "UTF-16"),
    ];
    for (what, encode, cause) in cases {
        let f = Fixture::new();
        let run = f.rebuild_fails(|f| write(f.path("content/one.md"), encode(common::ONE_MD)));
        assert!(run.stderr.contains("error: content/one.md:"), "{what}: {}", run.stderr);
        assert!(run.stderr.contains(cause), "{what}: the cause, {cause}, is named:\n{}", run.stderr);
        assert!(
            !run.stderr.contains("front matter"),
            "{what}: not a puzzle about front matter:\n{}",
            run.stderr
        );
    }
}

#[test]
fn an_error_on_a_huge_line_shows_a_short_excerpt() {
    let f = Fixture::new();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            t.replace("short_name = \"Fixture\"", &format!("short_name = \"{}", "x".repeat(4_000_000)))
        })
    });
    assert_says(&run, "error: content/one.md:5:");
    assert!(run.stderr.len() < 10_000, "{} bytes of errors for one line", run.stderr.len());
    assert!(run.stderr.contains('…'), "the excerpt says it was cut:\n{}", run.stderr);
}
