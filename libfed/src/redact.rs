//! Secret material (tokens, minted kubeconfigs) that must never reach stdout, stderr or logs by
//! accident: its `Debug` and `Display` print `<redacted>`, and serialising it needs an explicit choice.

use std::fmt;

/// A string holding a secret. Read it with [`Sensitive::expose`] where it is really needed.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive(String);

/// What redacted material is shown as.
pub const REDACTED: &str = "<redacted>";

impl Sensitive {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret when `show` is set, else [`REDACTED`].
    pub fn shown_if(&self, show: bool) -> &str {
        if show { &self.0 } else { REDACTED }
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Read from a cluster object (an RCC's inline token or kubeconfig) like any string.
impl<'de> serde::Deserialize<'de> for Sensitive {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Sensitive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Sensitive::new("eyJhbGciOi.secret");
        assert_eq!(format!("{s} {s:?}"), "<redacted> <redacted>");
        assert_eq!(s.shown_if(false), REDACTED);
        assert_eq!(s.shown_if(true), "eyJhbGciOi.secret");
    }
}
