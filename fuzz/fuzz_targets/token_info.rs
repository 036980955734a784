#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynumbercard::fuzzing::token_info(data));
