//! Child processes of the environment, and how long they live.
//!
//! `Lifetime::Owned` processes die with the process that started them (a test binary), even if it
//! is killed: they get `PR_SET_PDEATHSIG`, and are spawned from one long-lived thread because the
//! signal fires when the *thread* that forked exits. `Lifetime::Detached` processes (`testenv up`)
//! start their own session and outlive their parent until `testenv down` kills them by pid.
#![allow(unsafe_code)] // pre_exec with prctl/setsid: async-signal-safe libc calls only.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;

/// How long a started process lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Killed when the starting process exits.
    Owned,
    /// Lives until killed by pid.
    Detached,
}

type SpawnRequest = (Command, mpsc::Sender<std::io::Result<Child>>);

fn spawner() -> &'static Mutex<mpsc::Sender<SpawnRequest>> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<SpawnRequest>>> = OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        std::thread::Builder::new()
            .name("testenv-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
                // The channel's sender is in a static and is never dropped, so this thread lives
                // as long as the process, and PDEATHSIG fires only when the process ends.
                loop {
                    std::thread::park();
                }
            })
            .expect("spawn the testenv spawner thread");
        Mutex::new(tx)
    })
}

/// Starts `program args…` with stdout and stderr appended to `log`.
pub fn spawn(program: &Path, args: &[String], log: &Path, lifetime: Lifetime) -> anyhow::Result<u32> {
    spawn_with_env(program, args, &[], log, lifetime)
}

/// [`spawn`] with extra environment variables.
pub fn spawn_with_env(
    program: &Path,
    args: &[String],
    env: &[(String, String)],
    log: &Path,
    lifetime: Lifetime,
) -> anyhow::Result<u32> {
    let out = File::options().create(true).append(true).open(log).with_context(|| format!("open {}", log.display()))?;
    let mut cmd = Command::new(program);
    cmd.args(args).envs(env.iter().map(|(k, v)| (k, v))).stdin(Stdio::null()).stdout(out.try_clone()?).stderr(out);
    match lifetime {
        Lifetime::Owned => unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        },
        Lifetime::Detached => unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        },
    }
    let child = match lifetime {
        Lifetime::Owned => {
            let (tx, rx) = mpsc::channel();
            spawner().lock().map_err(|_| anyhow::anyhow!("spawner poisoned"))?.send((cmd, tx))?;
            rx.recv()?
        }
        Lifetime::Detached => cmd.spawn(),
    }
    .with_context(|| format!("start {}", program.display()))?;
    let pid = child.id();
    // Reap it in the background so a stopped process does not linger as a zombie.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(pid)
}

/// Whether a process with this pid exists (and is not a zombie we already reaped).
pub fn alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence.
    let exists = unsafe { libc::kill(pid as libc::pid_t, 0) } == 0;
    if !exists {
        return false;
    }
    // A zombie still answers kill(0); read its state.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| s.rsplit(')').next().map(|rest| !rest.trim_start().starts_with('Z')).unwrap_or(true))
        .unwrap_or(false)
}

/// Sends SIGTERM, waits up to `grace`, then SIGKILL; returns once the process is gone.
pub fn stop(pid: u32, grace: Duration) {
    // 0 is a process not started yet (kill(0, …) would signal our own process group).
    if pid == 0 || !alive(pid) {
        return;
    }
    // SAFETY: plain kill(2) on a pid this environment started.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    let deadline = Instant::now() + grace;
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if alive(pid) {
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The resident memory of a process in bytes (`VmRSS`), 0 when it is gone.
pub fn rss_bytes(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
        })
        .map_or(0, |kib| kib * 1024)
}
