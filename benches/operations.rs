//! Speed of the library against the virtual card: the exchange's overhead per APDU,
//! certificate parsing, each JPKI operation and each eligibility flow from a fresh session.
//! Before measuring it prints the APDU budget of each kind of card and reader: APDUs, bytes on
//! the wire and the modeled wall time on a contact reader and over NFC at 424 kbit/s
//! (`mynumbercard::latency`). The timed runs are on the default virtual card (extended length
//! and short file identifiers, behind a reader that carries extended APDUs).
//!
//! Throughput is reported in APDUs ("elem/s"), so host time per APDU is its inverse. The
//! virtual card's RSA-2048 signing dominates the signing operations; the `host_only`
//! group answers COMPUTE DIGITAL SIGNATURE with a canned signature to show the host's part.

mod budget;

use std::hint::black_box;
use std::time::{Duration, Instant};

use budget::{all_ops, measure, measure_on, row, Op, Setup, CARD_INFO, FLOWS, HEADER, JPKI};
use criterion::{criterion_group, Criterion, Throughput};
use der::Decode;
use mynumbercard::transport::{Transport, TransportError};
use mynumbercard::{Card, CertificateKind, JpkiCertificate, PinKind, VirtualCard};

/// The empty VERIFY: tries left, no cryptography on the card.
const EMPTY_VERIFY: [u8; 4] = [0x00, 0x20, 0x00, 0x80];

/// Runs `op` `iters` times, timing it in chunks with `reset` (untimed) between chunks, so the
/// virtual card's APDU log does not grow without bound.
fn chunked<S>(
    iters: u64,
    state: &mut S,
    reset: impl Fn(&mut S),
    mut op: impl FnMut(&mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(1024);
        reset(state);
        let start = Instant::now();
        for _ in 0..n {
            op(state);
        }
        total += start.elapsed();
        left -= n;
    }
    total
}

/// Powers the card off and on (nothing selected, nothing verified) and empties its log.
fn fresh(card: &mut VirtualCard) {
    card.power_off();
    card.power_on();
    card.clear_log();
}

/// One APDU through the whole stack (operation, transaction, exchange, virtual card) against
/// the same APDU handed to the virtual card directly: the difference is the library's.
fn exchange(c: &mut Criterion) {
    let mut group = c.benchmark_group("exchange");
    group.throughput(Throughput::Elements(1));

    let mut bare = VirtualCard::new();
    group.bench_function("virtual_card_handle/empty_verify", |b| {
        b.iter_custom(|iters| {
            chunked(
                iters,
                &mut bare,
                |vc| {
                    fresh(vc);
                    vc.handle(&budget_select_jpki());
                    vc.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18]);
                },
                |vc| {
                    black_box(vc.handle(black_box(&EMPTY_VERIFY)));
                },
            )
        })
    });

    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    group.bench_function("card/pin_status_selected", |b| {
        b.iter_custom(|iters| {
            chunked(
                iters,
                &mut card,
                |card| {
                    card.transport_mut().clear_log();
                    card.jpki()
                        .pin_status(PinKind::Auth)
                        .expect("the virtual card answers");
                },
                |card| {
                    black_box(card.jpki().pin_status(black_box(PinKind::Auth))).ok();
                },
            )
        })
    });
    group.finish();
}

fn budget_select_jpki() -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
    apdu.extend_from_slice(&mynumbercard::jpki::AID);
    apdu
}

fn certificates(c: &mut Criterion) {
    let vc = VirtualCard::new();
    let mut group = c.benchmark_group("certificate_parse");
    for (name, kind) in [
        ("auth", CertificateKind::Auth),
        ("sign", CertificateKind::Sign),
    ] {
        let der = vc.certificate_der(kind).to_vec();
        group.throughput(Throughput::Bytes(der.len() as u64));
        group.bench_function(format!("x509_cert/{name}"), |b| {
            b.iter(|| x509_cert::Certificate::from_der(black_box(&der)))
        });
        group.bench_function(format!("jpki_certificate/{name}"), |b| {
            b.iter(|| JpkiCertificate::from_der(black_box(&der)))
        });
    }
    group.finish();
}

/// Each operation from a fresh session (the card powered off and on, untimed, before each).
fn operations(c: &mut Criterion) {
    for (name, ops) in [
        ("jpki", &JPKI[..]),
        ("eligibility", &FLOWS[..]),
        ("card_info", &CARD_INFO[..]),
    ] {
        let mut group = c.benchmark_group(name);
        for &op in ops {
            // The virtual card's RSA takes milliseconds: fewer samples.
            group.sample_size(if op.signs() { 10 } else { 100 });
            group.throughput(Throughput::Elements(measure(op).stats.commands));
            let mut vc = VirtualCard::new();
            group.bench_function(op.name(), |b| {
                b.iter_custom(|iters| time_fresh(iters, &mut vc, op));
            });
        }
        group.finish();
    }

    // The signing operations with the card's RSA left out: the host's share (for the
    // eligibility check, its own RSA verification of the signature included).
    let mut group = c.benchmark_group("host_only");
    for op in all_ops().filter(|op| op.signs()) {
        group.throughput(Throughput::Elements(measure(op).stats.commands));
        let mut vc = VirtualCard::new();
        let mut cache = None;
        group.bench_function(op.name(), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    fresh(&mut vc);
                    let mut card = Card::new(CannedSignature {
                        card: &mut vc,
                        cache: &mut cache,
                    });
                    let start = Instant::now();
                    op.run(&mut card).expect("the operation succeeds");
                    total += start.elapsed();
                }
                total
            });
        });
    }
    group.finish();
}

fn time_fresh(iters: u64, vc: &mut VirtualCard, op: Op) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        fresh(vc);
        let mut card = Card::new(&mut *vc);
        let start = Instant::now();
        op.run(&mut card).expect("the operation succeeds");
        total += start.elapsed();
    }
    total
}

/// The virtual card, except that COMPUTE DIGITAL SIGNATURE is answered from a cache: the
/// card's own (valid, deterministic) signature the first time, then the cached one at once,
/// without RSA.
struct CannedSignature<'a> {
    card: &'a mut VirtualCard,
    cache: &'a mut Option<(Vec<u8>, Vec<u8>)>,
}

impl Transport for CannedSignature<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if command.get(1) != Some(&0x2A) {
            return Ok(self.card.handle(command));
        }
        match self.cache {
            Some((cached, reply)) if cached == command => Ok(reply.clone()),
            _ => {
                let reply = self.card.handle(command);
                *self.cache = Some((command.to_vec(), reply.clone()));
                Ok(reply)
            }
        }
    }
}

/// The virtual card's RSA-2048 signature alone (the card-side cost the latency model
/// replaces with `signature_time`).
fn virtual_card_rsa(c: &mut Criterion) {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    Op::VerifyPin(PinKind::Auth)
        .run(&mut card)
        .expect("the auth PIN verifies");
    card.transport_mut()
        .handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17]);
    let mut sign = vec![0x80, 0x2A, 0x00, 0x80, 0x33];
    sign.extend(
        mynumbercard::HashAlgorithm::Sha256
            .digest_info(&budget::DIGEST)
            .expect("a SHA-256 digest"),
    );
    sign.push(0x00);
    let mut group = c.benchmark_group("virtual_card");
    group.sample_size(10);
    group.bench_function("rsa2048_sign", |b| {
        b.iter(|| {
            let vc = card.transport_mut();
            let reply = vc.handle(black_box(&sign));
            vc.clear_log();
            reply
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    exchange,
    certificates,
    operations,
    virtual_card_rsa
);

fn main() {
    println!(
        "APDU budget (virtual card, one run each; modeled wall time per mynumbercard::latency):"
    );
    for setup in Setup::ALL {
        println!("\n{}\n\n{HEADER}", setup.name());
        for op in all_ops() {
            println!("{}", row(op, setup, &measure_on(op, setup)));
        }
    }
    println!();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
