//! What an id may be — of a clause, section, topic or concern — so that it works as an
//! anchor, a file name and part of a URL without escaping. The one check every loader and
//! analysis uses.

/// Prefix reserved for the theme's own element ids, so content can never clash with them.
pub const RESERVED_PREFIX: &str = "pkb-";

/// Longest id accepted. Ids are shown in addresses and repeated in every child clause's id.
pub const MAX_ID_LEN: usize = 200;

/// How to write an id, for diagnostics.
pub const ID_HELP: &str = "ids use letters, digits, `.`, `-` and `_`, start with a letter or digit, do not start with `pkb-` and are at most 200 characters long";

/// Checks an id; the error says what is wrong with it.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.len() > MAX_ID_LEN {
        let short: String = id.chars().take(40).collect();
        return Err(format!(
            "the id `{short}…` is {} characters long; ids may be at most {MAX_ID_LEN}",
            id.len()
        ));
    }
    let mut chars = id.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !id.starts_with(RESERVED_PREFIX);
    if well_formed { Ok(()) } else { Err(format!("`{}` cannot be an id", id.escape_debug())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(check_id("6.11").is_ok());
        assert!(check_id("contact-parents").is_ok());
        for bad in ["", "../x", "a/b", "a?b", "a#b", "a\"b", "a<b", "-a", "pkb-x", "a b"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        assert!(check_id(&"a".repeat(MAX_ID_LEN)).is_ok());
        assert!(check_id(&"a".repeat(MAX_ID_LEN + 1)).unwrap_err().contains("201 characters"));
    }
}
