//! The common and resident-registry applications', the master file's and the JPKI token
//! files' reads of [`super::ops`]: none submits a secret.

use super::{Op, Value};

fn hex_record(bytes: &[u8]) -> Value {
    Value::Record(hex::encode_upper(bytes))
}

/// The reads beyond the JPKI, card-info and card-face operations.
pub const OPS: &[Op] = &[
    Op {
        name: "common record",
        submits: None,
        signs: false,
        run: |c| c.common().read_card_record().map(|r| hex_record(&r.raw)),
    },
    Op {
        name: "common PIN status",
        submits: None,
        signs: false,
        run: |c| c.common().pin_status().map(Value::Status),
    },
    Op {
        name: "resident-registry PIN status",
        submits: None,
        signs: false,
        run: |c| c.juki().pin_status().map(Value::Status),
    },
    Op {
        name: "master file objects",
        submits: None,
        signs: false,
        run: |c| {
            c.master_file().read_card_data().map(|data| {
                let part = |object: &mynumbercard::master_file::DataObject| {
                    object.value().map(hex::encode_upper)
                };
                Value::Record(format!(
                    "{:?} {:?} {:?}",
                    part(&data.card_identification_number),
                    part(&data.municipality_code),
                    part(&data.expiry)
                ))
            })
        },
    },
    Op {
        name: "token info",
        submits: None,
        signs: false,
        run: |c| c.jpki().token_info().map(|info| hex_record(&info.raw)),
    },
    Op {
        name: "certificate availability",
        submits: None,
        signs: false,
        run: |c| {
            c.jpki()
                .certificate_availability()
                .map(|a| hex_record(&a.raw()))
        },
    },
];
