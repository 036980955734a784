#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynumbercard::fuzzing::master_file_objects(data));
