//! Loopback ports for the environment's listeners (etcd, API servers, probes).
//!
//! A port is chosen by binding it and letting go, and the program that will listen on it binds it
//! a moment later. Two things can take it in that moment:
//!
//! - **an outgoing connection**: the kernel gives every `connect` a local port from the ephemeral
//!   range (`net.ipv4.ip_local_port_range`, 32768–60999 by default), and a running environment
//!   makes hundreds (API servers to etcd, controller managers and tests to API servers). A port
//!   from `bind(0)` lies in that same range. So ports come from *below* it, where the kernel never
//!   picks a local port by itself.
//! - **this process handing the same port out twice** (etcd's client and peer ports, a dozen API
//!   servers): a cursor walks the range and never returns to a port it gave out.
//!
//! Another program may still start a listener on the port in between; [`crate::env`] retries etcd
//! with fresh ports when its log says so.

use std::net::TcpListener;
use std::sync::Mutex;

/// The lowest port handed out: above the well-known and most registered service ports.
const LOWEST: u16 = 15000;
/// At least this many ports below the ephemeral range, or the range is not used.
const ENOUGH: u16 = 1000;

/// A loopback TCP port that was free a moment ago, outside the kernel's ephemeral range when the
/// machine leaves room below it, and not handed out before by this process.
pub fn free_port() -> anyhow::Result<u16> {
    let Some(span) = below_ephemeral() else {
        return Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port());
    };
    static CURSOR: Mutex<Option<u32>> = Mutex::new(None);
    let mut cursor = CURSOR.lock().unwrap_or_else(|e| e.into_inner());
    // Processes started at the same time (test binaries, `testenv up`) begin at different points.
    let next = cursor.get_or_insert_with(|| std::process::id().wrapping_mul(7919) % u32::from(span));
    for _ in 0..span {
        let port = LOWEST + u16::try_from(*next % u32::from(span))?;
        *next = next.wrapping_add(1);
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    anyhow::bail!("no free loopback port between {LOWEST} and {}", LOWEST + span)
}

/// How many ports lie between [`LOWEST`] and the ephemeral range; `None` when too few.
fn below_ephemeral() -> Option<u16> {
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok()?;
    let low: u16 = range.split_whitespace().next()?.parse().ok()?;
    low.checked_sub(LOWEST).filter(|span| *span >= ENOUGH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_never_repeated_and_lie_below_the_ephemeral_range() {
        let ports: Vec<u16> = (0..200).map(|_| free_port().expect("port")).collect();
        let unique: std::collections::BTreeSet<u16> = ports.iter().copied().collect();
        assert_eq!(unique.len(), ports.len(), "a port was handed out twice: {ports:?}");
        if let Some(span) = below_ephemeral() {
            assert!(ports.iter().all(|p| (LOWEST..LOWEST + span).contains(p)), "{ports:?}");
        }
    }

    #[test]
    fn a_port_someone_listens_on_is_skipped() {
        let first = free_port().expect("port");
        // The next port the cursor would give: hold it, and the allocator must pass over it.
        let held = TcpListener::bind(("127.0.0.1", first + 1));
        let second = free_port().expect("port");
        if held.is_ok() {
            assert_ne!(second, first + 1, "a port with a listener was handed out");
        }
        assert_ne!(second, first);
    }
}
