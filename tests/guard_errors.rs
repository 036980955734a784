//! What the guard reports about the try, for each answer a card may give to the VERIFY, and
//! the SELECT repeated once after `6F00`. A wrapper changes the virtual card's answers.

mod flow_support;

use flow_support::{status_sfi, SELECT_JPKI};
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::transport::{Capabilities, Transport, TransportError};
use mynumbercard::{AuthPin, Card, Error, LastTry, PinKind, PinStatus, Secret, VirtualCard};

/// The virtual card, with the answer to the `n`-th command (0-based) replaced.
struct Override {
    card: VirtualCard,
    sent: usize,
    at: usize,
    answer: &'static [u8],
    /// Whether the card still processes the command whose answer is replaced.
    forward: bool,
}

impl Override {
    fn new(at: usize, answer: &'static [u8], forward: bool) -> Self {
        Self {
            card: VirtualCard::default(),
            sent: 0,
            at,
            answer,
            forward,
        }
    }

    fn log(&self) -> Vec<String> {
        self.card.log().iter().map(hex::encode_upper).collect()
    }
}

impl Transport for Override {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let n = self.sent;
        self.sent += 1;
        if n == self.at {
            if self.forward {
                self.card.transmit(command)?;
            }
            return Ok(self.answer.to_vec());
        }
        self.card.transmit(command)
    }

    fn capabilities(&self) -> Capabilities {
        self.card.capabilities()
    }
}

fn wrong() -> AuthPin {
    AuthPin::new("0000").unwrap()
}

#[test]
fn a_verify_answered_6300_is_a_wrong_secret_with_no_count() {
    // SELECT AP, status (by short file identifier), VERIFY (answered 6300).
    let mut card = Card::new(Override::new(2, &[0x63, 0x00], true));
    let err = card.jpki().verify_pin(&wrong()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::WrongSecretTriesUnknown {
                secret: Secret::AuthPin
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "wrong user-authentication PIN; the card did not say how many tries are left"
    );
    assert_eq!(card.transport().card.tries_left(PinKind::Auth), 2);
}

#[test]
fn a_verify_that_blocks_says_this_attempt_blocked_it() {
    for answer in [[0x63, 0xC0], [0x69, 0x83], [0x69, 0x84]] {
        let answer: &'static [u8] = Box::leak(Box::new(answer));
        let mut card = Card::new(Override::new(2, answer, true));
        let err = card
            .jpki()
            .verify_pin_with(&wrong(), LastTry::Allow)
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::BlockedByThisAttempt {
                    secret: Secret::AuthPin
                }
            ),
            "{answer:02X?}: {err:?}"
        );
    }
}

#[test]
fn blocked_before_is_not_blocked_by_this_attempt() {
    let mut vc = VirtualCard::builder().auth_tries_left(0).build();
    let mut card = Card::new(&mut vc);
    let err = card
        .jpki()
        .verify_pin_with(&wrong(), LastTry::Allow)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Blocked {
                secret: Secret::AuthPin
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the user-authentication PIN is blocked; it was not sent"
    );
}

#[test]
fn the_messages_count_tries_and_say_how_to_allow_the_last() {
    assert_eq!(
        Error::WrongPin { tries_left: 1 }.to_string(),
        "wrong PIN: 1 try left"
    );
    assert_eq!(
        Error::WrongPin { tries_left: 2 }.to_string(),
        "wrong PIN: 2 tries left"
    );
    let refused = Error::LastTryRefused {
        secret: Secret::SignPin,
    }
    .to_string();
    assert!(refused.contains("LastTry::Allow"), "{refused}");
    assert!(
        refused.starts_with("only 1 try of the signature PIN"),
        "{refused}"
    );
}

#[test]
fn a_wrong_access_code_is_not_called_a_wrong_pin() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let first = "98765432109";
    let digit = mynumbercard::access_code::check_digit(first.as_bytes()).expect("11 digits");
    let wrong =
        mynumbercard::access_code::MyNumber::new(&format!("{first}{}", char::from(digit))).unwrap();
    let err = card.card_info().verify_access_code_a(&wrong).unwrap_err();
    assert!(
        matches!(
            err,
            Error::WrongAccessCode {
                secret: Secret::AccessCodeA,
                tries_left: 2
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("PIN"), "{err}");
    assert_eq!(
        card.card_info()
            .pin_status(CardInfoKey::AccessCodeA)
            .unwrap(),
        PinStatus::Remaining(2)
    );
}

#[test]
fn a_select_answered_6f00_is_sent_once_more() {
    // The first command after power-up answered 6F00, without reaching the card.
    let mut card = Card::new(Override::new(0, &[0x6F, 0x00], false));
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).unwrap(),
        PinStatus::Remaining(3)
    );
    assert_eq!(
        card.transport().log(),
        [SELECT_JPKI.to_owned(), status_sfi(0x0018)]
    );
    assert_eq!(
        card.stats().commands,
        3,
        "the SELECT twice, then the status"
    );
}

#[test]
fn a_second_6f00_is_an_error_and_a_verify_is_never_repeated() {
    struct Always6F00(usize);
    impl Transport for Always6F00 {
        fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.0 += 1;
            Ok(vec![0x6F, 0x00])
        }
    }
    let mut card = Card::new(Always6F00(0));
    let err = card.jpki().verify_pin(&wrong()).unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedStatus { status, .. } if status.to_u16() == 0x6F00),
        "{err:?}"
    );
    assert_eq!(
        card.transport().0,
        2,
        "the SELECT, once more, and nothing else"
    );

    // A VERIFY answered 6F00 is not sent again: SELECT AP, status, VERIFY.
    let mut card = Card::new(Override::new(2, &[0x6F, 0x00], false));
    let err = card.jpki().verify_pin(&wrong()).unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(card.stats().commands, 3);
    assert_eq!(
        card.transport().log(),
        [SELECT_JPKI.to_owned(), status_sfi(0x0018)],
        "the VERIFY never reached the card"
    );
}
