//! Python pickles as plain data: a decoder that never resolves a global and never
//! calls anything, and an encoder for replies a Python `recv()` can load.
//!
//! What decodes: `None`, booleans, integers that fit an `i64`, floats, strings, bytes,
//! lists, tuples, sets (as lists), dicts, and instances of the classes the caller
//! allows by name (the pixel-buffer player's dataclasses `Animation`, `Frame`, `Pixel`),
//! as a [`Value::Object`] holding the class's module and name and the state dict that
//! `BUILD` gave it. Everything else (`REDUCE`, `INST`, `OBJ`, extension registries,
//! persistent ids, classes not allowed) is refused with an error naming the opcode or
//! the class: nothing from the peer is ever executed or looked up.
//!
//! Objects are decoded into an arena and copied out at the end, so an object listed
//! several times through the memo (`[pixel] * 11` writes one pixel and ten `BINGET`s)
//! gives as many full copies, with the state `BUILD` set after it was memoised (the
//! trap of serde-pickle 1.2, which gives ten empty dicts). Depth and size are bounded,
//! which also turns a reference cycle into an error.

/// A decoded pickle.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer that fits in an `i64`.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A list (also a set or a frozenset, in pickle order).
    List(Vec<Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A dict, in insertion order.
    Dict(Vec<(Value, Value)>),
    /// An instance of an allowed class, with the state `BUILD` gave it (a dict for a
    /// dataclass), or `None` if it had none.
    Object {
        /// The class's module (`__main__` for a script's own class).
        module: String,
        /// The class's name.
        name: String,
        /// Its state.
        state: Box<Value>,
    },
}

impl Value {
    /// The value under `key` of a dict, or of an object's state dict.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => {
                items.iter().find(|(k, _)| matches!(k, Value::Str(s) if s == key)).map(|(_, v)| v)
            }
            Value::Object { state, .. } => state.get(key),
            _ => None,
        }
    }
}

/// Bounds for decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickleLimits {
    /// How deep values may nest.
    pub max_depth: usize,
    /// How many values the result may hold in all (memo copies included).
    pub max_values: usize,
}

impl Default for PickleLimits {
    /// 64 levels, one million values.
    fn default() -> PickleLimits {
        PickleLimits { max_depth: 64, max_values: 1_000_000 }
    }
}

/// A pickle was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PickleError {
    /// The pickle ended early.
    #[error("the pickle ends early, at byte {at}")]
    Truncated {
        /// Where.
        at: usize,
    },
    /// An opcode this decoder does not run: code execution, or something a plain-data
    /// pickle does not need.
    #[error("opcode {opcode:#04x} ({name}) at byte {at} is refused: only plain data decodes")]
    Refused {
        /// The opcode.
        opcode: u8,
        /// Its name, if known.
        name: &'static str,
        /// Where.
        at: usize,
    },
    /// A class that was not allowed.
    #[error("class {module}.{name} is not allowed (allowed: {allowed})")]
    Class {
        /// Its module.
        module: String,
        /// Its name.
        name: String,
        /// The allowed names.
        allowed: String,
    },
    /// The pickle is malformed (a stack underflow, a bad memo index, a bad string...).
    #[error("malformed pickle at byte {at}: {what}")]
    Malformed {
        /// Where.
        at: usize,
        /// What.
        what: &'static str,
    },
    /// Too deep, too big, or a reference cycle.
    #[error("the pickle is over the limits ({what}): {limit}")]
    Limit {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: usize,
    },
}

/// What the arena holds: containers refer to other nodes by index, so mutation after
/// memoisation (`APPEND`, `SETITEMS`, `BUILD`) reaches every reference.
#[derive(Debug, Clone)]
enum Node {
    Leaf(Value),
    List(Vec<usize>),
    Tuple(Vec<usize>),
    Dict(Vec<(usize, usize)>),
    Class(String, String),
    Object(String, String, Option<usize>),
}

#[derive(Debug)]
enum Slot {
    Mark,
    Node(usize),
}

/// Decodes `bytes`, allowing instances of the classes named in `classes`.
///
/// # Errors
///
/// A [`PickleError`] naming what was refused and where.
///
/// # Examples
///
/// ```
/// use blinken::control::pickle::{PickleLimits, Value, decode};
///
/// // pickle.dumps({'play': 'smiley', 'ids': [1, 2]}, protocol=2)
/// let bytes = b"\x80\x02}q\x00(X\x04\x00\x00\x00playq\x01X\x06\x00\x00\x00smileyq\x02X\x03\x00\x00\x00idsq\x03]q\x04(K\x01K\x02eu.";
/// let value = decode(bytes, &[], PickleLimits::default()).unwrap();
/// assert_eq!(value.get("play"), Some(&Value::Str("smiley".into())));
/// assert_eq!(value.get("ids"), Some(&Value::List(vec![Value::Int(1), Value::Int(2)])));
///
/// // `os.system` is a global: refused, never looked up.
/// let evil = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.";
/// assert!(decode(evil, &[], PickleLimits::default()).is_err());
/// ```
pub fn decode(bytes: &[u8], classes: &[&str], limits: PickleLimits) -> Result<Value, PickleError> {
    Decoder { bytes, at: 0, nodes: Vec::new(), stack: Vec::new(), memo: Vec::new(), classes }
        .run(limits)
}

struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
    nodes: Vec<Node>,
    stack: Vec<Slot>,
    memo: Vec<Option<usize>>,
    classes: &'a [&'a str],
}

impl Decoder<'_> {
    fn run(mut self, limits: PickleLimits) -> Result<Value, PickleError> {
        loop {
            let at = self.at;
            let op = self.take(1)?[0];
            match op {
                0x80 => drop(self.take(1)?), // PROTO
                0x95 => drop(self.take(8)?), // FRAME
                b'.' => break,               // STOP
                b'N' => self.leaf(Value::None),
                0x88 => self.leaf(Value::Bool(true)),
                0x89 => self.leaf(Value::Bool(false)),
                b'K' => {
                    let v = self.take(1)?[0];
                    self.leaf(Value::Int(i64::from(v)));
                }
                b'M' => {
                    let v = u16::from_le_bytes(self.array()?);
                    self.leaf(Value::Int(i64::from(v)));
                }
                b'J' => {
                    let v = i32::from_le_bytes(self.array()?);
                    self.leaf(Value::Int(i64::from(v)));
                }
                0x8a => {
                    // LONG1: little-endian two's complement.
                    let n = usize::from(self.take(1)?[0]);
                    let digits = self.take(n)?;
                    if n > 8 {
                        return Err(PickleError::Limit { what: "integer bytes", limit: 8 });
                    }
                    let fill = if digits.last().is_some_and(|b| b & 0x80 != 0) { 0xff } else { 0 };
                    let mut le = [fill; 8];
                    le[..n].copy_from_slice(digits);
                    self.leaf(Value::Int(i64::from_le_bytes(le)));
                }
                b'G' => {
                    let v = f64::from_be_bytes(self.array()?);
                    self.leaf(Value::Float(v));
                }
                0x8c | b'X' | 0x8d => {
                    let n = self.length(op, 0x8c, b'X')?;
                    let raw = self.take(n)?;
                    let s = core::str::from_utf8(raw)
                        .map_err(|_| PickleError::Malformed {
                            at,
                            what: "a string that is not UTF-8",
                        })?
                        .to_owned();
                    self.leaf(Value::Str(s));
                }
                b'C' | b'B' | 0x8e | b'U' | b'T' => {
                    let n = match op {
                        b'C' | b'U' => usize::from(self.take(1)?[0]),
                        b'B' | b'T' => u32::from_le_bytes(self.array()?) as usize,
                        _ => self.u64_len()?,
                    };
                    let raw = self.take(n)?.to_vec();
                    self.leaf(Value::Bytes(raw));
                }
                b']' => self.node(Node::List(Vec::new())),
                b'}' => self.node(Node::Dict(Vec::new())),
                b')' => self.node(Node::Tuple(Vec::new())),
                0x8f => self.node(Node::List(Vec::new())), // EMPTY_SET
                b'(' => self.stack.push(Slot::Mark),
                b'a' => {
                    let item = self.pop(at)?;
                    let list = self.top(at)?;
                    self.extend(list, vec![item], at)?;
                }
                b'e' | 0x90 => {
                    let items = self.pop_mark(at)?;
                    let list = self.top(at)?;
                    self.extend(list, items, at)?;
                }
                b's' => {
                    let value = self.pop(at)?;
                    let key = self.pop(at)?;
                    let dict = self.top(at)?;
                    self.set_items(dict, vec![key, value], at)?;
                }
                b'u' => {
                    let items = self.pop_mark(at)?;
                    let dict = self.top(at)?;
                    self.set_items(dict, items, at)?;
                }
                b'l' => {
                    let items = self.pop_mark(at)?;
                    self.node(Node::List(items));
                }
                0x91 => {
                    let items = self.pop_mark(at)?;
                    self.node(Node::List(items));
                }
                b'd' => {
                    let items = self.pop_mark(at)?;
                    if items.len() % 2 != 0 {
                        return Err(PickleError::Malformed { at, what: "a dict of an odd count" });
                    }
                    let pairs = items.chunks(2).map(|p| (p[0], p[1])).collect();
                    self.node(Node::Dict(pairs));
                }
                b't' => {
                    let items = self.pop_mark(at)?;
                    self.node(Node::Tuple(items));
                }
                0x85..=0x87 => {
                    let n = usize::from(op - 0x84);
                    let mut items = (0..n).map(|_| self.pop(at)).collect::<Result<Vec<_>, _>>()?;
                    items.reverse();
                    self.node(Node::Tuple(items));
                }
                b'0' => drop(self.pop(at)?),
                b'1' => drop(self.pop_mark(at)?),
                b'2' => {
                    let top = self.top(at)?;
                    self.stack.push(Slot::Node(top));
                }
                0x94 => {
                    let top = self.top(at)?;
                    self.memo.push(Some(top));
                }
                b'q' | b'r' => {
                    let index = if op == b'q' {
                        usize::from(self.take(1)?[0])
                    } else {
                        u32::from_le_bytes(self.array()?) as usize
                    };
                    if index > self.bytes.len() {
                        return Err(PickleError::Malformed {
                            at,
                            what: "a memo index past the pickle's size",
                        });
                    }
                    let top = self.top(at)?;
                    if self.memo.len() <= index {
                        self.memo.resize(index + 1, None);
                    }
                    self.memo[index] = Some(top);
                }
                b'h' | b'j' => {
                    let index = if op == b'h' {
                        usize::from(self.take(1)?[0])
                    } else {
                        u32::from_le_bytes(self.array()?) as usize
                    };
                    let node =
                        self.memo.get(index).copied().flatten().ok_or(PickleError::Malformed {
                            at,
                            what: "a memo reference to nothing",
                        })?;
                    self.stack.push(Slot::Node(node));
                }
                0x93 => {
                    let name = self.pop(at)?;
                    let module = self.pop(at)?;
                    let (module, name) = (self.string(module, at)?, self.string(name, at)?);
                    self.class(module, name)?;
                }
                b'c' => {
                    let module = self.line(at)?;
                    let name = self.line(at)?;
                    self.class(module, name)?;
                }
                0x81 | 0x92 => {
                    if op == 0x92 {
                        self.pop(at)?; // kwargs
                    }
                    let args = self.pop(at)?;
                    let class = self.pop(at)?;
                    let Node::Class(module, name) = self.nodes[class].clone() else {
                        return Err(PickleError::Malformed {
                            at,
                            what: "NEWOBJ of something not a class",
                        });
                    };
                    if !matches!(&self.nodes[args], Node::Tuple(a) if a.is_empty()) {
                        return Err(PickleError::Malformed { at, what: "NEWOBJ with arguments" });
                    }
                    self.node(Node::Object(module, name, None));
                }
                b'b' => {
                    let state = self.pop(at)?;
                    let object = self.top(at)?;
                    match &mut self.nodes[object] {
                        Node::Object(_, _, slot) => *slot = Some(state),
                        _ => {
                            return Err(PickleError::Malformed {
                                at,
                                what: "BUILD of something not an object",
                            });
                        }
                    }
                }
                other => {
                    return Err(PickleError::Refused {
                        opcode: other,
                        name: opcode_name(other),
                        at,
                    });
                }
            }
        }
        let root = self.pop(self.at)?;
        let mut budget = limits.max_values;
        self.value(root, 0, limits.max_depth, &mut budget)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], PickleError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(PickleError::Truncated { at: self.bytes.len() })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PickleError> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }

    fn u64_len(&mut self) -> Result<usize, PickleError> {
        let n = u64::from_le_bytes(self.array()?);
        usize::try_from(n).map_err(|_| PickleError::Truncated { at: self.bytes.len() })
    }

    fn length(&mut self, op: u8, short: u8, medium: u8) -> Result<usize, PickleError> {
        Ok(if op == short {
            usize::from(self.take(1)?[0])
        } else if op == medium {
            u32::from_le_bytes(self.array()?) as usize
        } else {
            self.u64_len()?
        })
    }

    fn line(&mut self, at: usize) -> Result<String, PickleError> {
        let rest = &self.bytes[self.at..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or(PickleError::Truncated { at: self.bytes.len() })?;
        let text = core::str::from_utf8(&rest[..end])
            .map_err(|_| PickleError::Malformed { at, what: "a global name that is not UTF-8" })?
            .to_owned();
        self.at += end + 1;
        Ok(text)
    }

    fn leaf(&mut self, value: Value) {
        self.node(Node::Leaf(value));
    }

    fn node(&mut self, node: Node) {
        self.nodes.push(node);
        self.stack.push(Slot::Node(self.nodes.len() - 1));
    }

    fn pop(&mut self, at: usize) -> Result<usize, PickleError> {
        match self.stack.pop() {
            Some(Slot::Node(n)) => Ok(n),
            _ => Err(PickleError::Malformed { at, what: "a stack underflow" }),
        }
    }

    fn top(&self, at: usize) -> Result<usize, PickleError> {
        match self.stack.last() {
            Some(Slot::Node(n)) => Ok(*n),
            _ => Err(PickleError::Malformed { at, what: "an empty stack" }),
        }
    }

    fn pop_mark(&mut self, at: usize) -> Result<Vec<usize>, PickleError> {
        let mark = self
            .stack
            .iter()
            .rposition(|s| matches!(s, Slot::Mark))
            .ok_or(PickleError::Malformed { at, what: "no MARK" })?;
        let items = self
            .stack
            .drain(mark..)
            .skip(1)
            .map(|s| match s {
                Slot::Node(n) => n,
                Slot::Mark => unreachable!("the last mark was found"),
            })
            .collect();
        Ok(items)
    }

    fn extend(&mut self, list: usize, items: Vec<usize>, at: usize) -> Result<(), PickleError> {
        match &mut self.nodes[list] {
            Node::List(existing) => {
                existing.extend(items);
                Ok(())
            }
            _ => Err(PickleError::Malformed { at, what: "APPEND to something not a list" }),
        }
    }

    fn set_items(&mut self, dict: usize, items: Vec<usize>, at: usize) -> Result<(), PickleError> {
        if items.len() % 2 != 0 {
            return Err(PickleError::Malformed { at, what: "SETITEMS of an odd count" });
        }
        match &mut self.nodes[dict] {
            Node::Dict(pairs) => {
                pairs.extend(items.chunks(2).map(|p| (p[0], p[1])));
                Ok(())
            }
            _ => Err(PickleError::Malformed { at, what: "SETITEM on something not a dict" }),
        }
    }

    fn string(&self, node: usize, at: usize) -> Result<String, PickleError> {
        match &self.nodes[node] {
            Node::Leaf(Value::Str(s)) => Ok(s.clone()),
            _ => Err(PickleError::Malformed { at, what: "a global name that is not a string" }),
        }
    }

    fn class(&mut self, module: String, name: String) -> Result<(), PickleError> {
        if !self.classes.contains(&name.as_str()) {
            let allowed = match self.classes {
                [] => "none".to_owned(),
                names => names.join(", "),
            };
            return Err(PickleError::Class { module, name, allowed });
        }
        self.node(Node::Class(module, name));
        Ok(())
    }

    /// Copies node `n` out of the arena; every reference is copied in full.
    fn value(
        &self,
        n: usize,
        depth: usize,
        max_depth: usize,
        budget: &mut usize,
    ) -> Result<Value, PickleError> {
        if depth > max_depth {
            return Err(PickleError::Limit { what: "depth", limit: max_depth });
        }
        *budget = budget.checked_sub(1).ok_or(PickleError::Limit { what: "values", limit: 0 })?;
        let mut list = |items: &[usize]| {
            items
                .iter()
                .map(|&i| self.value(i, depth + 1, max_depth, budget))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match &self.nodes[n] {
            Node::Leaf(v) => v.clone(),
            Node::List(items) => Value::List(list(items)?),
            Node::Tuple(items) => Value::Tuple(list(items)?),
            Node::Dict(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for &(k, v) in pairs {
                    out.push((
                        self.value(k, depth + 1, max_depth, budget)?,
                        self.value(v, depth + 1, max_depth, budget)?,
                    ));
                }
                Value::Dict(out)
            }
            Node::Class(module, name) => Value::Str(format!("{module}.{name}")),
            Node::Object(module, name, state) => Value::Object {
                module: module.clone(),
                name: name.clone(),
                state: Box::new(match state {
                    Some(s) => self.value(*s, depth + 1, max_depth, budget)?,
                    None => Value::None,
                }),
            },
        })
    }
}

fn opcode_name(op: u8) -> &'static str {
    match op {
        b'R' => "REDUCE: calls a function",
        b'i' => "INST: calls a class",
        b'o' => "OBJ: calls a class",
        0x82..=0x84 => "EXT: the extension registry",
        b'P' | b'Q' => "PERSID: persistent ids",
        b'I' | b'L' | b'F' | b'S' | b'V' | b'p' | b'g' => "a protocol-0 text opcode",
        0x96..=0x98 => "a protocol-5 buffer opcode",
        _ => "unknown",
    }
}

/// Encodes `value` as a protocol-3 pickle (what Python's `loads` and a connection's
/// `recv()` read). Objects are written as their state (replies are plain data).
///
/// # Examples
///
/// ```
/// use blinken::control::pickle::{PickleLimits, Value, decode, encode};
///
/// let reply = Value::Dict(vec![(Value::Str("id".into()), Value::Int(12345))]);
/// let bytes = encode(&reply);
/// assert_eq!(decode(&bytes, &[], PickleLimits::default()).unwrap(), reply);
/// ```
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = vec![0x80, 3];
    write(value, &mut out);
    out.push(b'.');
    out
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::None => out.push(b'N'),
        Value::Bool(true) => out.push(0x88),
        Value::Bool(false) => out.push(0x89),
        Value::Int(i) => match (u8::try_from(*i), u16::try_from(*i), i32::try_from(*i)) {
            (Ok(b), _, _) => out.extend([b'K', b]),
            (_, Ok(w), _) => {
                out.push(b'M');
                out.extend(w.to_le_bytes());
            }
            (_, _, Ok(d)) => {
                out.push(b'J');
                out.extend(d.to_le_bytes());
            }
            _ => {
                out.extend([0x8a, 8]);
                out.extend(i.to_le_bytes());
            }
        },
        Value::Float(f) => {
            out.push(b'G');
            out.extend(f.to_be_bytes());
        }
        Value::Str(s) => {
            out.push(b'X');
            out.extend((s.len() as u32).to_le_bytes());
            out.extend(s.as_bytes());
        }
        Value::Bytes(b) => {
            out.push(b'B');
            out.extend((b.len() as u32).to_le_bytes());
            out.extend(b);
        }
        Value::List(items) => {
            out.extend([b']', b'(']);
            items.iter().for_each(|v| write(v, out));
            out.push(b'e');
        }
        Value::Tuple(items) => {
            out.push(b'(');
            items.iter().for_each(|v| write(v, out));
            out.push(b't');
        }
        Value::Dict(pairs) => {
            out.extend([b'}', b'(']);
            for (k, v) in pairs {
                write(k, out);
                write(v, out);
            }
            out.push(b'u');
        }
        Value::Object { state, .. } => write(state, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pickle.dumps(Animation([Frame(100, [p] * 3)], False, 0, 1))` from Python 3.11,
    /// the pixel-buffer player's dataclasses defined in `__main__`.
    const ANIMATION: &str = "800495e2000000000000008c085f5f6d61696e5f5f948c09416e696d6174696f6e9493942981947d94288c066672616d6573945d9468008c054672616d659493942981947d94288c0a646973706c61795f6d73944b648c06706978656c73945d942868008c05506978656c9493942981947d94288c0a6272696768746e65737394473ff00000000000008c03726564944b0a8c05677265656e944b148c04626c7565944b1e756268106810657562618c0f6c6f6f705f696e66696e6974656c7994898c1570617573655f6265747765656e5f706c61795f6d73944b008c096d61785f706c617973944b0175622e";

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn the_memo_trap_gives_every_pixel_in_full() {
        let classes = ["Animation", "Frame", "Pixel"];
        let value = decode(&hex(ANIMATION), &classes, PickleLimits::default()).unwrap();
        let Value::List(frames) = value.get("frames").unwrap() else { panic!("{value:?}") };
        let Value::List(pixels) = frames[0].get("pixels").unwrap() else { panic!() };
        assert_eq!(pixels.len(), 3);
        for pixel in pixels {
            assert_eq!(pixel.get("red"), Some(&Value::Int(10)));
            assert_eq!(pixel.get("blue"), Some(&Value::Int(30)));
            assert_eq!(pixel.get("brightness"), Some(&Value::Float(1.0)));
        }
        assert_eq!(value.get("max_plays"), Some(&Value::Int(1)));
        assert!(
            matches!(&value, Value::Object { module, name, .. } if module == "__main__" && name == "Animation")
        );
    }

    #[test]
    fn classes_must_be_allowed() {
        let err =
            decode(&hex(ANIMATION), &["Frame", "Pixel"], PickleLimits::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "class __main__.Animation is not allowed (allowed: Frame, Pixel)"
        );
    }

    #[test]
    fn cycles_and_depth_are_bounded() {
        // l = []; l.append(l): EMPTY_LIST MEMOIZE BINGET 0 APPEND STOP
        let cycle = [0x80, 4, b']', 0x94, b'h', 0, b'a', b'.'];
        let err = decode(&cycle, &[], PickleLimits::default()).unwrap_err();
        assert!(matches!(err, PickleError::Limit { what: "depth", .. }), "{err}");
        // One list referenced many times: the copies count against the budget.
        let mut wide = vec![0x80, 4, b']', 0x94, b'('];
        wide.extend(std::iter::repeat_n([b'h', 0], 100).flatten());
        wide.extend([b'l', b'.']);
        let small = PickleLimits { max_depth: 8, max_values: 50 };
        assert!(matches!(
            decode(&wide, &[], small),
            Err(PickleError::Limit { what: "values", .. })
        ));
    }

    #[test]
    fn integers_round_trip_at_their_edges() {
        for i in [0, 255, 256, 65535, 65536, -1, i64::from(i32::MIN), i64::MAX, i64::MIN] {
            let bytes = encode(&Value::Int(i));
            assert_eq!(decode(&bytes, &[], PickleLimits::default()).unwrap(), Value::Int(i), "{i}");
        }
    }
}
