//! The card-info, card-face and eligibility operations of [`super::ops`].

use super::{auth_pin, submits, Op, Secret, Value};
use mynumbercard::access_code::{check_digit, AccessCodeB, CardInfoPin, MyNumber};
use mynumbercard::card_face::{CardFaceKey, CardFaceRecord};
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::eligibility::Confirmation;
use mynumbercard::{LastTry, VirtualCard};
use sha2::{Digest, Sha256};

pub fn card_info_pin(right: bool) -> CardInfoPin {
    CardInfoPin::new(if right {
        VirtualCard::DEFAULT_CARD_INFO_PIN
    } else {
        "9999"
    })
    .expect("valid")
}

/// Access code A: the default holder's my number, or another valid one.
pub fn code_a(right: bool) -> MyNumber {
    let number = if right {
        "123456789018".to_owned()
    } else {
        let first = "98765432109";
        let digit = check_digit(first.as_bytes()).expect("digits");
        format!("{first}{}", char::from(digit))
    };
    MyNumber::new(&number).expect("valid")
}

/// Access code B: the default holder's (born 1990-01-01, card expiring 2035, code 1234).
pub fn code_b(right: bool) -> AccessCodeB {
    AccessCodeB::new(if right {
        "02010120351234"
    } else {
        "02010120359999"
    })
    .expect("valid")
}

/// The card face, every byte of it in the comparison (its `Debug` shows image sizes only).
fn face(record: &CardFaceRecord) -> Value {
    let mut hash = Sha256::new();
    for part in [
        &record.name_image,
        &record.address_image,
        &record.face_photo,
        &record.security_code_image,
        &record.public_key,
        &record.signature,
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    Value::Record(format!("{record:?} {}", hex::encode(hash.finalize())))
}

fn record(debug: impl std::fmt::Debug) -> Value {
    Value::Record(format!("{debug:?}"))
}

/// The card-info, card-face and eligibility operations.
pub const OPS: &[Op] = &[
    Op {
        name: "card-info PIN status",
        submits: None,
        signs: false,
        run: |c| {
            c.card_info()
                .pin_status(CardInfoKey::Pin)
                .map(Value::Status)
        },
    },
    Op {
        name: "card-info verify PIN",
        submits: submits(Secret::CardInfoPin, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.card_info()
                .verify_pin(&card_info_pin(true))
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "card-info verify wrong PIN, last try allowed",
        submits: submits(Secret::CardInfoPin, false, LastTry::Allow),
        signs: false,
        run: |c| {
            c.card_info()
                .verify_pin_with(&card_info_pin(false), LastTry::Allow)
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "card-info verify access code A",
        submits: submits(Secret::CardInfoA, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.card_info()
                .verify_access_code_a(&code_a(true))
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "card-info verify wrong access code B",
        submits: submits(Secret::CardInfoB, false, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.card_info()
                .verify_access_code_b(&code_b(false))
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "card-info change PIN (to itself)",
        submits: submits(Secret::CardInfoPin, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.card_info()
                .change_pin(&card_info_pin(true), &card_info_pin(true), LastTry::Refuse)
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "card-info my number without PIN",
        submits: None,
        signs: false,
        run: |c| c.card_info().read_my_number().map(|n| record(n.reveal())),
    },
    Op {
        name: "card-info my number after PIN",
        submits: submits(Secret::CardInfoPin, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.card_info().verify_pin(&card_info_pin(true))?;
                c.card_info().read_my_number().map(|n| record(n.reveal()))
            })
        },
    },
    Op {
        name: "card-info attributes after access code B",
        submits: submits(Secret::CardInfoB, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.card_info().verify_access_code_b(&code_b(true))?;
                c.card_info().read_attributes().map(record)
            })
        },
    },
    Op {
        name: "card-info read all after PIN",
        submits: submits(Secret::CardInfoPin, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.card_info().verify_pin(&card_info_pin(true))?;
                let data = c.card_info().read_all()?;
                Ok(record((
                    data.my_number.reveal().to_owned(),
                    data.attributes,
                )))
            })
        },
    },
    Op {
        name: "card-info integrity after access code A",
        submits: submits(Secret::CardInfoA, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.card_info().verify_access_code_a(&code_a(true))?;
                c.card_info().read_integrity().map(record)
            })
        },
    },
    Op {
        name: "card-face access code A status",
        submits: None,
        signs: false,
        run: |c| {
            c.card_face()
                .code_status(CardFaceKey::AccessCodeA)
                .map(Value::Status)
        },
    },
    Op {
        name: "card-face verify wrong access code A",
        submits: submits(Secret::CardFaceA, false, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.card_face()
                .verify_access_code_a(&code_a(false))
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "card-face record after access code B",
        submits: submits(Secret::CardFaceB, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.card_face().verify_access_code_b(&code_b(true))?;
                c.card_face().read_record().map(|r| face(&r))
            })
        },
    },
    Op {
        name: "card-face my-number image after access code A",
        submits: submits(Secret::CardFaceA, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.card_face().verify_access_code_a(&code_a(true))?;
                c.card_face().read_my_number_image().map(Value::Image)
            })
        },
    },
    Op {
        name: "eligibility check, PIN mode",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            let pin = auth_pin();
            let evidence = c.eligibility_check(Confirmation::Pin {
                pin: &pin,
                challenge: b"challenge",
                last_try: LastTry::Refuse,
            })?;
            let signature = evidence.signature().unwrap_or_default().to_vec();
            Ok(Value::CheckedSignature(signature))
        },
    },
    Op {
        name: "eligibility check, visual mode with access code B",
        submits: submits(Secret::CardFaceB, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            let code = code_b(true);
            let evidence = c.eligibility_check(Confirmation::Visual {
                access_code_b: Some(&code),
            })?;
            let face = evidence.card_face().map(face);
            Ok(Value::Many(vec![
                Value::Certificate(evidence.certificate_der().to_vec()),
                face.unwrap_or(Value::Unit),
            ]))
        },
    },
    Op {
        name: "eligibility check, visual mode without code",
        submits: None,
        signs: false,
        run: |c| {
            let evidence = c.eligibility_check(Confirmation::Visual {
                access_code_b: None,
            })?;
            Ok(Value::Certificate(evidence.certificate_der().to_vec()))
        },
    },
];
