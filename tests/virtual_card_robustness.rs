//! The virtual card's robustness: every APDU is logged, and no byte string makes it panic
//! (a bounded, seeded stand-in for the fuzz target).

use mynumbercard::virtual_card::VirtualCard;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

const JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

#[test]
fn log_records_every_apdu_in_order() {
    let mut card = VirtualCard::new();
    let apdus: [&[u8]; 4] = [
        &[0x00, 0xA4, 0x04, 0x0C, 0x01, 0xD3],
        &[],
        &[0xFF],
        &[0x00, 0x20, 0x00, 0x80],
    ];
    for apdu in apdus {
        card.handle(apdu);
    }
    card.power_off();
    card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
    assert_eq!(card.log().len(), 5);
    assert_eq!(card.log()[0], apdus[0]);
    assert_eq!(card.log()[1], apdus[1]);
    assert_eq!(card.log()[4], [0x00, 0xB0, 0x00, 0x00, 0x00]);
    card.clear_log();
    assert!(card.log().is_empty());
}

#[test]
fn random_apdus_never_panic() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x4A50_4B49);
    let mut card = VirtualCard::new();
    let pick = |rng: &mut ChaCha20Rng, from: &[u8]| from[rng.next_u32() as usize % from.len()];
    for round in 0..20_000u32 {
        let apdu = if round % 2 == 0 {
            // Raw garbage.
            let mut apdu = vec![0u8; rng.next_u32() as usize % 300];
            rng.fill_bytes(&mut apdu);
            apdu
        } else {
            // Well-formed short APDUs with plausible headers, to reach the deep paths.
            let mut apdu = vec![
                pick(&mut rng, &[0x00, 0x80, 0x0C, 0x01, 0xFF]),
                pick(&mut rng, &[0xA4, 0xB0, 0x20, 0x2A, 0x24, 0xC0]),
                pick(&mut rng, &[0x00, 0x02, 0x04, 0x09, 0x80, 0xFF]),
                pick(&mut rng, &[0x00, 0x0C, 0x80, 0x0A, 0xFF]),
            ];
            let data: Vec<u8> = match rng.next_u32() % 4 {
                0 => Vec::new(),
                1 => JPKI.to_vec(),
                2 => vec![
                    0x00,
                    pick(&mut rng, &[0x01, 0x06, 0x0A, 0x17, 0x18, 0x1A, 0x1B]),
                ],
                _ => (0..rng.next_u32() % 255)
                    .map(|_| rng.next_u32() as u8)
                    .collect(),
            };
            if !data.is_empty() {
                apdu.push(data.len() as u8);
                apdu.extend_from_slice(&data);
            }
            if rng.next_u32() % 2 == 0 {
                apdu.push(rng.next_u32() as u8);
            }
            apdu
        };
        let response = card.handle(&apdu);
        assert!((2..=258).contains(&response.len()), "{apdu:02X?}");
        if round % 997 == 0 {
            card.reset();
        }
    }
    assert_eq!(card.log().len(), 20_000);
}
