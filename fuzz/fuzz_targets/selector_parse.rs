//! Parses arbitrary UTF-8 as a Calico selector. Nothing may panic; a selector that parses must
//! print a canonical form that parses back to an equal selector, prints the same again, and
//! evaluates the same, as does its double negation.

#![no_main]

use libfed::calico::selector::Selector;
use libfuzzer_sys::fuzz_target;

/// A pod as Calico sees it, with keys and values that corpus selectors mention.
const LABELS: &[(&str, &str)] = &[
    ("app", "web"),
    ("tier", "frontend"),
    ("version", "v1.2.3"),
    ("empty", ""),
    ("a", "b"),
    ("in", "contains"),
    ("quote", "say \"hi\""),
    ("projectcalico.org/namespace", "shop"),
    ("projectcalico.org/orchestrator", "k8s"),
    ("projectcalico.org/serviceaccount", "web"),
    ("pcns.projectcalico.org/name", "shop"),
    ("pcns.team", "payments"),
    ("pcsa.projectcalico.org/name", "web"),
];

fuzz_target!(|input: &str| {
    let Ok(selector) = Selector::parse(input) else { return };
    let shown = selector.to_string();
    let again = match Selector::parse(&shown) {
        Ok(again) => again,
        Err(e) => panic!("canonical form of {input:?} does not parse: {e}\n{}", e.caret()),
    };
    assert_eq!(again, selector, "{input:?} printed as {shown:?}");
    assert_eq!(again.to_string(), shown, "canonical form is not stable for {input:?}");
    let matched = selector.matches(LABELS);
    assert_eq!(again.matches(LABELS), matched, "{input:?} evaluates differently after a round trip");
    // `!!(s)` is `s`: the parity rule and the tree's normalisation must agree.
    if let Ok(twice) = Selector::parse(&format!("!!({shown})")) {
        assert_eq!(twice, selector, "!!({shown}) is not {shown}");
    }
});
