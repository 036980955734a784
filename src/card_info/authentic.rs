//! The card-info application's data made authentic: its card-verifiable certificate (EF 0004)
//! checked against the J-LIS CA keys, and the integrity record's signature (EF 0003 `DF33`)
//! with the key it certifies, so that the digests, and through them the my number and the
//! basic four attributes, are as J-LIS signed them.

use super::{
    check_attributes_and_parse, check_my_number_file, ef, parse_my_number, read_attributes_file,
    read_integrity_in, read_my_number_file, CardInfo, CardInfoData, APPLICATION,
};
use crate::card::{Card, OnReset};
use crate::card_verifiable::{CertifiedKey, CvCertificate, CvRole, CvTrust, NotProven};
use crate::error::{Error, Result};
use crate::files::{self, Content};
use crate::transport::Transport;

/// The cap on EF 0004 (the real certificate is 565 bytes).
const MAX_CERTIFICATE_LEN: usize = 2 * 1024;

/// The card-info data with the verdict on its authenticity.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthenticCardInfo {
    /// The my number and the basic four attributes, checked against the integrity record.
    pub data: CardInfoData,
    /// The key that signed the integrity record, certified by a CA key the verifier counts,
    /// or why that is not proven. Only `Ok` makes `data` authentic; a verdict of
    /// [`NotProven::UnknownCaKey`] means it cannot be verified here.
    pub authenticity: std::result::Result<CertifiedKey, NotProven>,
}

impl AuthenticCardInfo {
    /// Whether the data is proven authentic.
    pub fn is_authentic(&self) -> bool {
        self.authenticity.is_ok()
    }
}

impl<T: Transport> CardInfo<'_, T> {
    /// Reads the application's card-verifiable certificate (EF 0004; free to read): SELECT AP
    /// and SELECT EF (unless selected), then ceil(L / 256) READ BINARY. Checked by
    /// [`CvTrust::certify`] as a [`CvRole::CardInfo`] certificate.
    pub fn read_certificate(&mut self) -> Result<CvCertificate> {
        self.card
            .operation(OnReset::Repeat, |card| read_certificate_in(card))
    }

    /// Reads the my number and the attributes (after the PIN), checks both against the
    /// integrity record, then the integrity record's signature with the key the application's
    /// certificate certifies, the certificate against `trust`: the files of
    /// [`CardInfo::read_all`] and EF 0004, in one transaction.
    ///
    /// A digest that does not match is an error ([`Error::IntegrityMismatch`]), as in
    /// [`CardInfo::read_all`]; a certificate or signature that does not verify is a verdict
    /// ([`AuthenticCardInfo::authenticity`]).
    pub fn read_all_authenticated(&mut self, trust: &CvTrust) -> Result<AuthenticCardInfo> {
        self.card.operation(OnReset::Repeat, |card| {
            let my_number_file = read_my_number_file(card)?;
            let attributes_file = read_attributes_file(card)?;
            let integrity = read_integrity_in(card)?;
            check_my_number_file(&integrity, &my_number_file)?;
            let data = CardInfoData {
                my_number: parse_my_number(&my_number_file.content)?,
                attributes: check_attributes_and_parse(&integrity, &attributes_file.content)?,
            };
            let certificate = read_certificate_in(card)?;
            let authenticity = trust
                .certify(&certificate, CvRole::CardInfo)
                .and_then(|key| integrity.verify(&key).map(|()| key));
            Ok(AuthenticCardInfo { data, authenticity })
        })
    }
}

/// Reads and parses EF 0004 inside an operation.
fn read_certificate_in<T: Transport>(card: &mut Card<T>) -> Result<CvCertificate> {
    let file = card.read_sized(
        APPLICATION,
        ef::CERTIFICATE,
        Content::Public,
        files::tlv_length,
        MAX_CERTIFICATE_LEN,
    )?;
    CvCertificate::parse(&file.content).map_err(Error::MalformedResponse)
}
