//! `site.toml`: the site's title, address, language, theme and school branding.

use super::nth_key_offset;
use super::theme::Theme;
use crate::diagnostics::{
    Diagnostic, Diagnostics, SourceText, did_you_mean, toml_diagnostic, toml_key_offset,
};
use crate::model::SiteConfig;
use std::path::Path;

/// File name of the configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Reads `site.toml` from `root`, reporting problems with their line and column. Returns the
/// configuration and its text, for pointing at its fields later.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<(SiteConfig, SourceText)> {
    if std::fs::symlink_metadata(root.join(CONFIG_FILE))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        diagnostics
            .push(Diagnostic::error(CONFIG_FILE, format!("no site.toml in {}", root.display())).with_help(
            "run the command from the site folder, pass --root DIR, or create one with `policykb init DIR`",
        ));
        return None;
    }
    let source = super::read_source(root, Path::new(CONFIG_FILE), diagnostics, false)?;
    let config: SiteConfig = match toml::from_str(&source.text) {
        Ok(config) => config,
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            return None;
        }
    };
    check_colours(&config, &source, diagnostics);
    check_text(&config, &source, diagnostics);
    if let Some(url) = &config.base_url
        && let Err(problem) = check_base_url(url)
    {
        diagnostics.push(
            Diagnostic::error(source.path(), format!("`base_url` {problem}"))
                .at(&source, nth_key_offset(&source, "base_url", 0))
                .with_help(BASE_URL_HELP),
        );
    }
    if !super::theme::is_theme_name(&config.theme) {
        diagnostics.push(
            Diagnostic::error(
                source.path(),
                format!("`theme` is \"{}\", which is not the name of a folder in themes/", config.theme),
            )
            .at(&source, toml_key_offset(&source.text, &["theme"]).unwrap_or(0))
            .with_help("a theme is a folder themes/NAME in the site folder, named without slashes or dots, e.g. theme = \"default\""),
        );
    }
    Some((config, source))
}

/// How to write a site address, for the diagnostics of `base_url` and `--base-url`.
pub const BASE_URL_HELP: &str =
    "write the address the site is published at, e.g. \"https://www.example.sch.uk/policies/\"";

/// Checks a site address: an absolute `http` or `https` URL with a host and nothing that would
/// need escaping in a page. The error says what is wrong with it.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return Err(format!("is \"{url}\"; it must start with https:// or http://"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(['@', ':']) {
        return Err(format!("is \"{url}\", which has no host name"));
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'))
    {
        return Err(format!("is \"{}\", which contains {c:?}", url.escape_debug()));
    }
    Ok(())
}

/// Text fields that are shown as headings must say something.
fn check_text(config: &SiteConfig, source: &SourceText, diagnostics: &mut Diagnostics) {
    let fields = [("title", Some(&config.title)), ("name", config.branding.name.as_ref())];
    for (field, value) in fields {
        if value.is_some_and(|v| v.trim().is_empty()) {
            diagnostics.push(
                Diagnostic::error(source.path(), format!("`{field}` is empty"))
                    .at(source, nth_key_offset(source, field, 0))
                    .with_help("write the text to show, or leave the field out where it is optional"),
            );
        }
    }
}

/// Checks the fields of `site.toml` that name other files: `home` (a policy, of those named
/// `slugs`) and the branding logo (an asset of the theme).
pub fn check_names(
    config: &SiteConfig,
    source: &SourceText,
    slugs: &[String],
    theme: &Theme,
    diagnostics: &mut Diagnostics,
) {
    if let Some(home) = &config.home
        && !slugs.contains(home)
    {
        let help = match did_you_mean(home, slugs.iter().map(String::as_str)) {
            Some(slug) => format!("did you mean \"{slug}\"?"),
            None => {
                "write the name of a policy file in content/ without .md, e.g. home = \"holy-cross\"".into()
            }
        };
        diagnostics.push(
            Diagnostic::error(
                source.path(),
                format!("`home` is \"{home}\", but there is no content/{home}.md"),
            )
            .at(source, nth_key_offset(source, "home", 0))
            .with_help(help),
        );
    }
    if let Some(logo) = &config.branding.logo
        && !theme.assets.contains_key(logo.as_str())
    {
        diagnostics.push(
            Diagnostic::error(source.path(), format!("the logo `{logo}` is not a file in static/"))
                .at(source, nth_key_offset(source, "logo", 0))
                .with_help(format!("put the image at static/{logo}, or correct the file name")),
        );
    }
}

fn check_colours(config: &SiteConfig, source: &SourceText, diagnostics: &mut Diagnostics) {
    let colours = [
        ("primary_colour", &config.branding.primary_colour, true),
        ("accent_colour", &config.branding.accent_colour, false),
    ];
    for (field, value, needs_contrast) in colours {
        let Some(value) = value else { continue };
        let offset = toml_key_offset(&source.text, &["branding", field]).unwrap_or(0);
        match parse_hex_colour(value) {
                None => diagnostics.push(
                    Diagnostic::error(source.path(), format!("`{field}` is \"{value}\", not a colour"))
                        .at(source, offset)
                        .with_help("write colours as #rrggbb, e.g. \"#1d4f91\""),
                ),
                Some(rgb) if needs_contrast && contrast_with_white(rgb) < 4.5 => diagnostics.push(
                    Diagnostic::error(
                        source.path(),
                        format!(
                            "`{field}` {value} has a contrast of {:.1}:1 with white text; WCAG 2.1 AA needs 4.5:1",
                            contrast_with_white(rgb)
                        ),
                    )
                    .at(source, offset)
                    .with_help("choose a darker shade of the school colour"),
                ),
                Some(_) => {}
            }
    }
}

fn parse_hex_colour(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    // Checked before slicing: a multibyte character would put a cut inside it.
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG contrast ratio of a colour against white.
fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 0.01);
        assert!((contrast_with_white([0x76, 0x76, 0x76]) - 4.54).abs() < 0.01);
        assert_eq!(parse_hex_colour("#1d4f91"), Some([0x1d, 0x4f, 0x91]));
        assert_eq!(parse_hex_colour("blue"), None);
        assert_eq!(parse_hex_colour("#aé€"), None);
    }

    #[test]
    fn base_urls_are_http_addresses() {
        assert!(check_base_url("https://policies.example.sch.uk/").is_ok());
        assert!(check_base_url("http://localhost:8000").is_ok());
        for bad in [
            "javascript:alert(1)//",
            "//evil.example/",
            "https://",
            "https:///x",
            "https://x.org/\"><script>",
            "ftp://x.org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
