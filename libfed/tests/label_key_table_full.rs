//! When the process-wide label key table is full (hostile clusters can fill it with made-up label
//! names), label maps and selectors keep giving Calico's answers: names that came too late are
//! compared as text.
//!
//! Its own test binary, because it fills the table of its process for good.

use std::collections::BTreeMap;

use libfed::calico::selector::{LabelKey, LabelMap, Labels, Selector};

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

const SELECTORS: &[&str] = &[
    "early == 'x'",
    "has(early) && !has(late)",
    "late == 'y' || early in {'x', 'z'}",
    "late != 'y'",
    "late not in {'y'} && early starts with 'x'",
    "has(late)",
    "late contains 'y' || !has(early)",
];

fn label_sets() -> Vec<BTreeMap<String, String>> {
    vec![
        labels(&[]),
        labels(&[("early", "x")]),
        labels(&[("early", "z"), ("other", "1")]),
        labels(&[("late", "y")]),
        labels(&[("late", "y"), ("early", "x")]),
        labels(&[("late", "ny"), ("early", "xx"), ("other", "")]),
    ]
}

/// Every selector over every label set, as a `LabelMap` and as a `BTreeMap`.
fn assert_agree(selectors: &[Selector], maps: &[(BTreeMap<String, String>, LabelMap)], keys: &[&str], when: &str) {
    let mut matched = 0;
    for sel in selectors {
        for (btree, map) in maps {
            let want = sel.matches(btree);
            assert_eq!(sel.matches(map), want, "{when}: {sel} over {btree:?}");
            matched += usize::from(want);
            for key in keys {
                assert_eq!(map.get(key), btree.get(*key).map(String::as_str), "{when}: {key} in {btree:?}");
                let by_key = map.lookup(&LabelKey::new(key));
                assert_eq!(by_key, btree.get(*key).map(String::as_bytes), "{when}: {key} in {btree:?}");
            }
        }
    }
    assert!(matched > 0, "{when}: nothing matched, the check exercised nothing");
}

#[test]
fn a_full_key_table_changes_no_answer() {
    let parse = |s: &&str| Selector::parse(s).expect("valid selector");
    // Before: only `early` and `other` have ids (a map with them is laid out by id).
    let before: Vec<Selector> = SELECTORS.iter().filter(|s| !s.contains("late")).map(parse).collect();
    let early_maps: Vec<_> =
        label_sets().into_iter().filter(|l| !l.contains_key("late")).map(|l| (LabelMap::from(&l), l)).collect();
    let early: Vec<_> = early_maps.iter().map(|(m, l)| (l.clone(), m.clone())).collect();
    assert_agree(&before, &early, &["early", "other", "missing"], "table with room");

    // Fill the table: far more names than it takes.
    for i in 0..70_000 {
        LabelKey::new(&format!("made-up-{i}"));
    }

    // After: `late` gets no id, so selectors naming it, and maps holding it, work on text.
    let after: Vec<Selector> = SELECTORS.iter().map(parse).collect();
    let all: Vec<Selector> = before.iter().chain(&after).cloned().collect();
    let maps: Vec<(BTreeMap<String, String>, LabelMap)> = early_maps
        .into_iter()
        .map(|(m, l)| (l, m))
        .chain(label_sets().into_iter().map(|l| (l.clone(), LabelMap::from(&l))))
        .collect();
    assert_agree(&all, &maps, &["early", "late", "other", "missing", "late-too"], "table full");
    let json: LabelMap = serde_json::from_str(r#"{"late": "y", "early": "x"}"#).expect("labels");
    assert!(parse(&"late == 'y' && early == 'x'").matches(&json));
}
