//! The mutual HMAC handshake of Python's `multiprocessing.connection`, as two small
//! state machines with no I/O (the random challenge is an input, so tests are exact).
//!
//! Both sides prove they hold the key, the server first: it sends `#CHALLENGE#` and a
//! message, the client answers with an HMAC of that message under the key, the server
//! answers `#WELCOME#` or `#FAILURE#`; then the same the other way round. Python 3.12
//! and newer prefix the message and the answer with the digest's name (`{sha256}`);
//! 3.11 and older send a 20-byte message and answer with a raw 16-byte HMAC-MD5. The
//! server here offers `{sha256}` challenges and understands both kinds of answer, so
//! every client from 3.8 to 3.13 can talk to it; a client that answers with a bare MD5
//! gets the legacy handshake (the MAC still covers the whole `{sha256}` message, so a
//! client cannot strip the prefix to downgrade a modern one).

use hmac::{Hmac, Mac};

/// The prefix of a challenge.
pub const CHALLENGE: &[u8] = b"#CHALLENGE#";
/// The answer to a good response.
pub const WELCOME: &[u8] = b"#WELCOME#";
/// The answer to a wrong response.
pub const FAILURE: &[u8] = b"#FAILURE#";
/// Handshake messages longer than this are refused (as Python does).
pub const MAX_HANDSHAKE_MESSAGE: usize = 256;
/// Random bytes in a challenge this side sends (Python 3.12's `MESSAGE_LENGTH`).
pub const RANDOM_LEN: usize = 40;

/// What went wrong in a handshake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The peer's answer to our challenge was not the HMAC under our key.
    #[error("the peer's answer to the challenge is wrong: it does not hold the same key")]
    WrongKey,
    /// The peer refused our answer to its challenge.
    #[error("the peer refused our answer: it does not hold the same key")]
    Refused,
    /// The peer's answer names a digest this side does not know, or has the wrong
    /// length for it.
    #[error("the peer answered with {what}; expected an HMAC-MD5 or a {{digest}}-prefixed HMAC")]
    BadAnswer {
        /// What was received, described.
        what: String,
    },
    /// A message that does not belong in the handshake at this point.
    #[error("protocol error in the handshake: expected {expected}, got {got} bytes")]
    Protocol {
        /// What was expected.
        expected: &'static str,
        /// The length of what came.
        got: usize,
    },
}

/// A digest the handshake may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Digest {
    /// HMAC-MD5: the legacy handshake (raw, unprefixed) or `{md5}`.
    Md5,
    /// HMAC-SHA256, Python 3.12's default.
    Sha256,
    /// HMAC-SHA384.
    Sha384,
    /// HMAC-SHA3-256.
    Sha3_256,
    /// HMAC-SHA3-384.
    Sha3_384,
}

impl Digest {
    const ALL: [Digest; 5] =
        [Digest::Md5, Digest::Sha256, Digest::Sha384, Digest::Sha3_256, Digest::Sha3_384];

    /// Its name in a `{name}` prefix.
    pub fn name(self) -> &'static str {
        match self {
            Digest::Md5 => "md5",
            Digest::Sha256 => "sha256",
            Digest::Sha384 => "sha384",
            Digest::Sha3_256 => "sha3_256",
            Digest::Sha3_384 => "sha3_384",
        }
    }

    fn from_name(name: &[u8]) -> Option<Digest> {
        Digest::ALL.into_iter().find(|d| d.name().as_bytes() == name)
    }

    /// The HMAC of `message` under `key`.
    pub fn mac(self, key: &[u8], message: &[u8]) -> Vec<u8> {
        fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
            let mut mac = <M as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            Digest::Md5 => run::<Hmac<md5::Md5>>(key, message),
            Digest::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
            Digest::Sha384 => run::<Hmac<sha2::Sha384>>(key, message),
            Digest::Sha3_256 => run::<Hmac<sha3::Sha3_256>>(key, message),
            Digest::Sha3_384 => run::<Hmac<sha3::Sha3_384>>(key, message),
        }
    }
}

/// Splits a challenge message or an answer into its digest and payload: a 16- or
/// 20-byte message is legacy (MD5, no prefix), anything else must be `{name}payload`.
fn digest_and_payload(message: &[u8]) -> Result<(Option<Digest>, &[u8]), AuthError> {
    if matches!(message.len(), 16 | 20) {
        return Ok((None, message));
    }
    let named = message.strip_prefix(b"{").and_then(|rest| {
        let close = rest.iter().take(9).position(|&b| b == b'}')?;
        Some((Digest::from_name(&rest[..close])?, &rest[close + 1..]))
    });
    match named {
        Some((digest, payload)) => Ok((Some(digest), payload)),
        None => Err(AuthError::BadAnswer {
            what: format!(
                "{} bytes without a known {{digest}} prefix or a legacy length",
                message.len()
            ),
        }),
    }
}

/// The answer to a challenge `message` (without `#CHALLENGE#`).
fn answer(key: &[u8], message: &[u8]) -> Result<Vec<u8>, AuthError> {
    if message.len() < 20 {
        return Err(AuthError::Protocol {
            expected: "a challenge of 20 bytes or more",
            got: message.len(),
        });
    }
    Ok(match digest_and_payload(message)?.0 {
        None => Digest::Md5.mac(key, message),
        Some(digest) => {
            let mut out = format!("{{{}}}", digest.name()).into_bytes();
            out.extend(digest.mac(key, message));
            out
        }
    })
}

/// Checks `response` to our challenge `message` in constant time.
fn verify(key: &[u8], message: &[u8], response: &[u8]) -> Result<(), AuthError> {
    let (digest, mac) = digest_and_payload(response)?;
    let expected = digest.unwrap_or(Digest::Md5).mac(key, message);
    if expected.len() != mac.len() {
        return Err(AuthError::BadAnswer {
            what: format!("a MAC of {} bytes where {} were expected", mac.len(), expected.len()),
        });
    }
    // Constant time: the same work whatever the first differing byte.
    let differ = expected.iter().zip(mac).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if differ == 0 { Ok(()) } else { Err(AuthError::WrongKey) }
}

/// What one side does after a message of the handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this message, then wait for the next.
    Send(Vec<u8>),
    /// Send this message (if any); the peer is authenticated both ways.
    Done(Option<Vec<u8>>),
    /// The handshake failed: send this message (if any), then close.
    Fail(Option<Vec<u8>>, AuthError),
}

/// The server's side (Python's `Listener.accept`): challenge first, then answer.
///
/// # Examples
///
/// A whole handshake between the two sides of this module:
///
/// ```
/// use blinken::control::auth::{ClientHandshake, ServerHandshake, Step};
///
/// let key = b"secret";
/// let (mut server, mut to_client) = ServerHandshake::new(key, [7; 40]);
/// let mut client = ClientHandshake::new(key, [9; 40]);
/// let (mut server_done, mut client_done) = (false, false);
/// while !(server_done && client_done) {
///     let to_server = match client.receive(&to_client) {
///         Step::Send(m) => m,
///         Step::Done(m) => { client_done = true; match m { Some(m) => m, None => break } }
///         Step::Fail(_, e) => panic!("{e}"),
///     };
///     to_client = match server.receive(&to_server) {
///         Step::Send(m) => m,
///         Step::Done(m) => { server_done = true; match m { Some(m) => m, None => break } }
///         Step::Fail(_, e) => panic!("{e}"),
///     };
/// }
/// assert!(server.is_done());
/// ```
#[derive(Debug, Clone)]
pub struct ServerHandshake {
    key: Vec<u8>,
    /// Our challenge's message (after `#CHALLENGE#`).
    message: Vec<u8>,
    state: ServerState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerState {
    AwaitAnswer,
    AwaitChallenge,
    AwaitVerdict,
    Done,
    Failed,
}

impl ServerHandshake {
    /// Starts a handshake with `key` and `random` bytes (from a secure source: the
    /// connection code uses the operating system's); returns the first message to send.
    pub fn new(key: &[u8], random: [u8; RANDOM_LEN]) -> (ServerHandshake, Vec<u8>) {
        let mut message = format!("{{{}}}", Digest::Sha256.name()).into_bytes();
        message.extend_from_slice(&random);
        let first = [CHALLENGE, &message].concat();
        (ServerHandshake { key: key.to_vec(), message, state: ServerState::AwaitAnswer }, first)
    }

    /// Takes the peer's next message.
    pub fn receive(&mut self, incoming: &[u8]) -> Step {
        let step = match self.state {
            ServerState::AwaitAnswer => match verify(&self.key, &self.message, incoming) {
                Ok(()) => {
                    self.state = ServerState::AwaitChallenge;
                    Step::Send(WELCOME.to_vec())
                }
                Err(error) => Step::Fail(Some(FAILURE.to_vec()), error),
            },
            ServerState::AwaitChallenge => match incoming.strip_prefix(CHALLENGE) {
                Some(challenge) => match answer(&self.key, challenge) {
                    Ok(response) => {
                        self.state = ServerState::AwaitVerdict;
                        Step::Send(response)
                    }
                    Err(error) => Step::Fail(None, error),
                },
                None => Step::Fail(
                    None,
                    AuthError::Protocol { expected: "the client's challenge", got: incoming.len() },
                ),
            },
            ServerState::AwaitVerdict if incoming == WELCOME => {
                self.state = ServerState::Done;
                Step::Done(None)
            }
            ServerState::AwaitVerdict => Step::Fail(None, AuthError::Refused),
            ServerState::Done | ServerState::Failed => Step::Fail(
                None,
                AuthError::Protocol {
                    expected: "nothing (the handshake is over)",
                    got: incoming.len(),
                },
            ),
        };
        if matches!(step, Step::Fail(..)) {
            self.state = ServerState::Failed;
        }
        step
    }

    /// Whether both sides are authenticated.
    pub fn is_done(&self) -> bool {
        self.state == ServerState::Done
    }
}

/// The client's side (Python's `Client`): answer first, then challenge.
#[derive(Debug, Clone)]
pub struct ClientHandshake {
    key: Vec<u8>,
    random: [u8; RANDOM_LEN],
    message: Vec<u8>,
    state: ClientState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    AwaitChallenge,
    AwaitVerdict,
    AwaitAnswer,
    Done,
    Failed,
}

impl ClientHandshake {
    /// A client handshake with `key`; `random` makes its own challenge.
    pub fn new(key: &[u8], random: [u8; RANDOM_LEN]) -> ClientHandshake {
        ClientHandshake {
            key: key.to_vec(),
            random,
            message: Vec::new(),
            state: ClientState::AwaitChallenge,
        }
    }

    /// Takes the server's next message.
    pub fn receive(&mut self, incoming: &[u8]) -> Step {
        let step = match self.state {
            ClientState::AwaitChallenge => match incoming.strip_prefix(CHALLENGE) {
                Some(challenge) => match answer(&self.key, challenge) {
                    Ok(response) => {
                        self.state = ClientState::AwaitVerdict;
                        Step::Send(response)
                    }
                    Err(error) => Step::Fail(None, error),
                },
                None => Step::Fail(
                    None,
                    AuthError::Protocol { expected: "the server's challenge", got: incoming.len() },
                ),
            },
            ClientState::AwaitVerdict if incoming == WELCOME => {
                self.message = format!("{{{}}}", Digest::Sha256.name()).into_bytes();
                self.message.extend_from_slice(&self.random);
                self.state = ClientState::AwaitAnswer;
                Step::Send([CHALLENGE, &self.message].concat())
            }
            ClientState::AwaitVerdict => Step::Fail(None, AuthError::Refused),
            ClientState::AwaitAnswer => match verify(&self.key, &self.message, incoming) {
                Ok(()) => {
                    self.state = ClientState::Done;
                    Step::Done(Some(WELCOME.to_vec()))
                }
                Err(error) => Step::Fail(Some(FAILURE.to_vec()), error),
            },
            ClientState::Done | ClientState::Failed => Step::Fail(
                None,
                AuthError::Protocol {
                    expected: "nothing (the handshake is over)",
                    got: incoming.len(),
                },
            ),
        };
        if matches!(step, Step::Fail(..)) {
            self.state = ClientState::Failed;
        }
        step
    }

    /// Whether both sides are authenticated.
    pub fn is_done(&self) -> bool {
        self.state == ClientState::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legacy_md5_answer_is_understood_and_checked() {
        let (mut server, first) = ServerHandshake::new(b"key", [1; RANDOM_LEN]);
        let challenge = first.strip_prefix(CHALLENGE).unwrap();
        // What Python 3.11 sends: a raw HMAC-MD5 of the whole message.
        let legacy = Digest::Md5.mac(b"key", challenge);
        assert_eq!(legacy.len(), 16);
        assert_eq!(server.receive(&legacy), Step::Send(WELCOME.to_vec()));
        // Its own challenge is 20 bytes: answered with a raw MD5 too.
        let step = server.receive(&[CHALLENGE, &[5; 20][..]].concat());
        assert_eq!(step, Step::Send(Digest::Md5.mac(b"key", &[5; 20])));
        assert_eq!(server.receive(WELCOME), Step::Done(None));
        assert!(server.is_done());
    }

    #[test]
    fn a_wrong_key_gets_failure_and_nothing_more() {
        let (mut server, first) = ServerHandshake::new(b"key", [1; RANDOM_LEN]);
        let challenge = first.strip_prefix(CHALLENGE).unwrap();
        let wrong = answer(b"other", challenge).unwrap();
        assert_eq!(server.receive(&wrong), Step::Fail(Some(FAILURE.to_vec()), AuthError::WrongKey));
        assert!(matches!(server.receive(WELCOME), Step::Fail(None, AuthError::Protocol { .. })));
        assert!(!server.is_done());
    }

    #[test]
    fn garbage_answers_are_refused_by_name() {
        for garbage in [&b""[..], b"{sha256}", b"{nope}0123456789012345678901234567890", &[0; 17]] {
            let (mut server, _) = ServerHandshake::new(b"key", [1; RANDOM_LEN]);
            assert!(matches!(
                server.receive(garbage),
                Step::Fail(Some(_), AuthError::BadAnswer { .. })
            ));
        }
    }

    #[test]
    fn a_sha256_answer_must_cover_the_prefix() {
        let (mut server, first) = ServerHandshake::new(b"key", [3; RANDOM_LEN]);
        let message = first.strip_prefix(CHALLENGE).unwrap();
        let mut answer = b"{sha256}".to_vec();
        answer.extend(Digest::Sha256.mac(b"key", message));
        assert_eq!(server.receive(&answer), Step::Send(WELCOME.to_vec()));
        // An HMAC of the payload alone (without the prefix) is wrong.
        let (mut server, _) = ServerHandshake::new(b"key", [3; RANDOM_LEN]);
        let mut stripped = b"{sha256}".to_vec();
        stripped.extend(Digest::Sha256.mac(b"key", &[3; RANDOM_LEN]));
        assert!(matches!(server.receive(&stripped), Step::Fail(_, AuthError::WrongKey)));
    }
}
