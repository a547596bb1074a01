//! Property test: random animation trees against a small reference interpreter that
//! computes the expected timeline directly from the semantics in DESIGN.md.
//!
//! Every leaf drives its own LED, so the expected frame at an instant follows from the
//! intervals during which each LED is lit: `[a, b)`, clipped where an `any` cancels.

use blinken::prelude::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Node {
    Wait(u64),
    Blink { on: u64, off: u64, times: u64 },
    On,
    Seq(Vec<Node>),
    All(Vec<Node>),
    Any(Vec<Node>),
    Repeat(u64, Box<Node>),
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        (0u64..5).prop_map(Node::Wait),
        (0u64..4, 0u64..4, 0u64..4).prop_map(|(on, off, times)| Node::Blink { on, off, times }),
        Just(Node::On),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Node::Seq),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Node::All),
            prop::collection::vec(inner.clone(), 1..4).prop_map(Node::Any),
            (0u64..3, inner).prop_map(|(n, body)| Node::Repeat(n, Box::new(body))),
        ]
    })
}

/// One time unit of the generated trees.
const UNIT: Duration = Duration::from_millis(10);

fn t(units: u64) -> Instant {
    Instant::ZERO.add_times(UNIT, units)
}

/// Builds the blinken program, giving each leaf the next free LED; `dynamic` chooses
/// the `Vec` forms (ready sets) over tuples where both exist.
fn build(node: &Node, next_led: &mut usize, dynamic: bool) -> BoxAnimation<bool> {
    fn take(next_led: &mut usize) -> usize {
        *next_led += 1;
        *next_led - 1
    }
    let kids = |children: &[Node], next_led: &mut usize| -> Vec<BoxAnimation<bool>> {
        children.iter().map(|c| build(c, next_led, dynamic)).collect()
    };
    match node {
        Node::Wait(d) => wait(UNIT * *d as u32).boxed(),
        Node::Blink { on, off, times } => blink(take(next_led), UNIT * *on as u32)
            .off_for(UNIT * *off as u32)
            .times(*times)
            .boxed(),
        Node::On => on(take(next_led)).boxed(),
        Node::Seq(c) => sequence(kids(c, next_led)).boxed(),
        Node::All(c) if c.len() == 2 && !dynamic => {
            let mut k = kids(c, next_led).into_iter();
            all((k.next().unwrap(), k.next().unwrap())).boxed()
        }
        Node::Any(c) if c.len() == 2 && !dynamic => {
            let mut k = kids(c, next_led).into_iter();
            blinken::any((k.next().unwrap(), k.next().unwrap())).boxed()
        }
        Node::All(c) => all(kids(c, next_led)).boxed(),
        Node::Any(c) => blinken::any(kids(c, next_led)).boxed(),
        Node::Repeat(n, body) => repeat(*n, build(body, next_led, dynamic)).boxed(),
    }
}

/// Lit intervals `(led, from, to)` in units; `None` for "never ends".
type Lit = Vec<(usize, u64, Option<u64>)>;

/// The reference semantics: returns the logical end (`None`: never) and appends the
/// lit intervals of every leaf; `cut` clips everything at an enclosing `any`'s end.
fn eval(node: &Node, start: u64, next_led: &mut usize, lit: &mut Lit) -> Option<u64> {
    match node {
        Node::Wait(d) => Some(start + d),
        Node::Blink { on, off, times } => {
            let led = *next_led;
            *next_led += 1;
            for k in 0..*times {
                let from = start + k * (on + off);
                lit.push((led, from, Some(from + on)));
            }
            Some(start + times * (on + off))
        }
        Node::On => {
            lit.push((*next_led, start, None));
            *next_led += 1;
            None
        }
        Node::Seq(children) => {
            let mut at = Some(start);
            for child in children {
                at = match at {
                    Some(at) => eval(child, at, next_led, lit),
                    // Never started: still number its leaves like `build` does.
                    None => {
                        eval(child, u64::MAX / 4, next_led, &mut Vec::new());
                        None
                    }
                };
            }
            at
        }
        Node::All(children) => {
            let ends: Vec<_> = children.iter().map(|c| eval(c, start, next_led, lit)).collect();
            ends.into_iter().try_fold(start, |max, end| Some(max.max(end?)))
        }
        Node::Any(children) => {
            let mut mine = Vec::new();
            let end = children.iter().filter_map(|c| eval(c, start, next_led, &mut mine)).min();
            for (led, from, to) in mine {
                match end {
                    Some(end) if from >= end => {}
                    Some(end) => lit.push((led, from, Some(to.map_or(end, |to| to.min(end))))),
                    None => lit.push((led, from, to)),
                }
            }
            end
        }
        Node::Repeat(n, body) => {
            let first_led = *next_led;
            let mut at = Some(start);
            for _ in 0..*n {
                *next_led = first_led;
                at = at.and_then(|at| eval(body, at, next_led, lit));
                if at.is_none() {
                    break;
                }
            }
            // Leaves are numbered once, whatever the number of passes.
            *next_led = first_led;
            eval(body, u64::MAX / 4, next_led, &mut Vec::new());
            at
        }
    }
}

/// The expected timeline text up to and including `until` (units).
fn expected(lit: &Lit, leds: usize, until: u64) -> String {
    let mut instants: Vec<u64> = vec![0];
    for &(_, from, to) in lit {
        instants.push(from);
        instants.extend(to);
    }
    instants.retain(|&i| i <= until);
    instants.sort_unstable();
    instants.dedup();
    let mut out = String::new();
    let mut previous: Option<String> = None;
    for i in instants {
        let frame: String = (0..leds)
            .map(|led| {
                let on = lit
                    .iter()
                    .any(|&(l, from, to)| l == led && from <= i && to.is_none_or(|to| i < to));
                if on { '#' } else { '.' }
            })
            .collect();
        if previous.as_ref() != Some(&frame) {
            out.push_str(&format!("{} {frame}\n", t(i)));
            previous = Some(frame);
        }
    }
    out
}

fn count_leaves(node: &Node) -> usize {
    match node {
        Node::Wait(_) => 0,
        Node::Blink { .. } | Node::On => 1,
        Node::Seq(c) | Node::All(c) | Node::Any(c) => c.iter().map(count_leaves).sum(),
        Node::Repeat(_, body) => count_leaves(body),
    }
}

/// The length of a run in units (`None`: never ends). Every generated tree is
/// deterministic, so `min_duration` and `max_duration` must both be exactly this.
fn length(node: &Node) -> Option<u64> {
    match node {
        Node::Wait(d) => Some(*d),
        Node::Blink { on, off, times } => Some(times * (on + off)),
        Node::On => None,
        Node::Seq(c) => c.iter().try_fold(0, |sum, c| Some(sum + length(c)?)),
        Node::All(c) => c.iter().try_fold(0, |max, c| Some(max.max(length(c)?))),
        Node::Any(c) => c.iter().filter_map(length).min(),
        Node::Repeat(0, _) => Some(0),
        Node::Repeat(n, body) => length(body).map(|l| n * l),
    }
}

/// Whether validation refuses the tree: something that repeats faster than
/// `MIN_STEP` (one unit is far longer, so "faster" means "in no time").
fn refused(node: &Node) -> bool {
    match node {
        Node::Wait(_) | Node::On => false,
        Node::Blink { on, off, times } => *times >= 2 && on + off == 0,
        Node::Seq(c) | Node::All(c) | Node::Any(c) => c.iter().any(refused),
        Node::Repeat(n, body) => refused(body) || (*n >= 2 && length(body) == Some(0)),
    }
}

fn check(node: &Node, dynamic: bool) -> Result<(), TestCaseError> {
    let leds = count_leaves(node).max(1);
    let program = build(node, &mut 0, dynamic);
    let mut lit = Vec::new();
    let end = eval(node, 0, &mut 0, &mut lit);
    // The bounds are exact for these trees.
    prop_assert_eq!(end, length(node));
    prop_assert_eq!(program.min_duration(), end.map_or(Duration::MAX, |end| UNIT * end as u32));
    prop_assert_eq!(program.max_duration(), end.map(|end| UNIT * end as u32));
    let mut driver = Driver::new(Recorder::new(leds), VirtualClock::new());
    let horizon = 200; // units; generated trees end well before when they end at all
    if refused(node) {
        let result = driver.run_for(&program, UNIT * horizon as u32);
        prop_assert!(matches!(result, Err(blinken::RunError::Invalid(_))), "{:?}", result);
        return Ok(());
    }
    match end {
        Some(end) => {
            prop_assert_eq!(driver.run(&program).unwrap(), t(end));
            prop_assert_eq!(driver.output().render(), expected(&lit, leds, end));
        }
        None => {
            driver.run_for(&program, UNIT * horizon as u32).unwrap();
            prop_assert_eq!(driver.output().render(), expected(&lit, leds, horizon));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn static_trees_match_the_reference(node in node()) {
        check(&node, false)?;
    }

    #[test]
    fn dynamic_trees_match_the_reference(node in node()) {
        check(&node, true)?;
    }
}
