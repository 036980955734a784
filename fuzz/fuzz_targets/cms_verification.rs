#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynumbercard::fuzzing::cms_verification(data));
