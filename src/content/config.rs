//! `site.toml`: the site's title, address, language, theme and school branding.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::model::SiteConfig;
use std::path::Path;

/// File name of the configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Reads `site.toml` from `root`, reporting problems with their line and column.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let source = SourceText::new(CONFIG_FILE, String::from_utf8_lossy(e.as_bytes()).into_owned());
                diagnostics.push(
                    Diagnostic::error(CONFIG_FILE, "site.toml is not valid UTF-8")
                        .at(&source, e.utf8_error().valid_up_to())
                        .with_help("save the file as UTF-8"),
                );
                return None;
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diagnostics.push(
                    Diagnostic::error(CONFIG_FILE, format!("no site.toml in {}", root.display()))
                        .with_help("run the command from the site folder, pass --root DIR, or create one with `policykb init DIR`"),
                );
            return None;
        }
        Err(e) => {
            diagnostics.push(Diagnostic::error(CONFIG_FILE, format!("cannot read site.toml: {e}")));
            return None;
        }
    };
    let source = SourceText::new(CONFIG_FILE, text);
    let config: SiteConfig = match toml::from_str(&source.text) {
        Ok(config) => config,
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            return None;
        }
    };
    check_colours(&config, &source, diagnostics);
    Some(config)
}

fn check_colours(config: &SiteConfig, source: &SourceText, diagnostics: &mut Diagnostics) {
    let colours = [
        ("primary_colour", &config.branding.primary_colour, true),
        ("accent_colour", &config.branding.accent_colour, false),
    ];
    for (field, value, needs_contrast) in colours {
        let Some(value) = value else { continue };
        let offset = source.text.find(field).unwrap_or(0);
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
    if hex.len() != 6 {
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
    }
}
