//! Table-driven tests of the whole engine: parse → canonical form, evaluation, errors.

use std::collections::{BTreeMap, HashMap};

use super::{MAX_NESTING, ParseError, Selector};

fn parse(input: &str) -> Selector {
    Selector::parse(input).unwrap_or_else(|e| panic!("{input:?} should parse: {e}\n{}", e.caret()))
}

fn parse_err(input: &str) -> ParseError {
    match Selector::parse(input) {
        Ok(sel) => panic!("{input:?} should not parse, got {sel}"),
        Err(e) => e,
    }
}

#[test]
fn canonical_form() {
    let cases: &[(&str, &str)] = &[
        // all(), global(), the empty selector.
        ("", "all()"),
        ("  \t ", "all()"),
        ("all()", "all()"),
        ("all( \t)", "all()"),
        ("global()", "global()"),
        ("!all()", "!all()"),
        // has / !has.
        ("has(a)", "has(a)"),
        ("has( a )", "has(a)"),
        ("!has(a)", "!has(a)"),
        ("! has(a)", "!has(a)"),
        // Comparisons, both quote styles, any spacing.
        ("a=='b'", "a == \"b\""),
        ("a == \"b\"", "a == \"b\""),
        ("a != 'b'", "a != \"b\""),
        ("a contains 'b'", "a contains \"b\""),
        ("a starts with 'b'", "a starts with \"b\""),
        ("a startswith 'b'", "a starts with \"b\""),
        ("a ends with 'b'", "a ends with \"b\""),
        ("a endswith'b'", "a ends with \"b\""),
        ("a == ''", "a == \"\""),
        ("a == 'say \"hi\"'", "a == 'say \"hi\"'"),
        ("a == \"it's\"", "a == \"it's\""),
        ("a == 'x y\tz'", "a == \"x y\tz\""),
        ("a == 'ünï'", "a == \"ünï\""),
        // Sets: sorted, de-duplicated, empty, trailing comma.
        ("a in {'b'}", "a in {\"b\"}"),
        ("a in {'c', \"b\", 'c'}", "a in {\"b\", \"c\"}"),
        ("a in {}", "a in {}"),
        ("a in {'b',}", "a in {\"b\"}"),
        ("a not in {'b'}", "a not in {\"b\"}"),
        ("a notin {}", "a not in {}"),
        ("a in {'say \"hi\"', 'x'}", "a in {'say \"hi\"', \"x\"}"),
        // Label-key characters.
        ("app.kubernetes.io/name == 'x'", "app.kubernetes.io/name == \"x\""),
        ("A-b_C.9/z == 'x'", "A-b_C.9/z == \"x\""),
        ("0 == 'x'", "0 == \"x\""),
        // Keywords are labels where a label is expected.
        ("contains contains 'contains'", "contains contains \"contains\""),
        ("in in {'in'}", "in in {\"in\"}"),
        ("has == 'x'", "has == \"x\""),
        ("has(has)", "has(has)"),
        ("all == 'x'", "all == \"x\""),
        ("global != 'x'", "global != \"x\""),
        ("not not in {}", "not not in {}"),
        // Precedence: ! > && > ||, with && and || groups parenthesised.
        ("a == 'b' && c == 'd'", "(a == \"b\" && c == \"d\")"),
        ("a == 'b' || c == 'd'", "(a == \"b\" || c == \"d\")"),
        ("has(a) && has(b) || has(c)", "((has(a) && has(b)) || has(c))"),
        ("has(a) || has(b) && has(c)", "(has(a) || (has(b) && has(c)))"),
        ("has(a) && has(b) && has(c)", "(has(a) && has(b) && has(c))"),
        ("has(a) || has(b) || has(c)", "(has(a) || has(b) || has(c))"),
        ("!has(a) && has(b)", "(!has(a) && has(b))"),
        ("!a == 'b'", "!a == \"b\""),
        ("!(has(a) && has(b))", "!(has(a) && has(b))"),
        ("!(has(a) || has(b)) && has(c)", "(!(has(a) || has(b)) && has(c))"),
        // Parentheses group but are not kept around a single operation.
        ("(has(a))", "has(a)"),
        ("((((has(a)))))", "has(a)"),
        ("(has(a) && has(b)) && has(c)", "((has(a) && has(b)) && has(c))"),
        ("has(a) && (has(b) || has(c))", "(has(a) && (has(b) || has(c)))"),
        // A run of ! counts by parity.
        ("!!has(a)", "has(a)"),
        ("!!!has(a)", "!has(a)"),
        ("! ! ! ! has(a)", "has(a)"),
        ("!(!has(a))", "has(a)"),
        ("!(!(!has(a)))", "!has(a)"),
        ("!!(has(a) && has(b))", "(has(a) && has(b))"),
        // Whitespace: spaces and tabs anywhere between tokens, or none.
        ("\thas(a)&&has(b)||!has(c)\t", "((has(a) && has(b)) || !has(c))"),
        ("a in{'b','c'}", "a in {\"b\", \"c\"}"),
        // The selector policies actually use.
        (
            "projectcalico.org/namespace == 'shop' && app in {'web', 'api'} && !has(canary)",
            "(projectcalico.org/namespace == \"shop\" && app in {\"api\", \"web\"} && !has(canary))",
        ),
    ];
    for (input, want) in cases {
        let sel = parse(input);
        assert_eq!(sel.to_string(), *want, "input {input:?}");
        assert_eq!(parse(want), sel, "canonical form of {input:?} re-parses to something else");
    }
}

#[test]
fn equal_selectors() {
    let same: &[(&str, &str)] = &[
        ("", "all()"),
        ("a == 'b'", "a==\"b\""),
        ("a in {'x', 'y'}", "a in {'y', 'x', 'x'}"),
        ("!!has(a)", "has(a)"),
        ("(has(a))", "has(a)"),
    ];
    for (a, b) in same {
        assert_eq!(parse(a), parse(b), "{a:?} vs {b:?}");
    }
    let different: &[(&str, &str)] = &[
        ("all()", "global()"),
        ("a == 'b'", "a != 'b'"),
        ("a in {}", "a not in {}"),
        ("a starts with 'b'", "a ends with 'b'"),
        ("has(a) && has(b)", "has(b) && has(a)"),
        ("has(a) && has(b) && has(c)", "(has(a) && has(b)) && has(c)"),
        ("has(a) && has(b)", "has(a) || has(b)"),
    ];
    for (a, b) in different {
        assert_ne!(parse(a), parse(b), "{a:?} vs {b:?}");
    }
}

#[test]
fn evaluation() {
    // Labels for every case; `empty` is a present label with an empty value.
    let labels: BTreeMap<String, String> = [
        ("app", "web"),
        ("tier", "frontend"),
        ("empty", ""),
        ("version", "v1.2.3"),
        ("quote", "say \"hi\""),
        ("projectcalico.org/namespace", "shop"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let cases: &[(&str, bool)] = &[
        ("", true),
        ("all()", true),
        ("global()", true),
        ("!all()", false),
        ("has(app)", true),
        ("has(missing)", false),
        ("has(empty)", true),
        ("!has(app)", false),
        ("!has(missing)", true),
        ("app == 'web'", true),
        ("app == 'api'", false),
        ("missing == ''", false),
        ("empty == ''", true),
        ("app != 'web'", false),
        ("app != 'api'", true),
        // != is true when the label is absent.
        ("missing != 'web'", true),
        ("missing != ''", true),
        ("empty != ''", false),
        ("app in {'web', 'api'}", true),
        ("app in {'api'}", false),
        ("app in {}", false),
        ("missing in {'web'}", false),
        ("empty in {''}", true),
        ("app not in {'web'}", false),
        ("app not in {'api'}", true),
        ("app not in {}", true),
        // not in is true when the label is absent.
        ("missing not in {'web'}", true),
        ("missing not in {}", true),
        ("version contains '.2.'", true),
        ("version contains ''", true),
        ("version contains 'v2'", false),
        ("missing contains ''", false),
        ("version starts with 'v1'", true),
        ("version starts with '1'", false),
        ("missing starts with ''", false),
        ("version ends with '.3'", true),
        ("version ends with 'v1'", false),
        ("missing ends with ''", false),
        ("quote == 'say \"hi\"'", true),
        ("quote contains '\"'", true),
        ("projectcalico.org/namespace == 'shop'", true),
        ("app == 'web' && tier == 'frontend'", true),
        ("app == 'web' && tier == 'backend'", false),
        ("app == 'api' || tier == 'frontend'", true),
        ("app == 'api' || tier == 'backend'", false),
        // && binds tighter than ||.
        ("has(missing) && has(app) || has(tier)", true),
        ("has(tier) || has(app) && has(missing)", true),
        ("(has(tier) || has(app)) && has(missing)", false),
        // ! binds tighter than &&.
        ("!has(missing) && has(app)", true),
        ("!(has(missing) && has(app))", true),
        ("!(has(tier) && has(app))", false),
        ("!!has(app)", true),
        ("!!!has(app)", false),
        ("!(!has(app))", true),
        ("!app == 'web'", false),
        ("!app != 'web'", true),
    ];
    let hash: HashMap<String, String> = labels.clone().into_iter().collect();
    let pairs: Vec<(&str, &str)> = labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for (input, want) in cases {
        let sel = parse(input);
        assert_eq!(sel.matches(&labels), *want, "{input:?} on a BTreeMap");
        assert_eq!(sel.matches(&hash), *want, "{input:?} on a HashMap");
        assert_eq!(sel.matches(pairs.as_slice()), *want, "{input:?} on a slice");
        assert_eq!(parse(&sel.to_string()).matches(&labels), *want, "{input:?} after a round trip");
    }
}

#[test]
fn errors() {
    let long = format!("{} == 'x'", "k".repeat(513));
    let long_message = format!("expected operator after label \"{}\"", "k".repeat(512));
    let nested_ok = format!("{}has(a){}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert!(Selector::parse(&nested_ok).is_ok(), "{MAX_NESTING} levels must parse");
    let nested_too_deep = format!("{}has(a){}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
    let cases: &[(&str, usize, &str)] = &[
        // Tokenizer.
        ("a == 'b", 5, "unterminated string"),
        ("a = 'b'", 2, "expected '=='"),
        ("has(a) & has(b)", 7, "expected '&&'"),
        ("has(a) | has(b)", 7, "expected '||'"),
        ("a 'b'", 2, "expected operator after label \"a\", found string \"b\""),
        ("a b", 2, "expected operator after label \"a\""),
        ("a starts with b", 14, "expected string after 'starts with', found label \"b\""),
        ("has(a", 5, "no closing ')' after has("),
        ("has()", 4, "expected label name"),
        ("all(", 4, "no closing ')' after all("),
        ("global(x)", 7, "no closing ')' after global("),
        ("has(a)\n&& has(b)", 6, "expected label name"),
        ("a == 'b' && c == 'd'\r\n", 20, "expected label name"),
        // A label is the first 512 bytes of the run; the 513th must start an operator.
        (&long, 512, &long_message),
        // Parser: what follows a label.
        ("a", 1, "expected operator after label \"a\", found end of selector"),
        ("a )", 2, "expected operator after label \"a\", found ')'"),
        ("a && b", 2, "expected operator after label \"a\", found '&&'"),
        ("a !has(b)", 2, "expected operator after label \"a\", found '!'"),
        ("a == ", 5, "expected string after '==', found end of selector"),
        ("a != b", 5, "expected string after '!=', found label \"b\""),
        ("a contains b", 11, "expected string after 'contains', found label \"b\""),
        ("a starts with {}", 14, "expected string after 'starts with', found '{'"),
        ("a ends with", 11, "expected string after 'ends with', found end of selector"),
        ("a in 'b'", 5, "expected set literal after 'in', found string \"b\""),
        ("a not in", 8, "expected set literal after 'not in', found end of selector"),
        ("a in {", 6, "expected string or '}' in set, found end of selector"),
        ("a in {,}", 6, "expected string or '}' in set, found ','"),
        ("a in {'b',,}", 10, "expected string or '}' in set, found ','"),
        ("a in {'b' 'c'}", 10, "expected ',' or '}' in set, found string \"c\""),
        ("a in {'b'", 9, "expected ',' or '}' in set, found end of selector"),
        ("a in {b}", 6, "expected string or '}' in set, found label \"b\""),
        // Parser: operations and grouping.
        ("!", 1, "unexpected end of selector"),
        ("has(a) &&", 9, "unexpected end of selector"),
        ("has(a) ||", 9, "unexpected end of selector"),
        ("&& has(a)", 0, "unexpected '&&'"),
        ("'a' == b", 0, "unexpected string \"a\""),
        ("== 'a'", 0, "unexpected '=='"),
        ("a == 'b' == 'c'", 9, "unexpected '==', expected '&&', '||' or end of selector"),
        ("()", 1, "unexpected ')'"),
        ("(has(a)", 7, "expected ')', found end of selector"),
        ("(has(a) has(b))", 8, "expected ')', found 'has(b)'"),
        ("has(a))", 6, "unexpected ')', expected '&&', '||' or end of selector"),
        ("has(a) has(b)", 7, "unexpected 'has(b)', expected '&&', '||' or end of selector"),
        ("all() global()", 6, "unexpected 'global()', expected '&&', '||' or end of selector"),
        ("!= 'a'", 0, "unexpected '!='"),
        ("{}", 0, "unexpected '{'"),
        ("has(a) && in {}", 13, "expected operator after label \"in\", found '{'"),
        (&nested_too_deep, MAX_NESTING, "parentheses nested more than 128 deep"),
    ];
    for (input, position, message) in cases {
        let err = parse_err(input);
        assert_eq!((err.position, err.message.as_str()), (*position, *message), "input {input:?}");
        assert_eq!(err.input, *input);
    }
}

#[test]
fn error_display_and_caret() {
    let err = parse_err("app == 'web' && tier = 'db'");
    assert_eq!(err.to_string(), "expected '==' at position 21");
    assert_eq!(err.caret(), "app == 'web' && tier = 'db'\n                     ^");
}

#[test]
fn from_str_and_default() {
    let sel: Selector = "has(a)".parse().expect("valid");
    assert_eq!(sel, parse("has(a)"));
    assert_eq!(Selector::default(), parse(""));
    assert_eq!(Selector::all().to_string(), "all()");
    assert!("a =".parse::<Selector>().is_err());
}

#[test]
fn debug_shows_canonical_form() {
    assert_eq!(format!("{:?}", parse("a == 'b'")), "Selector(a == \"b\")");
}

#[test]
fn serde_round_trips_through_the_canonical_string() {
    let sel = parse("a in {'y', 'x'} && !has(b)");
    let json = serde_json::to_string(&sel).expect("serialize");
    assert_eq!(json, r#""(a in {\"x\", \"y\"} && !has(b))""#);
    let back: Selector = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, sel);
    let err = serde_json::from_str::<Selector>(r#""a =""#).expect_err("invalid selector");
    assert!(err.to_string().contains("expected '==' at position 2"), "{err}");
}

#[test]
fn selector_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Selector>();
    assert_send_sync::<ParseError>();
    let sel = parse("has(a) && has(b)");
    let clone = sel.clone();
    assert!(std::sync::Arc::ptr_eq(&sel.root, &clone.root), "clone must share the tree");
}

#[test]
fn matches_through_layered_and_unsized_labels() {
    let pod = BTreeMap::from([("app".to_owned(), "web".to_owned())]);
    let implicit = [("projectcalico.org/namespace", "shop"), ("app", "shadowed")];
    let sel = parse("app == 'web' && projectcalico.org/namespace == 'shop'");
    assert!(sel.matches(&(&pod, &implicit)));
    assert!(!sel.matches(&(&implicit, &pod)), "the first set must win");
    let dynamic: &dyn super::Labels = &pod;
    assert!(parse("app == 'web'").matches(dynamic));
}

// Guards against the traps found while porting, named after what would break.

/// Calico builds `Not(Not(x))` for `!(!x)` and prints it `!!x`, which parses back as `x`; this
/// port cancels the double negation so the canonical form round-trips.
#[test]
fn double_negation_through_parentheses_round_trips() {
    for input in ["!(!has(a))", "!(!(a == 'b' && has(c)))", "!((!has(a)))"] {
        let sel = parse(input);
        assert_eq!(parse(&sel.to_string()), sel, "input {input:?} printed as {sel}");
    }
}

/// Go's stacks grow, Rust's do not: a deep pile of `(` must be an error, not a stack overflow.
#[test]
fn deeply_nested_parentheses_are_an_error_not_a_stack_overflow() {
    let input = "(".repeat(100_000);
    let err = parse_err(&input);
    assert_eq!(err.position, MAX_NESTING);
}

/// A `!` run is counted in a loop, as in Calico, so its length cannot overflow the stack.
#[test]
fn long_negation_run_parses() {
    let input = format!("{}has(a)", "!".repeat(100_001));
    assert_eq!(parse(&input).to_string(), "!has(a)");
}

/// `(…(a && b)…) && c` with [`MAX_NESTING`] parentheses parsed, but its canonical form wraps
/// every `&&` group in parentheses and came out one level deeper than the parser accepts, so
/// `parse(display(s))` failed. The `&&`/`||` group depth is now limited as well.
#[test]
fn canonical_form_at_the_nesting_limit_re_parses() {
    // Each step wraps the previous selector in parentheses and adds a `&&` group around it.
    let nested =
        |groups: usize| (1..groups).fold("has(a) && has(b)".to_owned(), |inner, _| format!("({inner}) && has(c)"));
    let at_limit = parse(&nested(MAX_NESTING));
    assert_eq!(parse(&at_limit.to_string()), at_limit);
    let input = nested(MAX_NESTING + 1);
    let parentheses = input.matches('(').count() - input.matches("has(").count();
    assert_eq!(parentheses, MAX_NESTING, "parentheses alone are within the limit");
    let err = parse_err(&input);
    assert_eq!(err.message, "'&&'/'||' groups nested more than 128 deep");
    assert_eq!(err.position, 0);
}
