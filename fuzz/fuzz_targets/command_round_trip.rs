#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynumbercard::fuzzing::command_round_trip(data));
