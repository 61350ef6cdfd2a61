//! Exit codes, as kubectl users expect: 0 ok, 1 a check or an operation failed, 2 usage or
//! unexpected error.

/// Everything asked for was done, every check passed.
pub const OK: u8 = 0;
/// Something checked or applied failed (an unhealthy link, a failed mesh link, an unreachable remote).
pub const FAILED: u8 = 1;
/// Usage error or unexpected error.
pub const USAGE: u8 = 2;
