//! Property tests: the canonical form round-trips, evaluation survives the round trip and
//! composes with `!`, `&&` and `||`, and the parser never panics.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::Selector;
use super::ast::{CompareOp, Node, SetOp};
use super::label_key::LabelKey;

/// Keys and values shared by selectors and label sets, so that evaluations hit both outcomes.
const KEYS: &[&str] = &["a", "app", "tier", "in", "contains", "not", "has", "all", "projectcalico.org/namespace"];
const VALUES: &[&str] = &["", "a", "web", "w", "eb", "say \"hi\"", "it's", " ", "ü"];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9_./-]{1,12}",
        1 => "[a-z]{512}",
    ]
}

/// Any string that does not contain both quote characters (the language has no escapes).
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(VALUES).prop_map(str::to_owned),
        2 => any::<String>().prop_map(|s| if s.contains('"') { s.replace('\'', "") } else { s }),
    ]
}

fn leaf() -> impl Strategy<Value = Node> {
    let compare_op = prop::sample::select(vec![
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Contains,
        CompareOp::StartsWith,
        CompareOp::EndsWith,
    ]);
    let set_op = prop::sample::select(vec![SetOp::In, SetOp::NotIn]);
    prop_oneof![
        1 => Just(Node::All),
        1 => Just(Node::Global),
        3 => key().prop_map(|k| Node::Has(LabelKey::new(&k))),
        6 => (key(), compare_op, value())
            .prop_map(|(label, op, value)| Node::Compare { label: LabelKey::new(&label), op, value: value.into() }),
        3 => (key(), set_op, prop::collection::vec(value(), 0..4))
            .prop_map(|(label, op, values)| Node::set(&label, op, values)),
    ]
}

/// Trees the parser can produce: n-ary `&&`/`||` with two or more operands, no `Not(Not(_))`.
fn node() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(5, 64, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Node::negate),
            prop::collection::vec(inner.clone(), 2..5).prop_map(|v| Node::And(v.into_boxed_slice())),
            prop::collection::vec(inner, 2..5).prop_map(|v| Node::Or(v.into_boxed_slice())),
        ]
    })
}

fn selector() -> impl Strategy<Value = Selector> {
    node().prop_map(Selector::from_node)
}

fn labels() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop::collection::btree_map(key(), value(), 0..6)
}

/// Fragments of selector syntax, for inputs that are nearly valid.
fn noisy_input() -> impl Strategy<Value = String> {
    const FRAGMENTS: &[&str] = &[
        "a",
        "app",
        " ",
        "\t",
        "\n",
        "==",
        "=",
        "!=",
        "!",
        "&&",
        "&",
        "||",
        "|",
        "(",
        ")",
        "{",
        "}",
        ",",
        "'x'",
        "\"y\"",
        "'",
        "\"",
        "in",
        "not",
        "not in",
        "notin",
        "contains",
        "starts",
        "with",
        "ends with",
        "has(",
        "has(a)",
        "all()",
        "global()",
        "all(",
        "ü",
        "-",
        ".",
    ];
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..16).prop_map(|parts| parts.concat())
}

fn parse_ok(input: &str) -> Selector {
    Selector::parse(input).unwrap_or_else(|e| panic!("{input:?} does not parse: {e}\n{}", e.caret()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn display_round_trips(sel in selector()) {
        let shown = sel.to_string();
        prop_assert_eq!(parse_ok(&shown), sel, "canonical form {}", shown);
    }

    #[test]
    fn the_normal_form_decides_as_the_parsed_tree(sel in selector(), labels in labels()) {
        prop_assert_eq!(sel.matches(&labels), sel.root.node.matches(&labels), "{}", sel);
        let negated = parse_ok(&format!("!({sel})"));
        prop_assert_eq!(negated.matches(&labels), negated.root.node.matches(&labels), "{}", negated);
    }

    #[test]
    fn evaluation_survives_round_trip(sel in selector(), labels in labels()) {
        let reparsed = parse_ok(&sel.to_string());
        prop_assert_eq!(sel.matches(&labels), reparsed.matches(&labels));
    }

    #[test]
    fn negation_inverts(sel in selector(), labels in labels()) {
        let negated = parse_ok(&format!("!({sel})"));
        prop_assert_eq!(negated.matches(&labels), !sel.matches(&labels));
        let twice = parse_ok(&format!("!!({sel})"));
        prop_assert_eq!(twice, sel);
    }

    #[test]
    fn and_or_compose(a in selector(), b in selector(), labels in labels()) {
        let (ma, mb) = (a.matches(&labels), b.matches(&labels));
        prop_assert_eq!(parse_ok(&format!("({a}) && ({b})")).matches(&labels), ma && mb);
        prop_assert_eq!(parse_ok(&format!("{a} || {b}")).matches(&labels), ma || mb);
    }

    #[test]
    fn labels_impls_agree(sel in selector(), labels in labels()) {
        let pairs: Vec<(&str, &str)> = labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let hash: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        let want = sel.matches(&labels);
        prop_assert_eq!(sel.matches(pairs.as_slice()), want);
        prop_assert_eq!(sel.matches(&hash), want);
        prop_assert_eq!(sel.matches(&(&labels, [("zz-unused", "")])), want);
    }

    #[test]
    fn arbitrary_input_never_panics(input in prop_oneof![any::<String>(), noisy_input()]) {
        match Selector::parse(&input) {
            Ok(sel) => {
                prop_assert_eq!(parse_ok(&sel.to_string()), sel);
            }
            Err(e) => {
                prop_assert!(e.position <= input.len() && input.is_char_boundary(e.position));
                prop_assert_eq!(e.caret().lines().count(), 2);
            }
        }
    }
}
