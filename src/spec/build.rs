//! Turning a spec into an animation: the one conversion function.

use std::collections::HashMap;

use super::{Color, KeyframesSpec, Layout, LedsSpec, Plays, Spec, SpecError};
use crate::effect::{
    chase, color_cycle, comet, fade, larson_scanner, pulse, rainbow, rainbow_chase, rainbow_comet,
    rainbow_sparkle, solid, sparkle,
};
use crate::input::Input;
use crate::output::apa102::Dot;
use crate::{
    Animation, BoxAnimation, Color as _, Crossfade, Keyframe, Leds, Pixel, RGB8, all, any, blink,
    crossfade, cycle, fill, forever, keyframes, off, on, overlay, press, presses, repeat, sequence,
    timeout, until, wait, walk,
};

/// A pixel type a spec can be built for: how a spec's [`Color`] becomes a pixel, and
/// whether it plays the colour effects.
///
/// Implemented for `bool` (plain on/off LEDs: only `"on"` and `"off"`, no effects),
/// [`RGB8`] (a brightness scales the colour) and [`Dot`] (at full brightness unless the
/// colour gives one; every effect).
pub trait SpecPixel: Pixel + Send + Sync {
    /// The pixel for `color`.
    ///
    /// # Errors
    ///
    /// A message saying why this output cannot show `color` and what to write instead.
    fn from_color(color: Color) -> Result<Self, String>;

    /// Builds the colour effect `spec` (one of [`Spec::Solid`] to [`Spec::Fade`]) on
    /// `leds`, naming `path` in errors; `None` (the default) for an output without
    /// colour, which [`Spec::build`] refuses with a message.
    ///
    /// A colour pixel ([`crate::Color`]) implements it as
    /// `Some(blinken::spec::build_effect(spec, leds, path))`.
    ///
    /// # Errors
    ///
    /// As [`build_effect`].
    fn effect(
        spec: &Spec,
        leds: Leds,
        path: &str,
    ) -> Option<Result<BoxAnimation<Self>, SpecError>> {
        let _ = (spec, leds, path);
        None
    }

    /// Boxes the crossfade `fade` of [`Spec::Crossfade`]; `None` (the default) for an
    /// output without colour, which [`Spec::build`] refuses with a message.
    ///
    /// A colour pixel ([`crate::Color`]) implements it as `Some(fade.boxed())`.
    fn crossfade(
        fade: Crossfade<BoxAnimation<Self>, BoxAnimation<Self>>,
    ) -> Option<BoxAnimation<Self>> {
        let _ = fade;
        None
    }
}

impl SpecPixel for bool {
    fn from_color(color: Color) -> Result<bool, String> {
        match color {
            Color::On => Ok(true),
            Color::Off => Ok(false),
            Color::Rgb(_) | Color::Dot(_) => Err(format!(
                "{color} is a colour, and this output has plain on/off LEDs; \
                 write \"on\" or \"off\", or leave the colour out"
            )),
        }
    }
}

impl SpecPixel for RGB8 {
    fn from_color(color: Color) -> Result<RGB8, String> {
        Ok(match color {
            Color::On => RGB8::ON,
            Color::Off => RGB8::OFF,
            Color::Rgb(c) => c,
            Color::Dot(d) => {
                d.color.scale(f64::from(d.brightness) / f64::from(Dot::MAX_BRIGHTNESS))
            }
        })
    }

    fn effect(
        spec: &Spec,
        leds: Leds,
        path: &str,
    ) -> Option<Result<BoxAnimation<RGB8>, SpecError>> {
        Some(build_effect(spec, leds, path))
    }

    fn crossfade(
        fade: Crossfade<BoxAnimation<RGB8>, BoxAnimation<RGB8>>,
    ) -> Option<BoxAnimation<RGB8>> {
        Some(fade.boxed())
    }
}

impl SpecPixel for Dot {
    fn from_color(color: Color) -> Result<Dot, String> {
        Ok(match color {
            Color::On => Dot::ON,
            Color::Off => Dot::OFF,
            Color::Rgb(c) => Dot::from(c),
            Color::Dot(d) => d,
        })
    }

    fn effect(spec: &Spec, leds: Leds, path: &str) -> Option<Result<BoxAnimation<Dot>, SpecError>> {
        Some(build_effect(spec, leds, path))
    }

    fn crossfade(
        fade: Crossfade<BoxAnimation<Dot>, BoxAnimation<Dot>>,
    ) -> Option<BoxAnimation<Dot>> {
        Some(fade.boxed())
    }
}

impl Spec {
    /// Builds the animation this spec describes, for an output of pixel type `P` laid
    /// out as `layout`, and validates it against the layout's length.
    ///
    /// # Errors
    ///
    /// [`SpecError::Build`] naming the place (`sequence[1].blink.leds`) for an LED the
    /// output lacks, a name it does not know, a colour or an effect on an on/off output,
    /// an LED list far longer than the output, a chase's bars or a sparkle's count
    /// larger than its LEDs; [`SpecError::Validation`] for what validation refuses
    /// (an empty `any`, a loop whose body may take less than
    /// [`MIN_STEP`](crate::MIN_STEP), a duration past [`LONGEST`](crate::LONGEST)).
    ///
    /// # Examples
    ///
    /// The talk's all-demo on its 5×5 board (line 11 is LED 0, line 1 is LED 12):
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::spec::{Layout, Spec};
    ///
    /// let spec = Spec::from_json(r#"
    ///     {"sequence": [{"all": [{"blink": {"leds": 0, "interval": "100ms", "times": 5}},
    ///                            {"wait": "3s"}]},
    ///                   {"blink": {"leds": 12, "interval": "300ms", "times": 5}}]}
    /// "#).unwrap();
    /// let program = spec.build::<bool>(&Layout::talk()).unwrap();
    /// let mut driver = Driver::new(Recorder::new(25), VirtualClock::new());
    /// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + secs(6));
    ///
    /// // Colour on plain GPIO LEDs is refused, naming the place.
    /// let red = Spec::from_json(r#"{"on": {"leds": "row 0", "color": "red"}}"#).unwrap();
    /// let err = red.build::<bool>(&Layout::talk()).map(drop).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "on.color: #ff0000 is a colour, and this output has plain on/off LEDs; \
    ///      write \"on\" or \"off\", or leave the colour out"
    /// );
    /// assert!(red.build::<RGB8>(&Layout::talk()).is_ok());
    /// ```
    pub fn build<P: SpecPixel>(&self, layout: &Layout) -> Result<BoxAnimation<P>, SpecError> {
        let mut builder = Builder { layout, names: HashMap::new() };
        let program = builder.node::<P>(self, "")?;
        program.validate_dyn(layout.len())?;
        Ok(program)
    }
}

struct Builder<'a> {
    layout: &'a Layout,
    /// Names resolved so far, so that every leaf on `"all"` shares one list.
    names: HashMap<String, Leds>,
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() { part.to_owned() } else { format!("{path}.{part}") }
}

impl Builder<'_> {
    fn leds(&mut self, spec: &LedsSpec, path: &str) -> Result<Leds, SpecError> {
        if let LedsSpec::Name(name) = spec
            && let Some(leds) = self.names.get(name)
        {
            return Ok(leds.clone());
        }
        let leds = spec.resolve(self.layout).map_err(|m| SpecError::build(path, m))?;
        let most = self.layout.len().saturating_mul(16).max(4096);
        if leds.len() > most {
            return Err(SpecError::build(
                path,
                format!(
                    "{} LEDs in one list is more than 16 times the output's {} (at most {most}); \
                     name each LED once",
                    leds.len(),
                    self.layout.len()
                ),
            ));
        }
        if let LedsSpec::Name(name) = spec {
            self.names.insert(name.clone(), leds.clone());
        }
        Ok(leds)
    }

    fn input(&self, name: &str, path: &str) -> Result<&Input, SpecError> {
        self.layout.input(name).ok_or_else(|| {
            let names: Vec<&str> = self.layout.input_names().collect();
            let message = if names.is_empty() {
                format!(
                    "there is no input {name:?}; this output has none: add it with \
                     Layout::with_input"
                )
            } else {
                format!("there is no input {name:?}; the inputs are: {}", names.join(", "))
            };
            SpecError::build(path, message)
        })
    }

    fn color<P: SpecPixel>(color: Option<Color>, path: &str) -> Result<P, SpecError> {
        match color {
            None => Ok(P::ON),
            Some(c) => P::from_color(c).map_err(|m| SpecError::build(path, m)),
        }
    }

    fn list<P: SpecPixel>(
        &mut self,
        children: &[Spec],
        path: &str,
    ) -> Result<Vec<BoxAnimation<P>>, SpecError> {
        children
            .iter()
            .enumerate()
            .map(|(i, child)| self.node::<P>(child, &format!("{path}[{i}]")))
            .collect()
    }

    fn node<P: SpecPixel>(
        &mut self,
        spec: &Spec,
        path: &str,
    ) -> Result<BoxAnimation<P>, SpecError> {
        Ok(match spec {
            Spec::Blink(b) => {
                let p = join(path, "blink");
                let leds = self.leds(&b.leds, &join(&p, "leds"))?;
                let color = Self::color::<P>(b.color, &join(&p, "color"))?;
                let mut leaf = blink(leds, b.interval).color(color);
                if let Some(off) = b.off {
                    leaf = leaf.off_for(off);
                }
                match b.times {
                    Some(n) => leaf.times(n).boxed(),
                    None => leaf.boxed(),
                }
            }
            Spec::On(o) => {
                let p = join(path, "on");
                let leds = self.leds(&o.leds, &join(&p, "leds"))?;
                on(leds).color(Self::color::<P>(o.color, &join(&p, "color"))?).boxed()
            }
            Spec::Off(o) => off::<P>(self.leds(&o.leds, &join(path, "off.leds"))?).boxed(),
            Spec::Fill(f) => {
                let leds = self.leds(&f.leds, &join(path, "fill.leds"))?;
                fill(leds, Self::color::<P>(Some(f.color), &join(path, "fill.color"))?).boxed()
            }
            Spec::Wait(d) => wait::<P>(*d).boxed(),
            Spec::Walk(w) | Spec::Cycle(w) => {
                let name = if matches!(spec, Spec::Walk(_)) { "walk" } else { "cycle" };
                let p = join(path, name);
                let leds = self.leds(&w.leds, &join(&p, "leds"))?;
                let color = Self::color::<P>(w.color, &join(&p, "color"))?;
                match spec {
                    Spec::Walk(_) => walk(leds, w.interval).color(color).boxed(),
                    _ => cycle(leds, w.interval).color(color).boxed(),
                }
            }
            Spec::Keyframes(k) => self.keyframes::<P>(k, &join(path, "keyframes"))?,
            Spec::Sequence(children) => {
                sequence(self.list::<P>(children, &join(path, "sequence"))?).boxed()
            }
            Spec::All(children) => all(self.list::<P>(children, &join(path, "all"))?).boxed(),
            Spec::Any(children) => any(self.list::<P>(children, &join(path, "any"))?).boxed(),
            Spec::Forever(body) => forever(self.node::<P>(body, &join(path, "forever"))?).boxed(),
            Spec::Repeat(r) => {
                repeat(r.times, self.node::<P>(&r.body, &join(path, "repeat.body"))?).boxed()
            }
            Spec::Timeout(t) => {
                timeout(t.after, self.node::<P>(&t.body, &join(path, "timeout.body"))?).boxed()
            }
            Spec::Press(name) => press::<P>(self.input(name, &join(path, "press"))?).boxed(),
            Spec::Presses(p) => {
                let input = self.input(&p.input, &join(path, "presses.input"))?;
                presses::<P>(input, p.times).boxed()
            }
            Spec::Until(u) => {
                let p = join(path, "until");
                let input = self.input(&u.input, &join(&p, "input"))?.clone();
                until(&input, self.node::<P>(&u.body, &join(&p, "body"))?).boxed()
            }
            Spec::Overlay(o) => {
                let p = join(path, "overlay");
                let base = self.node::<P>(&o.base, &join(&p, "base"))?;
                overlay(base, self.node::<P>(&o.top, &join(&p, "top"))?).boxed()
            }
            Spec::Crossfade(c) => {
                let p = join(path, "crossfade");
                let from = self.node::<P>(&c.from, &join(&p, "from"))?;
                let to = self.node::<P>(&c.to, &join(&p, "to"))?;
                let mut fade = crossfade(from, to, c.duration);
                if let Some(step) = c.step {
                    fade = fade.step(step);
                }
                if let Some(curve) = c.curve {
                    fade = fade.curve(curve.into());
                }
                match P::crossfade(fade) {
                    Some(program) => program,
                    None => {
                        return Err(SpecError::build(
                            &p,
                            "crossfade mixes colours, and this output has plain on/off LEDs; \
                             use any or sequence to switch between programs, or build for a \
                             colour output (RGB8, Dot)",
                        ));
                    }
                }
            }
            Spec::Solid(_)
            | Spec::ColorCycle(_)
            | Spec::Chase(_)
            | Spec::Comet(_)
            | Spec::Rainbow(_)
            | Spec::RainbowChase(_)
            | Spec::RainbowComet(_)
            | Spec::Pulse(_)
            | Spec::Sparkle(_)
            | Spec::RainbowSparkle(_)
            | Spec::LarsonScanner(_)
            | Spec::Fade(_) => {
                let (name, leds) = effect_parts(spec);
                let p = join(path, name);
                let leds = self.leds(leds, &join(&p, "leds"))?;
                match P::effect(spec, leds, &p) {
                    Some(program) => program?,
                    None => {
                        return Err(SpecError::build(
                            &p,
                            format!(
                                "{name} is a colour effect, and this output has plain on/off \
                                 LEDs; use blink, walk or cycle, or build for a colour output \
                                 (RGB8, Dot)"
                            ),
                        ));
                    }
                }
            }
        })
    }

    fn keyframes<P: SpecPixel>(
        &mut self,
        spec: &KeyframesSpec,
        path: &str,
    ) -> Result<BoxAnimation<P>, SpecError> {
        let mut frames = Vec::with_capacity(spec.frames.len());
        for (k, frame) in spec.frames.iter().enumerate() {
            let pixels = frame
                .pixels
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    P::from_color(c).map_err(|m| {
                        SpecError::build(&format!("{path}.frames[{k}].pixels[{i}]"), m)
                    })
                })
                .collect::<Result<Vec<P>, SpecError>>()?;
            frames.push(Keyframe::new(frame.duration, pixels));
        }
        let mut program = keyframes(frames);
        if let Some(leds) = &spec.leds {
            program = program.leds(self.leds(leds, &join(path, "leds"))?);
        }
        program = match spec.plays {
            None => program,
            Some(Plays::Times(n)) => program.plays(n),
            Some(Plays::Forever) => program.looping(),
        };
        if let Some(pause) = spec.pause {
            program = program.pause(pause);
        }
        Ok(program.boxed())
    }
}

/// An effect's key and its LEDs.
fn effect_parts(spec: &Spec) -> (&'static str, &LedsSpec) {
    match spec {
        Spec::Solid(e) => ("solid", &e.leds),
        Spec::ColorCycle(e) => ("color_cycle", &e.leds),
        Spec::Chase(e) => ("chase", &e.leds),
        Spec::Comet(e) => ("comet", &e.leds),
        Spec::Rainbow(e) => ("rainbow", &e.leds),
        Spec::RainbowChase(e) => ("rainbow_chase", &e.leds),
        Spec::RainbowComet(e) => ("rainbow_comet", &e.leds),
        Spec::Pulse(e) => ("pulse", &e.leds),
        Spec::Sparkle(e) => ("sparkle", &e.leds),
        Spec::RainbowSparkle(e) => ("rainbow_sparkle", &e.leds),
        Spec::LarsonScanner(e) => ("larson_scanner", &e.leds),
        Spec::Fade(e) => ("fade", &e.leds),
        _ => unreachable!("only effects have effect parts"),
    }
}

/// Builds the colour effect `spec` (one of [`Spec::Solid`] to [`Spec::Fade`]) on `leds`,
/// already resolved, for a colour pixel; `path` names the effect in errors
/// (`sequence[1].chase`). [`Spec::build`] calls it through [`SpecPixel::effect`].
///
/// A key left out takes the effect's builder default.
///
/// # Errors
///
/// [`SpecError::Build`] for a colour the pixel cannot show, a chase's `size` or
/// `spacing` or a sparkle's `num_sparkles` larger than its LEDs (a bound on the work
/// per step that a file cannot lift), and for a `spec` that is not an effect. What the
/// effect's own validation refuses comes later, from [`Spec::build`].
pub fn build_effect<P: SpecPixel + crate::Color>(
    spec: &Spec,
    leds: Leds,
    path: &str,
) -> Result<BoxAnimation<P>, SpecError> {
    let color =
        |c: Color, key: &str| P::from_color(c).map_err(|m| SpecError::build(&join(path, key), m));
    let n = leds.len();
    // No LEDs at all is validation's to name.
    let at_most = |key: &str, value: Option<usize>, least: usize| match value {
        Some(v) if n > 0 && v > n => Err(SpecError::build(
            &join(path, key),
            format!("{v} is more than the effect's {n} LEDs; use {least} to {n}"),
        )),
        _ => Ok(()),
    };
    Ok(match spec {
        Spec::Solid(e) => solid(leds, color(e.color, "color")?).boxed(),
        Spec::ColorCycle(e) => {
            let colors = e
                .colors
                .iter()
                .enumerate()
                .map(|(i, &c)| color(c, &format!("colors[{i}]")))
                .collect::<Result<Vec<P>, SpecError>>()?;
            let mut effect = color_cycle(leds, e.speed, colors);
            if let Some(i) = e.start_color {
                effect = effect.start_color(i);
            }
            effect.boxed()
        }
        Spec::Chase(e) => {
            at_most("size", e.size, 1)?;
            at_most("spacing", e.spacing, 0)?;
            let mut effect = chase(leds, e.speed, color(e.color, "color")?).reverse(e.reverse);
            if let Some(size) = e.size {
                effect = effect.size(size);
            }
            if let Some(spacing) = e.spacing {
                effect = effect.spacing(spacing);
            }
            effect.boxed()
        }
        Spec::Comet(e) => {
            let mut effect = comet(leds, e.speed, color(e.color, "color")?)
                .bounce(e.bounce)
                .ring(e.ring)
                .reverse(e.reverse);
            if let Some(tail) = e.tail_length {
                effect = effect.tail_length(tail);
            }
            if let Some(background) = e.background {
                effect = effect.background(color(background, "background")?);
            }
            effect.boxed()
        }
        Spec::Rainbow(e) => {
            let mut effect = rainbow::<P>(leds, e.speed);
            if let Some(period) = e.period {
                effect = effect.period(period);
            }
            if let Some(step) = e.step {
                effect = effect.step(step);
            }
            effect.boxed()
        }
        Spec::RainbowChase(e) => {
            at_most("size", e.size, 1)?;
            at_most("spacing", e.spacing, 0)?;
            let mut effect = rainbow_chase::<P>(leds, e.speed).reverse(e.reverse);
            if let Some(size) = e.size {
                effect = effect.size(size);
            }
            if let Some(spacing) = e.spacing {
                effect = effect.spacing(spacing);
            }
            if let Some(step) = e.step {
                effect = effect.step(step);
            }
            effect.boxed()
        }
        Spec::RainbowComet(e) => {
            let mut effect =
                rainbow_comet::<P>(leds, e.speed).bounce(e.bounce).ring(e.ring).reverse(e.reverse);
            if let Some(tail) = e.tail_length {
                effect = effect.tail_length(tail);
            }
            if let Some(offset) = e.colorwheel_offset {
                effect = effect.colorwheel_offset(offset);
            }
            if let Some(step) = e.step {
                effect = effect.step(step);
            }
            effect.boxed()
        }
        Spec::Pulse(e) => {
            let mut effect = pulse(leds, e.speed, color(e.color, "color")?);
            if let Some(period) = e.period {
                effect = effect.period(period);
            }
            if let Some(breath) = e.breath {
                effect = effect.breath(breath);
            }
            if let Some(min) = e.min_intensity {
                effect = effect.min_intensity(min);
            }
            if let Some(max) = e.max_intensity {
                effect = effect.max_intensity(max);
            }
            effect.boxed()
        }
        Spec::Sparkle(e) => {
            at_most("num_sparkles", e.num_sparkles, 1)?;
            let mut effect = sparkle(leds, e.speed, color(e.color, "color")?);
            if let Some(count) = e.num_sparkles {
                effect = effect.num_sparkles(count);
            }
            if let Some(seed) = e.seed {
                effect = effect.seed(seed);
            }
            effect.boxed()
        }
        Spec::RainbowSparkle(e) => {
            at_most("num_sparkles", e.num_sparkles, 1)?;
            let mut effect = rainbow_sparkle::<P>(leds, e.speed);
            if let Some(period) = e.period {
                effect = effect.period(period);
            }
            if let Some(step) = e.step {
                effect = effect.step(step);
            }
            if let Some(count) = e.num_sparkles {
                effect = effect.num_sparkles(count);
            }
            if let Some(brightness) = e.background_brightness {
                effect = effect.background_brightness(brightness);
            }
            if let Some(seed) = e.seed {
                effect = effect.seed(seed);
            }
            effect.boxed()
        }
        Spec::LarsonScanner(e) => {
            let mut effect = larson_scanner(leds, e.speed, color(e.color, "color")?);
            if let Some(trail) = e.trail {
                effect = effect.trail(trail);
            }
            effect.boxed()
        }
        Spec::Fade(e) => {
            let (from, to) = (color(e.from, "from")?, color(e.to, "to")?);
            let mut effect = fade(leds, from, to, e.duration);
            if let Some(step) = e.step {
                effect = effect.step(step);
            }
            effect.boxed()
        }
        _ => return Err(SpecError::build(path, "not an effect; build it with Spec::build")),
    })
}
