//! uniffi's bindings generator, built from this workspace at the pinned uniffi version, so
//! that the generated Kotlin, Swift and Python always match the library's scaffolding.

fn main() {
    uniffi::uniffi_bindgen_main()
}
