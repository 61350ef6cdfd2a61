//! Differential test of libfed's selectors against Calico's own Go package
//! (`libcalico-go/lib/selector`, built by `tests/calico-selector/build.sh` from the Go module
//! proxy at the version its go.mod pins).
//!
//! Both sides get the same inputs: every string literal of Calico's own tokenizer and parser test
//! files, a fixed list of edge cases, and `CALICO_DIFF_COUNT` (default 10,000) selectors from a
//! seeded grammar-based generator with mutations (`CALICO_DIFF_SEED` picks the seed; the default
//! is fixed so CI is reproducible). For each input they must agree on acceptance, on the canonical
//! string (`String()` / `Display`) and on the match verdict over every label set (evaluated by
//! libfed over a `BTreeMap`, a `HashMap` and a `LabelMap`). The two documented deviations are
//! counted, not failed: nesting past `MAX_NESTING` (libfed refuses), and `!(!x)` (Calico prints
//! `!!x`, libfed `x`, which is what Calico's own parser reads `!!x` back as).
//!
//! `CALICO_DIFF_COUNT=1000000 cargo test -p fed-tests --test calico_selector -- --nocapture` runs
//! a longer comparison.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use libfed::calico::selector::{LabelMap, MAX_LABEL_LENGTH, MAX_NESTING, Selector};
use serde::Deserialize;
use serde_json::json;

/// Keys the generator and the label sets share, so evaluations take both branches.
const KEYS: &[&str] = &[
    "a",
    "b",
    "app",
    "tier",
    "in",
    "not",
    "contains",
    "has",
    "all",
    "global",
    "with",
    "starts",
    "ends",
    "projectcalico.org/namespace",
    "k8s-app",
    "a.b/c-d_e",
    "_",
    "-",
    "0",
];
const VALUES: &[&str] =
    &["", "a", "b", "web", "w", "eb", "db", "say \"hi\"", "it's", " ", "ü", "web-1", "a b", "{", "}"];

#[derive(Debug, Deserialize)]
struct Verdict {
    ok: bool,
    canon: String,
    reparsed: String,
    matches: String,
}

fn calico_dir() -> PathBuf {
    testenv::binaries::calico_dir().expect("tests/calico-selector/build.sh")
}

/// Runs Calico over `inputs` with `labels`; one verdict per input.
fn calico(dir: &std::path::Path, labels: &[BTreeMap<String, String>], inputs: &[String]) -> Vec<Verdict> {
    let mut child = Command::new(dir.join("calico-selector"))
        .arg("check")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start calico-selector");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut body = json!({"labels": labels}).to_string();
    body.push('\n');
    for input in inputs {
        body.push_str(&json!({"sel": input}).to_string());
        body.push('\n');
    }
    let writer = std::thread::spawn(move || stdin.write_all(body.as_bytes()).expect("write to calico-selector"));
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let verdicts: Vec<Verdict> =
        stdout.lines().map(|l| serde_json::from_str(&l.expect("read")).expect("verdict line")).collect();
    writer.join().expect("writer");
    assert!(child.wait().expect("wait").success(), "calico-selector failed");
    assert_eq!(verdicts.len(), inputs.len(), "calico-selector answered {} of {} inputs", verdicts.len(), inputs.len());
    verdicts
}

/// Label sets: every key alone, pairs, and random sets (seeded), plus the empty set.
fn label_sets(rng: &mut fastrand::Rng) -> Vec<BTreeMap<String, String>> {
    let mut sets = vec![BTreeMap::new()];
    for key in KEYS {
        sets.push(BTreeMap::from([((*key).to_owned(), rng.choice(VALUES).copied().unwrap_or("").to_owned())]));
    }
    sets.push(BTreeMap::from([("k".repeat(MAX_LABEL_LENGTH), "long".to_owned())]));
    for _ in 0..40 {
        let n = rng.usize(1..8);
        sets.push(
            (0..n)
                .map(|_| {
                    (
                        rng.choice(KEYS).copied().unwrap_or("a").to_owned(),
                        rng.choice(VALUES).copied().unwrap_or("").to_owned(),
                    )
                })
                .collect(),
        );
    }
    sets
}

/// A seeded grammar-based selector generator, with odd whitespace and mutations.
struct Gen {
    rng: fastrand::Rng,
}

impl Gen {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(..100) < percent
    }

    /// Whitespace between tokens: mostly ordinary, sometimes what Calico treats differently.
    fn space(&mut self) -> &'static str {
        if self.chance(97) {
            self.pick(&["", " ", " ", " ", "  ", "\t"])
        } else {
            self.pick(&["\n", "\r", "\x0c", "\x0b", "\r\n", " \n", "\u{a0}"])
        }
    }

    /// Whitespace inside `has( )`, `all( )`, `global( )` and multi-word operators (Go's `\s`).
    fn inner_space(&mut self) -> &'static str {
        self.pick(&["", "", " ", "  ", "\t", "\n", "\r", "\x0c", "\x0b", " \n\t"])
    }

    fn label(&mut self) -> String {
        match self.rng.u8(..20) {
            0 => {
                let n = MAX_LABEL_LENGTH - 3 + self.rng.usize(..7);
                "k".repeat(n)
            }
            1 => {
                const CHARS: &[u8] = b"abcXYZ019_./-";
                (0..self.rng.usize(1..12)).map(|_| CHARS[self.rng.usize(..CHARS.len())] as char).collect()
            }
            _ => self.pick(KEYS).to_owned(),
        }
    }

    fn string(&mut self) -> String {
        let value = if self.chance(80) {
            self.pick(VALUES).to_owned()
        } else {
            (0..self.rng.usize(0..6))
                .map(|_| match self.rng.u8(..4) {
                    0 => self.rng.alphanumeric(),
                    1 => self.pick(&["é", "ü", "日", "\u{1F600}", "\u{0}", "\\"]).chars().next().unwrap_or('x'),
                    2 => self.pick(&[" ", "\n", "'", "\"", "(", ")", "&&"]).chars().next().unwrap_or(' '),
                    _ => self.rng.char('a'..='z'),
                })
                .collect()
        };
        let quote = if value.contains('"') {
            '\''
        } else if value.contains('\'') || self.chance(50) {
            '"'
        } else {
            '\''
        };
        format!("{quote}{value}{quote}")
    }

    fn operation(&mut self, depth: usize) -> String {
        let mut out = String::new();
        for _ in 0..self.rng.usize(..4).saturating_sub(1) {
            out.push('!');
            out.push_str(self.space());
        }
        let body = match self.rng.u8(..24) {
            0 => format!("all({})", self.inner_space()),
            1 => format!("global({})", self.inner_space()),
            2..=4 => {
                let (a, l, b) = (self.inner_space(), self.label(), self.inner_space());
                format!("has({a}{l}{b})")
            }
            5..=12 => {
                let label = self.label();
                let op = match self.rng.u8(..5) {
                    0 => "==".to_owned(),
                    1 => "!=".to_owned(),
                    2 => "contains".to_owned(),
                    3 => format!("starts{}with", self.inner_space()),
                    _ => format!("ends{}with", self.inner_space()),
                };
                let (s1, s2, value) = (self.space(), self.space(), self.string());
                format!("{label}{s1}{op}{s2}{value}")
            }
            13..=18 => {
                let label = self.label();
                let op = if self.chance(50) { "in".to_owned() } else { format!("not{}in", self.inner_space()) };
                let mut set = String::from("{");
                let n = self.rng.usize(..4);
                for i in 0..n {
                    if i > 0 {
                        set.push(',');
                        set.push_str(self.space());
                    }
                    set.push_str(&self.string());
                }
                if n > 0 && self.chance(10) {
                    set.push(',');
                }
                set.push('}');
                let (s1, s2) = (self.space(), self.space());
                format!("{label}{s1}{op}{s2}{set}")
            }
            _ if depth < 4 => {
                let (s1, inner, s2) = (self.space(), self.expression(depth + 1), self.space());
                format!("({s1}{inner}{s2})")
            }
            _ => format!("has({})", self.label()),
        };
        out.push_str(&body);
        out
    }

    fn expression(&mut self, depth: usize) -> String {
        let mut out = self.operation(depth);
        for _ in 0..self.rng.usize(..4) {
            let joiner = if self.chance(50) { "&&" } else { "||" };
            let (s1, s2, next) = (self.space(), self.space(), self.operation(depth));
            out.push_str(&format!("{s1}{joiner}{s2}{next}"));
        }
        out
    }

    /// One input: a generated selector, mutated a third of the time.
    fn input(&mut self) -> String {
        let (lead, body, trail) = (self.space(), self.expression(0), self.space());
        let text = format!("{lead}{body}{trail}");
        if self.chance(66) { text } else { self.mutate(&text) }
    }

    /// Deletes, inserts, duplicates, swaps or truncates characters; may add a long label run.
    fn mutate(&mut self, text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..self.rng.usize(1..4) {
            let at = self.rng.usize(..=chars.len());
            match self.rng.u8(..7) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 => {
                    let c = self.pick(&[
                        "(", ")", "'", "\"", "{", "}", "!", "&", "|", "=", ",", " ", "\n", "\x0b", "é", "k", "\u{0}",
                    ]);
                    chars.insert(at, c.chars().next().unwrap_or('k'));
                }
                2 => {
                    let end = (at + self.rng.usize(1..8)).min(chars.len());
                    let piece: Vec<char> = chars[at..end].to_vec();
                    chars.splice(at..at, piece);
                }
                3 if chars.len() > 1 => {
                    let (one, other) = (at.min(chars.len() - 1), self.rng.usize(..chars.len()));
                    chars.swap(one, other);
                }
                4 => chars.truncate(at),
                5 => {
                    let run = "k".repeat(MAX_LABEL_LENGTH - 2 + self.rng.usize(..5));
                    chars.splice(at..at, run.chars());
                }
                _ => {
                    let word = self.pick(&[
                        " in ",
                        " not in ",
                        "in",
                        "contains",
                        " starts with ",
                        "ends\nwith",
                        "has(",
                        "all(",
                        ")",
                    ]);
                    chars.splice(at..at, word.chars());
                }
            }
        }
        chars.into_iter().collect()
    }
}

/// Inputs that the fixes of issue 19 and the deviations are about.
fn edge_cases() -> Vec<String> {
    let k = "k".repeat(MAX_LABEL_LENGTH);
    let mut out: Vec<String> = [
        "has(\na)",
        "all(\r)",
        "global(\x0c)",
        "a starts\nwith 'b'",
        "a ends\r\nwith 'b'",
        "a not\x0cin {'b'}",
        "has(\x0ba)",
        "all(\x0b)",
        "a\n== 'b'",
        "a == 'b'\n",
        "a containsx 'b'",
        "a in-b",
        "a in_b {}",
        "!(!a == 'b')",
        "!(!(a == 'b' && has(c)))",
        "!!(a == 'b')",
        "",
        " \t",
        "a in {'b',}",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    out.extend([
        format!("{k}in {{}}"),
        format!("{k}k in {{}}"),
        format!("{k} in {{}}"),
        format!("{k}contains'x'"),
        format!("has({k})"),
        format!("has({k}k)"),
        format!("{}has(a){}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING)),
        format!("{}has(a){}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1)),
        format!("{}has(a){}", "(".repeat(300), ")".repeat(300)),
    ]);
    out
}

#[derive(Debug, Default)]
struct Counts {
    inputs: usize,
    accepted: usize,
    rejected: usize,
    verdicts: usize,
    deviation_nesting: usize,
    deviation_double_negation: usize,
    disagreements: Vec<String>,
}

fn compare(inputs: &[String], labels: &[BTreeMap<String, String>], verdicts: &[Verdict], counts: &mut Counts) {
    let hashes: Vec<HashMap<String, String>> = labels.iter().map(|l| l.clone().into_iter().collect()).collect();
    let maps: Vec<LabelMap> = labels.iter().map(LabelMap::from).collect();
    for (input, calico) in inputs.iter().zip(verdicts) {
        counts.inputs += 1;
        let mut problems = Vec::new();
        let mut disagree = |what: String| problems.push(format!("input {input:?}: {what}"));
        match (Selector::parse(input), calico.ok) {
            (Err(_), false) => counts.rejected += 1,
            (Ok(sel), false) => disagree(format!("libfed accepts as {:?}, Calico rejects", sel.to_string())),
            (Err(e), true) if e.message.contains(&format!("nested more than {MAX_NESTING} deep")) => {
                counts.deviation_nesting += 1;
            }
            (Err(e), true) => disagree(format!("libfed rejects ({e}), Calico accepts as {:?}", calico.canon)),
            (Ok(sel), true) => {
                counts.accepted += 1;
                let ours = sel.to_string();
                if ours != calico.canon {
                    if calico.canon.contains("!!") && calico.reparsed == ours {
                        counts.deviation_double_negation += 1;
                    } else {
                        disagree(format!("canonical form: libfed {ours:?}, Calico {:?}", calico.canon));
                    }
                }
                for (i, want) in calico.matches.bytes().enumerate() {
                    let want = want == b'1';
                    counts.verdicts += 1;
                    let got = [sel.matches(&labels[i]), sel.matches(&hashes[i]), sel.matches(&maps[i])];
                    if got != [want; 3] {
                        disagree(format!(
                            "labels {:?}: Calico {want}, libfed (BTreeMap, HashMap, LabelMap) {got:?}",
                            labels[i]
                        ));
                    }
                }
            }
        }
        counts.disagreements.append(&mut problems);
    }
}

#[test]
fn libfed_selectors_agree_with_calico() {
    let dir = calico_dir();
    let count: usize = std::env::var("CALICO_DIFF_COUNT").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let seed: u64 = std::env::var("CALICO_DIFF_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(19);
    let mut generator = Gen { rng: fastrand::Rng::with_seed(seed) };
    let labels = label_sets(&mut generator.rng);

    // Calico's own test strings, extracted from its test files at build time.
    let extracted = std::fs::read_to_string(dir.join("calico-tests.jsonl")).expect("calico-tests.jsonl");
    let mut calico_inputs: Vec<String> =
        extracted.lines().map(|l| serde_json::from_str(l).expect("a JSON string")).collect();
    calico_inputs.sort();
    calico_inputs.dedup();
    let n_calico = calico_inputs.len();
    assert!(n_calico > 100, "only {n_calico} strings from Calico's test files");

    let mut inputs = calico_inputs;
    inputs.extend(edge_cases());
    let n_fixed = inputs.len();
    // Generated in chunks so a million-input run does not hold everything at once.
    let mut counts = Counts::default();
    let mut generated = 0;
    let mut first = true;
    while first || generated < count {
        let chunk: Vec<String> = if first {
            std::mem::take(&mut inputs)
        } else {
            let n = (count - generated).min(50_000);
            generated += n;
            (0..n).map(|_| generator.input()).collect()
        };
        first = false;
        let verdicts = calico(&dir, &labels, &chunk);
        compare(&chunk, &labels, &verdicts, &mut counts);
    }
    eprintln!(
        "calico differential (seed {seed}): {} inputs ({n_calico} from Calico's test files, {} edge cases, {generated} generated) \
         over {} label sets: {} accepted by both, {} rejected by both, {} match verdicts compared; \
         documented deviations: {} nesting past {MAX_NESTING}, {} double negation; {} disagreements",
        counts.inputs,
        n_fixed - n_calico,
        labels.len(),
        counts.accepted,
        counts.rejected,
        counts.verdicts,
        counts.deviation_nesting,
        counts.deviation_double_negation,
        counts.disagreements.len(),
    );
    assert!(counts.accepted > count / 10 && counts.rejected > count / 10, "generator too one-sided: {counts:?}");
    assert!(
        counts.deviation_nesting >= 2 && counts.deviation_double_negation >= 2,
        "deviations not exercised: {counts:?}"
    );
    if !counts.disagreements.is_empty() {
        for d in counts.disagreements.iter().take(30) {
            eprintln!("DISAGREEMENT {d}");
        }
        panic!("{} disagreements with Calico (first ones above)", counts.disagreements.len());
    }
}
