//! Speed of the APDU codec and of one exchange round trip (no card: an in-memory transport).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use mynumbercard::apdu::{Command, LengthEncoding, Response};
use mynumbercard::commands;
use mynumbercard::exchange::Exchange;
use mynumbercard::transport::{Capabilities, Transport, TransportError};

const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

fn encode(c: &mut Criterion) {
    let select = commands::select_application(&JPKI_AID);
    let read = commands::read_binary(0x0100, 256).expect("offset in range");
    let verify = Command::new(0x00, 0x20, 0x00, 0x80)
        .with_data(*b"1234")
        .sensitive();
    let case4e = Command::new(0x80, 0x2A, 0x00, 0x80)
        .with_data(vec![0x5A; 512])
        .with_le(65_536)
        .with_encoding(LengthEncoding::Extended);
    let mut group = c.benchmark_group("encode");
    for (name, cmd) in [
        ("select", &select),
        ("read_binary", &read),
        ("verify", &verify),
        ("case_4e_512", &case4e),
    ] {
        group.bench_function(name, |b| b.iter(|| black_box(cmd).encode()));
    }
    group.finish();
}

fn parse(c: &mut Criterion) {
    let mut bytes = vec![0x5A; 256];
    bytes.extend_from_slice(&[0x90, 0x00]);
    c.bench_function("parse/response_258", |b| {
        b.iter(|| Response::parse(black_box(&bytes)))
    });
}

/// Answers every command with 256 bytes and `9000`.
struct Echo256;

impl Transport for Echo256 {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut out = vec![0xA5; 258];
        out[256] = 0x90;
        out[257] = 0x00;
        Ok(out)
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
}

fn exchange(c: &mut Criterion) {
    let mut exchange = Exchange::new(Echo256);
    let read = commands::read_binary(0, 256).expect("offset in range");
    c.bench_function("exchange/read_binary_256", |b| {
        b.iter(|| exchange.transmit(black_box(&read)))
    });
}

criterion_group!(benches, encode, parse, exchange);
criterion_main!(benches);
