//! The library's allocator wipes every block it frees (feature `zeroize-on-free`, on by
//! default).
//!
//! Secrets cross the FFI in buffers the library does not own the lifetime of: the VERIFY
//! command handed to the foreign transport is a uniffi `RustBuffer` that the foreign side
//! frees after copying it, and the same goes for responses holding personal data. Wiping
//! on free covers those copies and any other the library makes, at the cost of one pass over
//! each freed block (a few hundred bytes per APDU). Memory the foreign runtime copies into
//! its own heap (a Kotlin `ByteArray`, a Python `bytes`) is out of its reach: the app wipes
//! the arrays it owns.
//!
//! The allocator is global to the program that links this library: it is meant for the
//! cdylib and staticlib that apps load, not as a dependency of other Rust crates.

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, wiping blocks before it frees them.
pub struct ZeroizingAllocator;

/// Wipes `len` bytes at `ptr` with volatile writes the compiler cannot drop.
///
/// # Safety
///
/// `ptr` must be valid for writes of `len` bytes.
unsafe fn wipe(ptr: *mut u8, len: usize) {
    for i in 0..len {
        // SAFETY: within the block, per the caller.
        unsafe { std::ptr::write_volatile(ptr.add(i), 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

// SAFETY: every method forwards to `System` with the same layout; `dealloc` only writes
// inside the block it is about to free, and `realloc` is the trait's default (allocate,
// copy, `dealloc` the old block, which wipes it).
unsafe impl GlobalAlloc for ZeroizingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes, per GlobalAlloc's contract.
        unsafe {
            wipe(ptr, layout.size());
            System.dealloc(ptr, layout);
        }
    }
}

#[global_allocator]
static ALLOCATOR: ZeroizingAllocator = ZeroizingAllocator;
