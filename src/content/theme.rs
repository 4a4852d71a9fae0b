//! Theme: finds the templates and static assets a site is rendered with.
//!
//! Three layers, later ones overriding earlier ones file by file:
//! 1. the default theme built into the binary (so `policykb init` sites work anywhere);
//! 2. `themes/<name>/` in the site folder (`templates/` and `static/`);
//! 3. the site's own `templates/` and `static/`.

use crate::diagnostics::{Diagnostic, Diagnostics};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a template or asset came from, for error messages.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A file of the built-in default theme, by its path in it (`templates/policy.html`).
    BuiltIn(String),
    /// A file on disk, by its path from the site root.
    File(PathBuf),
}

impl Origin {
    /// The path to show in a diagnostic.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Origin::BuiltIn(name) => PathBuf::from(format!("<built-in theme>/{name}")),
            Origin::File(path) => path.clone(),
        }
    }
}

/// A file of the theme: its content and origin.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The file's contents.
    pub bytes: Vec<u8>,
    /// Where it came from.
    pub origin: Origin,
}

/// The resolved theme: templates by name (`policy.html`) and assets by output path.
#[derive(Debug, Default)]
pub struct Theme {
    /// Templates by name (`policy.html`); the site's own file overrides the theme's.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Assets by path under `static/` (`style.css`), published under `assets/`.
    pub assets: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Resolves the theme called `name` for the site at `root`. A theme that is not there is
    /// reported once and the built-in templates stand in, so its absence is the only error.
    pub fn load(root: &Path, name: &str, diagnostics: &mut Diagnostics) -> Theme {
        let mut theme = Theme::default();
        let theme_dir = root.join("themes").join(name);
        let found = is_theme_name(name) && theme_dir.is_dir();
        if name == "default" || !found {
            theme.add_built_in(&BUILT_IN);
        }
        if found {
            theme.add_dir(root, &theme_dir.join("templates"), true, diagnostics);
            theme.add_dir(root, &theme_dir.join("static"), false, diagnostics);
        } else if name != "default" && is_theme_name(name) {
            diagnostics.push(
                Diagnostic::error(
                    "site.toml",
                    format!("theme `{name}` not found: there is no folder themes/{name}"),
                )
                .with_help("set theme = \"default\" or add the theme folder"),
            );
        }
        theme.add_dir(root, &root.join("templates"), true, diagnostics);
        theme.add_dir(root, &root.join("static"), false, diagnostics);
        theme
    }

    fn add_built_in(&mut self, dir: &Dir<'static>) {
        for entry in dir.entries() {
            if let Some(sub) = entry.as_dir() {
                self.add_built_in(sub);
            } else if let Some(file) = entry.as_file() {
                let path = file.path().to_string_lossy().replace('\\', "/");
                let themed =
                    ThemeFile { bytes: file.contents().to_vec(), origin: Origin::BuiltIn(path.clone()) };
                if let Some(name) = path.strip_prefix("templates/") {
                    self.templates.insert(name.to_string(), themed);
                } else if let Some(name) = path.strip_prefix("static/") {
                    self.assets.insert(name.to_string(), themed);
                }
            }
        }
    }

    fn add_dir(&mut self, root: &Path, dir: &Path, templates: bool, diagnostics: &mut Diagnostics) {
        if !dir.is_dir() {
            return;
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            // Links are handed to the reader, which follows them only within the site.
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(name) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let name = name.to_string_lossy().replace('\\', "/");
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
            if let Some(bytes) = super::files::read_bytes(root, &shown, diagnostics, false) {
                let file = ThemeFile { bytes, origin: Origin::File(shown) };
                let map = if templates { &mut self.templates } else { &mut self.assets };
                map.insert(name, file);
            }
        }
    }
}

/// Whether `name` can name a theme: a plain folder name, which stays inside themes/.
pub fn is_theme_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..")
}
