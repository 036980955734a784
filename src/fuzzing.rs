//! Bodies of the fuzz targets, shared by `fuzz/` and the seed replay in `cargo test`.
//! Each must never panic on any input, except where it asserts an invariant.
