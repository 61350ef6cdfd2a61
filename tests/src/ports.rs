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

/// Who holds a loopback TCP port, for an error message: each socket bound to it with its state
/// and its process (`LISTEN by kube-apiserver (pid 42)`, `FIN_WAIT2 by no process`), from
/// `/proc/net/tcp` and the processes' descriptors; "nobody" when no socket has it.
pub fn holders(port: u16) -> String {
    let sockets: Vec<(String, String)> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .flat_map(|text| text.lines().skip(1).filter_map(|line| socket_on(line, port)).collect::<Vec<_>>())
        .collect();
    if sockets.is_empty() {
        return "nobody".to_owned();
    }
    let owners = socket_owners();
    let described: Vec<String> = sockets
        .iter()
        .map(|(state, inode)| match owners.get(inode) {
            Some(owner) => format!("{state} by {owner}"),
            None => format!("{state} by no process"),
        })
        .collect();
    described.join(", ")
}

/// The state and inode of one `/proc/net/tcp` line whose local port is `port`.
fn socket_on(line: &str, port: u16) -> Option<(String, String)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let local_port = u16::from_str_radix(fields.get(1)?.rsplit(':').next()?, 16).ok()?;
    if local_port != port {
        return None;
    }
    let state = match *fields.get(3)? {
        "01" => "ESTABLISHED",
        "02" => "SYN_SENT",
        "03" => "SYN_RECV",
        "04" => "FIN_WAIT1",
        "05" => "FIN_WAIT2",
        "06" => "TIME_WAIT",
        "07" => "CLOSE",
        "08" => "CLOSE_WAIT",
        "09" => "LAST_ACK",
        "0A" => "LISTEN",
        "0B" => "CLOSING",
        other => other,
    };
    Some((state.to_owned(), fields.get(9)?.to_string()))
}

/// Socket inode → "command (pid N)", for every process whose descriptors can be read.
fn socket_owners() -> std::collections::HashMap<String, String> {
    let mut owners = std::collections::HashMap::new();
    let Ok(procs) = std::fs::read_dir("/proc") else { return owners };
    for entry in procs.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else { continue };
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else { continue };
            if let Some(inode) = target.to_str().and_then(|t| t.strip_prefix("socket:[")?.strip_suffix(']')) {
                owners.insert(inode.to_owned(), format!("{} (pid {pid})", comm.trim()));
            }
        }
    }
    owners
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
    fn the_holder_of_a_port_is_named() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
        let port = listener.local_addr().expect("addr").port();
        let said = holders(port);
        assert!(said.starts_with("LISTEN by "), "{said}");
        assert!(said.contains(&format!("(pid {})", std::process::id())), "{said}");
        drop(listener);
        assert_eq!(holders(port), "nobody");
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
