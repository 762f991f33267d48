//! XML escaping shared by the GraphML and GEXF writers: the five special characters,
//! whitespace that attribute normalisation would destroy, and characters XML 1.0 forbids.

use crate::text::is_xml_char;

/// Appends `text` escaped for XML element content or a double- or single-quoted
/// attribute value: `& < > " '` become entities, tab, newline and carriage return become
/// character references (so attribute-value normalisation keeps them), and characters
/// XML 1.0 forbids become U+FFFD.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(position) = rest.find(|c: char| needs_escape(c)) {
        out.push_str(&rest[..position]);
        let mut chars = rest[position..].chars();
        let Some(c) = chars.next() else {
            break;
        };
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push('\u{FFFD}'),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'' | '\t' | '\n' | '\r') || !is_xml_char(c)
}

/// `text` escaped (see [`escape_into`]).
#[cfg(test)]
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials_whitespace_and_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c'\n\t\r\u{0}\u{1b}😀"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;&#13;\u{FFFD}\u{FFFD}😀"
        );
        assert_eq!(escape("plain"), "plain");
    }
}
