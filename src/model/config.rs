//! `site.toml` as the model holds it: the site's title, address, language, theme and branding.

use serde::{Deserialize, Serialize};

/// The site's configuration, as read from `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in the header and the browser tab.
    pub title: String,
    /// One sentence under the title on the home page.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://www.example.sch.uk/policies/`. Used only for
    /// absolute URLs (sitemap, canonical links); pages link to each other relatively.
    #[serde(default)]
    pub base_url: Option<String>,
    /// BCP 47 language tag of the content.
    #[serde(default = "default_language")]
    pub language: String,
    /// Folder under `themes/` (or the built-in theme) to render with.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The school's name, logo and colours (`[branding]`).
    #[serde(default)]
    pub branding: Branding,
    /// How review dates are judged (`[reviews]`).
    #[serde(default)]
    pub reviews: ReviewSettings,
    /// Slug of the site's own school, when the site is one school's: its clauses come first in
    /// search results.
    #[serde(default)]
    pub home: Option<String>,
    /// The publishing organisation, for the accessibility statement and footer.
    #[serde(default)]
    pub publisher: Publisher,
}

/// School branding: name, logo and colours.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// Organisation name in the header (defaults to the site title).
    pub name: Option<String>,
    /// Path of a logo image under `static/`, e.g. `logo.svg`.
    pub logo: Option<String>,
    /// Text alternative for the logo.
    pub logo_alt: Option<String>,
    /// Header and link colour, as `#rrggbb`; must have 4.5:1 contrast with white.
    pub primary_colour: Option<String>,
    /// Highlight colour for focus and accents, as `#rrggbb`.
    pub accent_colour: Option<String>,
}

/// How review dates are judged.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettings {
    /// A policy due within this many days is "due soon".
    #[serde(default = "default_due_soon_days")]
    pub due_soon_days: i64,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings { due_soon_days: default_due_soon_days() }
    }
}

fn default_due_soon_days() -> i64 {
    90
}

/// Who publishes the site.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// The organisation's name.
    pub name: Option<String>,
    /// Contact email address.
    pub email: Option<String>,
    /// Contact telephone number.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

fn default_language() -> String {
    "en-GB".into()
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    /// The name shown in the header.
    pub fn brand_name(&self) -> &str {
        self.branding.name.as_deref().unwrap_or(&self.title)
    }
}
