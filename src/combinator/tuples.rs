//! Calls a macro once per tuple arity (1 to 12) with `(Type index binding)` triples,
//! so each combinator writes its tuple impl once.

macro_rules! for_tuples {
    ($m:ident) => {
        $m!((A0 0 a0));
        $m!((A0 0 a0) (A1 1 a1));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8) (A9 9 a9));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8) (A9 9 a9) (A10 10 a10));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8) (A9 9 a9) (A10 10 a10) (A11 11 a11));
    };
}
