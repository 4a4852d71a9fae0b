//! `site.toml`: the site's title, address, language, theme and school branding.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic, toml_key_offset};
use crate::model::SiteConfig;
use std::path::Path;

/// File name of the configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Reads `site.toml` from `root`, reporting problems with their line and column.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    if !root.join(CONFIG_FILE).exists() {
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
    Some(config)
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
}
