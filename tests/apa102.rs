//! APA102 encoder and SPI output: byte-exact frames, computed by hand.

use blinken::output::apa102::{
    Apa102, Apa102Error, Apa102Pixel, BrightnessMode, DEFAULT_MAX_TRANSFER, Dot, EndFrame,
    PixelOrder,
};
use blinken::{Pixel, RGB8};

const START: [u8; 4] = [0, 0, 0, 0];

/// Start frame, then `leds` (each a literal 4-byte LED frame), then `tail` (reset and
/// end frame bytes, given literally by each test).
fn frame(leds: &[[u8; 4]], tail: &[u8]) -> Vec<u8> {
    let mut bytes = START.to_vec();
    for led in leds {
        bytes.extend_from_slice(led);
    }
    bytes.extend_from_slice(tail);
    bytes
}

fn rgb(r: u8, g: u8, b: u8) -> RGB8 {
    RGB8::new(r, g, b)
}

// ---------------------------------------------------------------- frame lengths

#[test]
fn zero_leds_send_only_the_start_frame() {
    let mut strip = Apa102::new();
    assert_eq!(strip.encode::<RGB8>(&[]).unwrap(), &[0, 0, 0, 0]);
    assert_eq!(strip.frame_len(0), 4);

    let mut sk = Apa102::new().end_frame(EndFrame::Sk9822);
    assert_eq!(sk.encode::<RGB8>(&[]).unwrap(), &[0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn one_led_default_is_bgr_at_full_brightness_with_one_end_byte() {
    let mut strip = Apa102::new();
    assert_eq!(
        strip.encode(&[rgb(0x11, 0x22, 0x33)]).unwrap(),
        &[0x00, 0x00, 0x00, 0x00, 0xFF, 0x33, 0x22, 0x11, 0x00]
    );
    // An LED never set is 0xFF 0 0 0 for RGB8 pixels, 0xE0 0 0 0 for dots.
    assert_eq!(strip.encode(&[RGB8::OFF]).unwrap(), &[0, 0, 0, 0, 0xFF, 0, 0, 0, 0]);
    assert_eq!(strip.encode(&[Dot::OFF]).unwrap(), &[0, 0, 0, 0, 0xE0, 0, 0, 0, 0]);
}

#[test]
fn sixteen_leds_take_one_end_byte() {
    let pixels: Vec<RGB8> = (0..16).map(|i| rgb(i, 0x80, 0xFE)).collect();
    let leds: Vec<[u8; 4]> = (0..16).map(|i| [0xFF, 0xFE, 0x80, i]).collect();
    let expected = frame(&leds, &[0x00]);
    assert_eq!(expected.len(), 4 + 64 + 1);
    assert_eq!(Apa102::new().encode(&pixels).unwrap(), expected);
}

#[test]
fn seventeen_leds_take_two_end_bytes() {
    let pixels: Vec<RGB8> = (0..17).map(|i| rgb(i, 0, 1)).collect();
    let leds: Vec<[u8; 4]> = (0..17).map(|i| [0xFF, 1, 0, i]).collect();
    let expected = frame(&leds, &[0x00, 0x00]);
    assert_eq!(expected.len(), 4 + 68 + 2);
    assert_eq!(Apa102::new().encode(&pixels).unwrap(), expected);
    assert_eq!(Apa102::new().frame_len(17), 74);
}

#[test]
fn strip_of_144_is_589_bytes() {
    let pixels = [rgb(255, 128, 0); 144];
    let expected = frame(&[[0xFF, 0x00, 0x80, 0xFF]; 144], &[0; 9]);
    assert_eq!(expected.len(), 589);
    let mut strip = Apa102::new();
    assert_eq!(strip.encode(&pixels).unwrap(), expected);
    assert_eq!(strip.frame_len(144), 589);
}

#[test]
fn sk9822_puts_a_reset_frame_before_the_end_bytes() {
    let mut strip = Apa102::new().end_frame(EndFrame::Sk9822);
    assert_eq!(strip.encode(&[rgb(1, 2, 3)]).unwrap(), frame(&[[0xFF, 3, 2, 1]], &[0, 0, 0, 0, 0]));

    let pixels = [rgb(9, 8, 7); 17];
    let expected = frame(&[[0xFF, 7, 8, 9]; 17], &[0, 0, 0, 0, 0, 0]);
    assert_eq!(expected.len(), 4 + 68 + 4 + 2);
    assert_eq!(strip.encode(&pixels).unwrap(), expected);
    assert_eq!(strip.frame_len(17), 78);

    let expected = frame(&[[0xFF, 7, 8, 9]; 144], &[0; 4 + 9]);
    assert_eq!(strip.encode(&[rgb(9, 8, 7); 144]).unwrap(), expected);
}

// ---------------------------------------------------------------- pixel orders

#[test]
fn every_pixel_order_arranges_the_colour_bytes() {
    let c = rgb(0x11, 0x22, 0x33);
    let cases: [(PixelOrder, [u8; 3]); 6] = [
        (PixelOrder::Rgb, [0x11, 0x22, 0x33]),
        (PixelOrder::Rbg, [0x11, 0x33, 0x22]),
        (PixelOrder::Grb, [0x22, 0x11, 0x33]),
        (PixelOrder::Gbr, [0x22, 0x33, 0x11]),
        (PixelOrder::Brg, [0x33, 0x11, 0x22]),
        (PixelOrder::Bgr, [0x33, 0x22, 0x11]),
    ];
    for (order, [a, b, d]) in cases {
        let mut strip = Apa102::new().order(order);
        assert_eq!(
            strip.encode(&[c, RGB8::OFF]).unwrap(),
            &[0, 0, 0, 0, 0xFF, a, b, d, 0xFF, 0, 0, 0, 0],
            "{order}"
        );
        assert_eq!(strip.get_order(), order);
    }
    assert_eq!(PixelOrder::ALL.map(|o| o.name()), ["RGB", "RBG", "GRB", "GBR", "BRG", "BGR"]);
    assert_eq!(PixelOrder::default(), PixelOrder::Bgr);
}

#[test]
fn every_pixel_order_in_hardware_mode() {
    let c = rgb(0x11, 0x22, 0x33);
    let cases: [(PixelOrder, [u8; 3]); 6] = [
        (PixelOrder::Rgb, [0x11, 0x22, 0x33]),
        (PixelOrder::Rbg, [0x11, 0x33, 0x22]),
        (PixelOrder::Grb, [0x22, 0x11, 0x33]),
        (PixelOrder::Gbr, [0x22, 0x33, 0x11]),
        (PixelOrder::Brg, [0x33, 0x11, 0x22]),
        (PixelOrder::Bgr, [0x33, 0x22, 0x11]),
    ];
    for (order, [a, b, d]) in cases {
        let mut strip =
            Apa102::new().order(order).brightness(0.5).brightness_mode(BrightnessMode::Hardware);
        // round(31 × 0.5) = 16: header 0xE0 | 16 = 0xF0; colours unchanged.
        assert_eq!(strip.encode(&[c]).unwrap(), &[0, 0, 0, 0, 0xF0, a, b, d, 0], "{order}");
    }
}

#[test]
fn pixel_order_parses_case_insensitively_and_refuses_others() {
    assert_eq!("grb".parse::<PixelOrder>().unwrap(), PixelOrder::Grb);
    assert_eq!(" BRG ".parse::<PixelOrder>().unwrap(), PixelOrder::Brg);
    assert_eq!(PixelOrder::Rbg.to_string(), "RBG");
    let err = "BGRW".parse::<PixelOrder>().unwrap_err();
    assert_eq!(err, Apa102Error::UnknownOrder { value: "BGRW".to_owned() });
    assert_eq!(
        err.to_string(),
        "unknown pixel order \"BGRW\"; use one of RGB, RBG, GRB, GBR, BRG, BGR"
    );
}

// ---------------------------------------------------------------- brightness

#[test]
fn scale_mode_truncates_colour_bytes_like_the_python_driver() {
    let pixels = [rgb(255, 200, 100), rgb(10, 9, 3), rgb(1, 0, 0)];
    let cases: [(f64, [[u8; 4]; 3]); 5] = [
        // int(c × b), in RGB order below, header at 31.
        (1.0, [[0xFF, 255, 200, 100], [0xFF, 10, 9, 3], [0xFF, 1, 0, 0]]),
        (0.5, [[0xFF, 127, 100, 50], [0xFF, 5, 4, 1], [0xFF, 0, 0, 0]]),
        (0.25, [[0xFF, 63, 50, 25], [0xFF, 2, 2, 0], [0xFF, 0, 0, 0]]),
        (0.1, [[0xFF, 25, 20, 10], [0xFF, 1, 0, 0], [0xFF, 0, 0, 0]]),
        (0.0, [[0xFF, 0, 0, 0], [0xFF, 0, 0, 0], [0xFF, 0, 0, 0]]),
    ];
    for (brightness, leds) in cases {
        let mut strip = Apa102::new().order(PixelOrder::Rgb).brightness(brightness);
        assert_eq!(strip.get_brightness_mode(), BrightnessMode::Scale);
        assert_eq!(strip.encode(&pixels).unwrap(), frame(&leds, &[0]), "brightness {brightness}");
    }
}

#[test]
fn hardware_mode_puts_global_brightness_in_the_header() {
    let pixels = [rgb(255, 200, 100), rgb(1, 0, 0)];
    // round(31 × b), at least 1 when b > 0: 1.0 → 31, 0.5 → 16, 0.25 → 8, 0.1 → 3,
    // 0.01 → 1 (not 0), 0.0 → 0.
    let cases: [(f64, u8); 6] =
        [(1.0, 0xFF), (0.5, 0xF0), (0.25, 0xE8), (0.1, 0xE3), (0.01, 0xE1), (0.0, 0xE0)];
    for (brightness, header) in cases {
        let mut strip = Apa102::new()
            .order(PixelOrder::Rgb)
            .brightness_mode(BrightnessMode::Hardware)
            .brightness(brightness);
        assert_eq!(
            strip.encode(&pixels).unwrap(),
            frame(&[[header, 255, 200, 100], [header, 1, 0, 0]], &[0]),
            "brightness {brightness}"
        );
    }
}

#[test]
fn both_modes_agree_at_full_brightness() {
    let pixels = [rgb(3, 2, 1), rgb(250, 0, 7)];
    let expected = frame(&[[0xFF, 1, 2, 3], [0xFF, 7, 0, 250]], &[0]);
    for mode in [BrightnessMode::Scale, BrightnessMode::Hardware] {
        assert_eq!(Apa102::new().brightness_mode(mode).encode(&pixels).unwrap(), expected);
    }
}

#[test]
fn dot_brightness_goes_to_the_header_and_multiplies_with_the_global_one() {
    let c = rgb(200, 100, 3);
    let dots = [Dot::new(c, 10), Dot::new(c, 3), Dot::new(c, 1), Dot::new(c, 0)];

    // Scale: header = the dot's own level; colour bytes = int(c × 0.5) = 100, 50, 1.
    let mut strip = Apa102::new().order(PixelOrder::Rgb).brightness(0.5);
    assert_eq!(
        strip.encode(&dots).unwrap(),
        frame(
            &[[0xEA, 100, 50, 1], [0xE3, 100, 50, 1], [0xE1, 100, 50, 1], [0xE0, 100, 50, 1]],
            &[0]
        )
    );

    // Hardware: header = round(level × 0.5), at least 1 for a lit dot:
    // 10 → 5, 3 → 1.5 → 2, 1 → 0.5 → 1, 0 → 0; colour bytes unchanged.
    let mut strip = strip.brightness_mode(BrightnessMode::Hardware);
    assert_eq!(
        strip.encode(&dots).unwrap(),
        frame(
            &[[0xE5, 200, 100, 3], [0xE2, 200, 100, 3], [0xE1, 200, 100, 3], [0xE0, 200, 100, 3]],
            &[0]
        )
    );

    // At global 1.0 both send the dot's level as it is.
    let mut strip = Apa102::new().order(PixelOrder::Rgb);
    assert_eq!(strip.encode(&dots[..1]).unwrap(), frame(&[[0xEA, 200, 100, 3]], &[0]));
    // 1 × 0.1 = 0.1 rounds to 0, kept at 1 so the LED stays lit.
    let mut strip = strip.brightness_mode(BrightnessMode::Hardware).brightness(0.1);
    assert_eq!(strip.encode(&dots[2..3]).unwrap(), frame(&[[0xE1, 200, 100, 3]], &[0]));
}

#[test]
fn dot_pixel_values() {
    assert_eq!(Dot::OFF, Dot { color: rgb(0, 0, 0), brightness: 0 });
    assert_eq!(Dot::ON, Dot { color: rgb(255, 255, 255), brightness: 31 });
    assert_eq!(Dot::from(rgb(1, 2, 3)), Dot { color: rgb(1, 2, 3), brightness: 31 });
    assert!(Dot::new(rgb(0, 0, 1), 1).is_on());
    assert!(!Dot::new(rgb(0, 0, 1), 0).is_on());
    assert!(!Dot::new(rgb(0, 0, 0), 31).is_on());
    assert_eq!(Apa102Pixel::brightness(&rgb(5, 5, 5)), 31);
    assert_eq!(Apa102Pixel::color(&Dot::new(rgb(5, 6, 7), 2)), rgb(5, 6, 7));
}

// ---------------------------------------------------------------- validation

#[test]
fn global_brightness_outside_zero_to_one_is_refused_naming_the_value() {
    for bad in [1.5, -0.1, f64::INFINITY] {
        let mut strip = Apa102::new().brightness(bad);
        let err = strip.encode(&[rgb(1, 1, 1)]).unwrap_err();
        assert_eq!(err, Apa102Error::Brightness { value: bad });
        assert!(strip.bytes().is_empty());
    }
    let err = Apa102::new().brightness(1.5).encode(&[rgb(1, 1, 1)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "global brightness 1.5 is outside 0.0..=1.0; use a fraction of full brightness, \
         such as 0.25 for a quarter"
    );

    let err = Apa102::new().brightness(f64::NAN).encode(&[rgb(1, 1, 1)]).unwrap_err();
    assert!(matches!(err, Apa102Error::Brightness { value } if value.is_nan()));
    assert!(err.to_string().starts_with("global brightness NaN is outside 0.0..=1.0"), "{err}");

    // The setter refuses at once and keeps the old value.
    let mut strip = Apa102::new().brightness(0.5);
    assert_eq!(strip.set_brightness(-0.1), Err(Apa102Error::Brightness { value: -0.1 }));
    assert_eq!(strip.get_brightness(), 0.5);
    strip.set_brightness(0.25).unwrap();
    assert_eq!(strip.get_brightness(), 0.25);
    strip.set_brightness(0.0).unwrap();
    strip.set_brightness(1.0).unwrap();
}

#[test]
fn dot_brightness_above_31_is_refused_naming_the_value() {
    let err = Dot::try_new(rgb(1, 2, 3), 32).unwrap_err();
    assert_eq!(err, Apa102Error::DotBrightness { value: 32 });
    assert_eq!(
        err.to_string(),
        "Dot brightness 32 does not fit the APA102's 5 bits; use 0..=31 (31 is full)"
    );
    assert_eq!(Dot::try_new(rgb(1, 2, 3), 31).unwrap().brightness, 31);

    // Public fields can hold any value: the encoder names the LED.
    let pixels = [Dot::OFF, Dot::ON, Dot { color: rgb(1, 2, 3), brightness: 200 }];
    let mut strip = Apa102::new();
    let err = strip.encode(&pixels).unwrap_err();
    assert_eq!(err, Apa102Error::LedBrightness { index: 2, value: 200 });
    assert_eq!(
        err.to_string(),
        "LED 2 has brightness 200, which does not fit the APA102's 5 bits; use 0..=31 (31 is full)"
    );
    assert!(strip.bytes().is_empty());
    assert_eq!(strip.transfers().count(), 0);
}

#[test]
#[should_panic(expected = "Dot brightness 40 does not fit the APA102's 5 bits")]
fn dot_new_panics_naming_the_brightness() {
    let _ = Dot::new(rgb(1, 2, 3), 40);
}

#[test]
fn zero_max_transfer_is_refused() {
    let err = Apa102::new().max_transfer(0).encode(&[rgb(1, 1, 1)]).unwrap_err();
    assert_eq!(err, Apa102Error::ZeroMaxTransfer);
    assert!(err.to_string().contains("maximum transfer size of 0 bytes"), "{err}");
}

// ---------------------------------------------------------------- transfers and buffer

fn transfer_sizes(strip: &Apa102) -> Vec<usize> {
    strip.transfers().map(<[u8]>::len).collect()
}

#[test]
fn transfers_are_at_most_4096_bytes_by_default() {
    assert_eq!(DEFAULT_MAX_TRANSFER, 4096);
    let mut strip = Apa102::new();
    assert_eq!(strip.get_max_transfer(), 4096);

    strip.encode(&[rgb(1, 2, 3); 144]).unwrap();
    assert_eq!(transfer_sizes(&strip), [589]);

    // 4 + 4 × 1007 + ceil(1007 / 16) = 4 + 4028 + 63 = 4095: still one transfer.
    strip.encode(&[rgb(1, 2, 3); 1007]).unwrap();
    assert_eq!(transfer_sizes(&strip), [4095]);

    // 4 + 4 × 1008 + 63 = 4099: two.
    strip.encode(&[rgb(1, 2, 3); 1008]).unwrap();
    assert_eq!(transfer_sizes(&strip), [4096, 3]);
    let joined: Vec<u8> = strip.transfers().flatten().copied().collect();
    assert_eq!(joined, frame(&[[0xFF, 3, 2, 1]; 1008], &[0; 63]));
    // The second transfer is the last three end-frame bytes.
    assert_eq!(strip.transfers().nth(1).unwrap(), &[0, 0, 0]);

    // 2000 LEDs: 4 + 8000 + 125 = 8129 bytes.
    strip.encode(&[rgb(1, 2, 3); 2000]).unwrap();
    assert_eq!(transfer_sizes(&strip), [4096, 4033]);
}

#[test]
fn transfers_follow_a_configured_limit() {
    let mut strip = Apa102::new().max_transfer(100);
    let expected = frame(&[[0xFF, 0, 0x80, 0xFF]; 144], &[0; 9]);
    strip.encode(&[rgb(255, 128, 0); 144]).unwrap();
    assert_eq!(transfer_sizes(&strip), [100, 100, 100, 100, 100, 89]);
    let chunks: Vec<&[u8]> = strip.transfers().collect();
    for (k, chunk) in chunks.iter().enumerate() {
        assert_eq!(*chunk, &expected[k * 100..(k * 100 + 100).min(589)]);
    }

    let mut strip = Apa102::new().max_transfer(4);
    strip.encode(&[rgb(1, 2, 3)]).unwrap();
    let chunks: Vec<&[u8]> = strip.transfers().collect();
    assert_eq!(chunks, [&[0, 0, 0, 0][..], &[0xFF, 3, 2, 1], &[0]]);
}

#[test]
fn one_buffer_is_reused_for_every_frame() {
    let mut strip = Apa102::new();
    let first = strip.encode(&[rgb(1, 2, 3); 144]).unwrap().as_ptr();
    for n in [144, 10, 0, 144] {
        let bytes = strip.encode(&vec![rgb(4, 5, 6); n]).unwrap();
        assert_eq!(bytes.as_ptr(), first, "frame of {n} LEDs moved the buffer");
    }
    assert_eq!(strip.bytes().len(), 589);
}

#[test]
fn encoder_settings_read_back() {
    let strip = Apa102::new()
        .order(PixelOrder::Gbr)
        .brightness(0.75)
        .brightness_mode(BrightnessMode::Hardware)
        .end_frame(EndFrame::Sk9822)
        .max_transfer(512);
    assert_eq!(strip.get_order(), PixelOrder::Gbr);
    assert_eq!(strip.get_brightness(), 0.75);
    assert_eq!(strip.get_brightness_mode(), BrightnessMode::Hardware);
    assert_eq!(strip.get_end_frame(), EndFrame::Sk9822);
    assert_eq!(strip.get_max_transfer(), 512);
    let debug = format!("{strip:?}");
    assert!(debug.starts_with("Apa102 { order: Gbr, brightness: 0.75"), "{debug}");

    let defaults = Apa102::default();
    assert_eq!(defaults.get_order(), PixelOrder::Bgr);
    assert_eq!(defaults.get_brightness(), 1.0);
    assert_eq!(defaults.get_brightness_mode(), BrightnessMode::Scale);
    assert_eq!(defaults.get_end_frame(), EndFrame::Apa102);
}

#[test]
fn auto_traits() {
    fn send_sync_unpin<T: Send + Sync + Unpin>() {}
    send_sync_unpin::<Apa102>();
    send_sync_unpin::<Dot>();
    send_sync_unpin::<PixelOrder>();
    send_sync_unpin::<Apa102Error>();
}

// ---------------------------------------------------------------- SPI output

#[cfg(feature = "embedded-hal")]
mod spi {
    use super::{START, frame, rgb};
    use blinken::RunError;
    use blinken::output::apa102::{
        Apa102, Apa102Error, Apa102Spi, Apa102SpiError, BrightnessMode, Dot, PixelOrder,
    };
    use blinken::prelude::*;
    use embedded_hal::spi::{ErrorKind, ErrorType, SpiBus};
    use embedded_hal_mock::eh1::spi::{Mock, Transaction};

    fn off_frame(n: usize) -> Vec<u8> {
        // 0xFF 0 0 0 per RGB8 LED; one end byte per 16 LEDs (n ≤ 16 here).
        assert!(n <= 16);
        let mut bytes = START.to_vec();
        for _ in 0..n {
            bytes.extend_from_slice(&[0xFF, 0, 0, 0]);
        }
        bytes.extend_from_slice(if n == 0 { &[] } else { &[0] });
        bytes
    }

    #[test]
    fn plays_a_blink_on_the_bus() {
        let red = RGB8::new(255, 0, 0);
        let expected = [
            // 0 ms: LED 0 red; BGR order puts red last.
            Transaction::write_vec(vec![
                0, 0, 0, 0, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0, 0, 0, 0,
            ]),
            Transaction::flush(),
            // 100 ms: off. The blink ends at 200 ms with nothing changed: no write.
            Transaction::write_vec(off_frame(3)),
            Transaction::flush(),
            // release: all off.
            Transaction::write_vec(off_frame(3)),
            Transaction::flush(),
        ];
        let mut bus = Mock::new(&expected);
        let mut driver = Driver::new(Apa102Spi::new(bus.clone(), 3), VirtualClock::new());
        let end = driver.run(&blink(0, ms(100)).times(1).color(red)).unwrap();
        assert_eq!(end, Instant::ZERO + ms(200));
        driver.into_output().release().unwrap();
        bus.done();
    }

    #[test]
    fn plays_dots_with_hardware_brightness() {
        let blue = Dot::new(RGB8::new(0, 0, 255), 20);
        let expected = [
            // 0 ms: LED 1 blue at round(20 × 0.5) = 10: 0xEA; GRB order: g, r, b.
            Transaction::write_vec(frame(&[[0xE0, 0, 0, 0], [0xEA, 0, 0, 255]], &[0])),
            Transaction::flush(),
            // 50 ms: the on is cut by the timeout; dots off are 0xE0 0 0 0.
            Transaction::write_vec(frame(&[[0xE0, 0, 0, 0], [0xE0, 0, 0, 0]], &[0])),
            Transaction::flush(),
        ];
        let mut bus = Mock::new(&expected);
        let config = Apa102::new()
            .order(PixelOrder::Grb)
            .brightness(0.5)
            .brightness_mode(BrightnessMode::Hardware);
        let strip = Apa102Spi::with_config(bus.clone(), 2, config).unwrap();
        let mut driver = Driver::new(strip, VirtualClock::new());
        driver.run(&on(1).color(blue).timeout(ms(50))).unwrap();
        let _ = driver.into_output().into_inner();
        bus.done();
    }

    #[test]
    fn long_frames_are_chunked_into_transfers() {
        // 17 LEDs: 4 + 68 + 2 = 74 bytes, in transfers of 32, 32 and 10.
        let pixels = [rgb(1, 2, 3); 17];
        let bytes = frame(&[[0xFF, 3, 2, 1]; 17], &[0, 0]);
        let expected = [
            Transaction::write_vec(bytes[..32].to_vec()),
            Transaction::write_vec(bytes[32..64].to_vec()),
            Transaction::write_vec(bytes[64..].to_vec()),
            Transaction::flush(),
        ];
        assert_eq!(bytes[64..].len(), 10);
        let mut bus = Mock::new(&expected);
        let config = Apa102::new().max_transfer(32);
        let mut strip = Apa102Spi::<_, RGB8>::with_config(bus.clone(), 17, config).unwrap();
        strip.show(&pixels).unwrap();
        bus.done();
    }

    #[test]
    fn strip_of_144_goes_out_in_one_transfer() {
        let expected = [
            Transaction::write_vec(frame(&[[0xFF, 0, 0, 0x10]; 144], &[0; 9])),
            Transaction::flush(),
        ];
        let mut bus = Mock::new(&expected);
        let mut driver = Driver::new(Apa102Spi::new(bus.clone(), 144), VirtualClock::new());
        driver.run(&fill(0..144, RGB8::new(0x10, 0, 0))).unwrap();
        bus.done();
    }

    #[test]
    fn show_sends_exactly_len_leds() {
        let expected = [
            // Too few pixels: the rest are off.
            Transaction::write_vec(frame(&[[0xFF, 3, 2, 1], [0xFF, 0, 0, 0]], &[0])),
            Transaction::flush(),
            // Too many: cut at len.
            Transaction::write_vec(frame(&[[0xFF, 3, 2, 1], [0xFF, 6, 5, 4]], &[0])),
            Transaction::flush(),
        ];
        let mut bus = Mock::new(&expected);
        let mut strip = Apa102Spi::new(bus.clone(), 2);
        strip.show(&[rgb(1, 2, 3)]).unwrap();
        strip.show(&[rgb(1, 2, 3), rgb(4, 5, 6), rgb(7, 8, 9)]).unwrap();
        assert_eq!(strip.len(), 2);
        bus.done();
    }

    #[test]
    fn brightness_changes_between_frames() {
        let expected = [
            Transaction::write_vec(frame(&[[0xFF, 200, 0, 0]], &[0])),
            Transaction::flush(),
            Transaction::write_vec(frame(&[[0xFF, 100, 0, 0]], &[0])),
            Transaction::flush(),
        ];
        let mut bus = Mock::new(&expected);
        let mut strip = Apa102Spi::new(bus.clone(), 1);
        strip.show(&[rgb(0, 0, 200)]).unwrap();
        strip.encoder_mut().set_brightness(0.5).unwrap();
        strip.show(&[rgb(0, 0, 200)]).unwrap();
        assert!(strip.encoder_mut().set_brightness(2.0).is_err());
        bus.done();
    }

    #[test]
    fn with_config_refuses_bad_settings() {
        let mut bus = Mock::new(&[]);
        let err = Apa102Spi::<_, Dot>::with_config(bus.clone(), 4, Apa102::new().brightness(-1.0))
            .unwrap_err();
        assert_eq!(err, Apa102Error::Brightness { value: -1.0 });
        let err = Apa102Spi::<_, RGB8>::with_config(bus.clone(), 4, Apa102::new().max_transfer(0))
            .unwrap_err();
        assert_eq!(err, Apa102Error::ZeroMaxTransfer);
        bus.done();
    }

    /// A bus whose `fail_on`-th write (from 0) fails with `Overrun`; logs the rest.
    #[derive(Debug, Default)]
    struct FailingBus {
        writes: usize,
        fail_on: usize,
        flush_fails: bool,
        log: Vec<Vec<u8>>,
    }

    impl ErrorType for FailingBus {
        type Error = ErrorKind;
    }

    impl SpiBus for FailingBus {
        fn read(&mut self, _: &mut [u8]) -> Result<(), ErrorKind> {
            unreachable!("the strip never reads")
        }
        fn write(&mut self, words: &[u8]) -> Result<(), ErrorKind> {
            let n = self.writes;
            self.writes += 1;
            if n == self.fail_on {
                return Err(ErrorKind::Overrun);
            }
            self.log.push(words.to_vec());
            Ok(())
        }
        fn transfer(&mut self, _: &mut [u8], _: &[u8]) -> Result<(), ErrorKind> {
            unreachable!("the strip never reads")
        }
        fn transfer_in_place(&mut self, _: &mut [u8]) -> Result<(), ErrorKind> {
            unreachable!("the strip never reads")
        }
        fn flush(&mut self) -> Result<(), ErrorKind> {
            if self.flush_fails { Err(ErrorKind::ModeFault) } else { Ok(()) }
        }
    }

    #[test]
    fn bus_error_surfaces_as_run_error_output() {
        // 144 LEDs in transfers of 256: 256, 256, 77. The second one fails.
        let bus = FailingBus { fail_on: 1, ..FailingBus::default() };
        let strip =
            Apa102Spi::<_, RGB8>::with_config(bus, 144, Apa102::new().max_transfer(256)).unwrap();
        let mut driver = Driver::new(strip, VirtualClock::new());
        let err = driver.run(&blink(0..144, ms(10)).times(1)).unwrap_err();
        let RunError::Output { at, source } = &err else { panic!("not an output error: {err}") };
        assert_eq!(*at, Instant::ZERO);
        assert!(
            matches!(
                source,
                Apa102SpiError::Write {
                    offset: 256,
                    len: 256,
                    transfer: 1,
                    transfers: 3,
                    leds: 144,
                    kind: ErrorKind::Overrun,
                    error: ErrorKind::Overrun,
                }
            ),
            "{source:?}"
        );
        assert_eq!(source.kind(), Some(ErrorKind::Overrun));
        assert_eq!(
            source.to_string(),
            "the SPI bus failed to write bytes 256..512 (transfer 2 of 3) of a 144-LED APA102 \
             frame: Overrun (Overrun); check the SPI device, its clock (lower it for long \
             strips) and the transfer size"
        );
        let chain = std::error::Error::source(&err).unwrap().to_string();
        assert_eq!(chain, source.to_string());
        assert_eq!(driver.output().bus().log.len(), 1);
    }

    #[test]
    fn flush_error_surfaces_with_its_kind() {
        let bus = FailingBus { fail_on: usize::MAX, flush_fails: true, ..FailingBus::default() };
        let mut strip = Apa102Spi::new(bus, 2);
        let err = strip.show(&[rgb(1, 1, 1)]).unwrap_err();
        assert!(matches!(err, Apa102SpiError::Flush { leds: 2, kind: ErrorKind::ModeFault, .. }));
        assert!(
            err.to_string()
                .starts_with("the SPI bus failed to flush a 2-LED APA102 frame: ModeFault")
        );

        // release hands the output (and through it the bus) back with the error.
        let err = strip.release().unwrap_err();
        assert_eq!(err.source.kind(), Some(ErrorKind::ModeFault));
        assert_eq!(err.output.into_inner().log.len(), 2);
    }

    #[test]
    fn refused_pixel_surfaces_as_run_error_output() {
        let bad = Dot { color: RGB8::new(1, 2, 3), brightness: 40 };
        let mut bus = Mock::new(&[]);
        let mut driver = Driver::new(
            Apa102Spi::<_, Dot>::with_config(bus.clone(), 4, Apa102::new()).unwrap(),
            VirtualClock::new(),
        );
        let err = driver.run(&fill(3, bad)).unwrap_err();
        let RunError::Output { source, .. } = &err else { panic!("not an output error: {err}") };
        assert!(matches!(
            source,
            Apa102SpiError::Encode(Apa102Error::LedBrightness { index: 3, value: 40 })
        ));
        assert_eq!(source.kind(), None);
        assert!(source.to_string().starts_with("LED 3 has brightness 40"));
        bus.done();
    }

    #[test]
    fn auto_traits_of_the_output() {
        fn send<T: Send>() {}
        fn send_sync<T: Send + Sync + 'static>() {}
        send::<Apa102Spi<Mock<u8>>>();
        send::<Apa102Spi<Mock<u8>, Dot>>();
        send_sync::<Apa102SpiError<ErrorKind>>();
    }

    #[test]
    fn debug_shows_settings_not_the_bus() {
        let strip = Apa102Spi::new(FailingBus::default(), 5);
        let debug = format!("{strip:?}");
        assert!(debug.starts_with("Apa102Spi { len: 5, encoder: Apa102 { order: Bgr"), "{debug}");
        assert!(!debug.contains("FailingBus"), "{debug}");
    }
}
