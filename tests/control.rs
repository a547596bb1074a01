//! The control protocol's pure parts under random and mutated input: no panic, nothing
//! buffered beyond the limit, and a handshake that only a key holder completes.

#![cfg(feature = "control")]

use blinken::control::auth::{CHALLENGE, ClientHandshake, ServerHandshake, Step, WELCOME};
use blinken::control::frame::{Decoder, encode};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever a peer sends, the decoder returns messages within the limit or an
    /// error, and holds at most one header plus one message of the limit.
    #[test]
    fn random_bytes_never_break_the_decoder(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..32), max in 0usize..256) {
        let mut decoder = Decoder::new(max);
        for chunk in chunks {
            decoder.push(&chunk);
            loop {
                match decoder.next_message() {
                    Ok(Some(message)) => prop_assert!(message.len() <= max),
                    Ok(None) => break,
                    Err(_) => return Ok(()),
                }
            }
            prop_assert!(decoder.buffered() < 12 + max + 64);
        }
    }

    /// Frames of any payloads come back whole and in order, however the stream is cut.
    #[test]
    fn frames_round_trip(payloads in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..8), cut in 1usize..50) {
        let mut wire = Vec::new();
        for p in &payloads {
            encode(p, &mut wire);
        }
        let mut decoder = Decoder::new(300);
        let mut got = Vec::new();
        for chunk in wire.chunks(cut) {
            decoder.push(chunk);
            while let Some(m) = decoder.next_message().unwrap() {
                got.push(m);
            }
        }
        prop_assert_eq!(got, payloads);
    }

    /// Random messages never authenticate a server, never panic it.
    #[test]
    fn random_handshake_messages_never_authenticate(messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..80), 1..6)) {
        let (mut server, _) = ServerHandshake::new(b"key", [1; 40]);
        for message in messages {
            if let Step::Fail(..) = server.receive(&message) {
                break;
            }
        }
        prop_assert!(!server.is_done());
    }

    /// A handshake between the two sides succeeds exactly when the keys are equal.
    #[test]
    fn only_equal_keys_complete_the_handshake(a in prop::collection::vec(any::<u8>(), 0..70), b in prop::collection::vec(any::<u8>(), 0..70), seed in any::<[u8; 32]>()) {
        let mut random = [0u8; 40];
        random[..32].copy_from_slice(&seed);
        let (mut server, mut to_client) = ServerHandshake::new(&a, random);
        let mut client = ClientHandshake::new(&b, [7; 40]);
        let mut ok = false;
        for _ in 0..4 {
            let to_server = match client.receive(&to_client) {
                Step::Send(m) | Step::Done(Some(m)) => m,
                Step::Done(None) | Step::Fail(..) => break,
            };
            match server.receive(&to_server) {
                Step::Send(m) => to_client = m,
                Step::Done(_) => { ok = true; break }
                Step::Fail(..) => break,
            }
        }
        prop_assert_eq!(ok, a == b);
        prop_assert_eq!(server.is_done(), a == b);
        prop_assert_eq!(client.is_done(), a == b);
    }
}

#[test]
fn the_first_message_is_a_sha256_challenge() {
    let (_, first) = ServerHandshake::new(b"key", [0xab; 40]);
    assert!(first.starts_with(CHALLENGE));
    assert_eq!(&first[CHALLENGE.len()..CHALLENGE.len() + 8], b"{sha256}");
    assert_eq!(first.len(), CHALLENGE.len() + 8 + 40);
    assert_ne!(first, WELCOME);
}

mod pickles {
    use blinken::control::pickle::{PickleLimits, Value, decode, encode};
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::None),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            any::<f64>()
                .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
                .prop_map(Value::Float),
            ".{0,12}".prop_map(Value::Str),
            prop::collection::vec(any::<u8>(), 0..12).prop_map(Value::Bytes),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Tuple),
                prop::collection::vec((inner.clone(), inner), 0..6).prop_map(Value::Dict),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn plain_values_round_trip(v in value()) {
            prop_assert_eq!(decode(&encode(&v), &[], PickleLimits::default()).unwrap(), v);
        }

        /// Random bytes and mutated pickles: a value or a named error, never a panic.
        #[test]
        fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes, &["Animation", "Frame", "Pixel"], PickleLimits::default());
        }

        #[test]
        fn mutated_pickles_never_panic(v in value(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut bytes = encode(&v);
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = decode(&bytes, &[], PickleLimits::default());
            bytes.truncate(i);
            let _ = decode(&bytes, &[], PickleLimits::default());
        }
    }
}
