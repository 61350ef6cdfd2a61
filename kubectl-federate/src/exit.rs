//! Exit statuses, as kubectl users expect: 0 ok, 1 a check or an operation failed, 2 usage or
//! unexpected error.

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Everything asked for was done, every check passed.
    Ok = 0,
    /// Something checked or applied failed (an unhealthy link, a failed mesh link, an unreachable
    /// remote).
    Failed = 1,
    /// Usage error or unexpected error.
    Usage = 2,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(s: ExitStatus) -> Self {
        std::process::ExitCode::from(s as u8)
    }
}
