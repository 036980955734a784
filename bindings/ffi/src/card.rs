//! The card object: one session with one card over a foreign transport, each method one
//! task of an app, in one transaction of the core.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mynumbercard::access_code::{AccessCodeB, CardInfoPin, MyNumber};
use mynumbercard::card_face::CardFaceKey;
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::certificate::JpkiCertificate;
use mynumbercard::eligibility::Confirmation;
use mynumbercard::transport::Transport;
use mynumbercard::{AuthPin, Card, PinKind, SignPin};
use zeroize::Zeroizing;

use crate::error::CardError;
use crate::secret::Secret;
use crate::transport::{CardTransport, ForeignTransport};
use crate::types::{
    CalendarDate, CardFace, CardFaceSecret, CardInfo, CardInfoSecret, CardKind, CertificateInfo,
    ChangeablePin, Eligibility, KeyKind, LastTry, SecretKind, SecretStatus, SecretStatuses,
    SignInput,
};

/// The transport a card object runs over: the app's foreign transport, or (for the bindings'
/// own tests and benchmarks) the virtual card on the Rust side.
pub(crate) enum Link {
    Foreign(ForeignTransport),
    #[cfg(feature = "test-card")]
    Virtual(crate::test_card::SharedVirtualCard),
}

impl Transport for Link {
    fn transmit(
        &mut self,
        command: &[u8],
    ) -> Result<Vec<u8>, mynumbercard::transport::TransportError> {
        match self {
            Link::Foreign(t) => t.transmit(command),
            #[cfg(feature = "test-card")]
            Link::Virtual(t) => t.transmit(command),
        }
    }

    fn capabilities(&self) -> mynumbercard::transport::Capabilities {
        match self {
            Link::Foreign(t) => t.capabilities(),
            #[cfg(feature = "test-card")]
            Link::Virtual(t) => t.capabilities(),
        }
    }

    fn unpower_on_close(&mut self) {
        match self {
            Link::Foreign(t) => t.unpower_on_close(),
            #[cfg(feature = "test-card")]
            Link::Virtual(t) => t.unpower_on_close(),
        }
    }

    fn close(&mut self) -> Result<(), mynumbercard::transport::TransportError> {
        match self {
            Link::Foreign(t) => t.close(),
            #[cfg(feature = "test-card")]
            Link::Virtual(t) => t.close(),
        }
    }
}

/// A session with one My Number Card (`MyNumberCard` in every language).
///
/// Every method blocks until the card has answered (a signature takes about half a second
/// on a real card, a certificate read 100–200 ms over NFC): call it from a worker thread,
/// never from Android's main thread or an iOS main-actor context. The object may be shared
/// between threads; calls are serialized (one runs, the others wait), and each runs in one
/// transaction, so nothing comes between a VERIFY and the signature it unlocks.
///
/// PINs and access codes are byte arrays of their ASCII characters: the library copies them
/// into memory it wipes, and wipes the buffer they crossed in; the caller wipes its own array
/// after the call (`pin.fill(0)` in Kotlin, `resetBytes` in Swift, a `bytearray` in Python).
///
/// A session that verified a PIN ends by unpowering the card ([`MyNumberCard::end_session`],
/// or when the object is dropped).
#[derive(uniffi::Object)]
pub struct MyNumberCard {
    card: Mutex<Option<Card<Link>>>,
}

impl std::fmt::Debug for MyNumberCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MyNumberCard").finish_non_exhaustive()
    }
}

/// The secret's text, or the format error that names no character of it.
pub(crate) fn text(secret: &Secret) -> Result<&str, CardError> {
    secret.as_str().ok_or_else(|| CardError::InvalidFormat {
        reason: "not ASCII text".into(),
    })
}

impl MyNumberCard {
    pub(crate) fn over(link: Link) -> Arc<Self> {
        Arc::new(Self {
            card: Mutex::new(Some(Card::new(link))),
        })
    }

    /// The session, waiting for any call in progress. A call that panicked (a bug) leaves
    /// the card's selection unknown, so it is forgotten.
    fn lock(&self) -> MutexGuard<'_, Option<Card<Link>>> {
        self.card.lock().unwrap_or_else(|poisoned: PoisonError<_>| {
            let mut guard = poisoned.into_inner();
            if let Some(card) = guard.as_mut() {
                card.forget_selection();
            }
            guard
        })
    }

    /// Runs `op` on the open session.
    pub(crate) fn with<R>(
        &self,
        op: impl FnOnce(&mut Card<Link>) -> Result<R, CardError>,
    ) -> Result<R, CardError> {
        let mut guard = self.lock();
        let card = guard.as_mut().ok_or(CardError::Closed)?;
        op(card)
    }
}

#[uniffi::export]
impl MyNumberCard {
    /// A session over the app's transport. Asks the transport's capabilities once; sends
    /// nothing.
    #[uniffi::constructor]
    pub fn new(transport: Arc<dyn CardTransport>) -> Arc<Self> {
        Self::over(Link::Foreign(ForeignTransport::new(transport)))
    }

    /// What kind of token this is (plastic card, phone credential, not a My Number Card),
    /// from the JPKI token file: 3 APDUs, no PIN.
    pub fn identify(&self) -> Result<CardKind, CardError> {
        self.with(|card| Ok(card.jpki().identify()?.into()))
    }

    /// Reads a certificate, as DER and summarised. The signature certificate needs the
    /// signature PIN: give it as `sign_pin` (verified behind the guard, refusing the last
    /// try unless `last_try` allows it, in the same transaction); the others need none and
    /// ignore it.
    pub fn read_certificate(
        &self,
        kind: crate::types::CertificateKind,
        sign_pin: Option<Secret>,
        last_try: LastTry,
    ) -> Result<CertificateInfo, CardError> {
        let sign_pin = match (kind, sign_pin) {
            (crate::types::CertificateKind::Sign, Some(pin)) => Some(SignPin::new(text(&pin)?)?),
            (crate::types::CertificateKind::Sign, None) => {
                return Err(CardError::InvalidFormat {
                    reason: "the signature certificate needs the signature PIN".into(),
                })
            }
            _ => None,
        };
        self.with(|card| {
            let der = card.transaction(|card| {
                let mut jpki = card.jpki();
                if let Some(pin) = &sign_pin {
                    jpki.verify_pin_with(pin, last_try.to_core())?;
                }
                jpki.read_certificate_der(kind.to_core())
            })?;
            let certificate = JpkiCertificate::from_der(&der)?;
            Ok(CertificateInfo::from(&certificate))
        })
    }

    /// The status of one PIN or access code, without spending a try: 3 APDUs (fewer when
    /// its application is selected).
    pub fn secret_status(&self, kind: SecretKind) -> Result<SecretStatus, CardError> {
        self.with(|card| Ok(status_of(card, kind)?.into()))
    }

    /// The status of every PIN and access code, in one transaction, without spending a try.
    pub fn secret_statuses(&self) -> Result<SecretStatuses, CardError> {
        self.with(|card| {
            let all = card.transaction(|card| {
                let mut out = [SecretStatus::NotReported; 7];
                for (slot, kind) in out.iter_mut().zip(SecretKind::ALL) {
                    *slot = status_of(card, kind)?.into();
                }
                Ok(out)
            })?;
            let [auth_pin, sign_pin, card_info_pin, card_info_access_code_a, card_info_access_code_b, card_face_access_code_a, card_face_access_code_b] =
                all;
            Ok(SecretStatuses {
                auth_pin,
                sign_pin,
                card_info_pin,
                card_info_access_code_a,
                card_info_access_code_b,
                card_face_access_code_a,
                card_face_access_code_b,
            })
        })
    }

    /// Verifies the key's PIN and signs, in one transaction: the tries first (an empty
    /// VERIFY), the PIN sent once (refused when blocked, and on the last try unless
    /// `last_try` is `Allow`), then the signature (RSA PKCS#1 v1.5: an RSA key only). A
    /// message is hashed with SHA-256 here; a digest is signed as given. Returns the
    /// signature. For a key whose algorithm comes from its certificate (ECDSA P-384 too), use
    /// [`MyNumberCard::sign_message`].
    pub fn verify_and_sign(
        &self,
        key: KeyKind,
        pin: Secret,
        input: SignInput,
        last_try: LastTry,
    ) -> Result<Vec<u8>, CardError> {
        let (algorithm, digest) = match input {
            SignInput::Message { message } => (
                mynumbercard::HashAlgorithm::Sha256,
                mynumbercard::HashAlgorithm::Sha256.hash(&message),
            ),
            SignInput::Digest { algorithm, digest } => (algorithm.to_core(), digest),
        };
        // A digest of the wrong length is refused before the PIN is sent.
        let digest_info =
            algorithm
                .digest_info(&digest)
                .ok_or_else(|| CardError::InvalidFormat {
                    reason: format!(
                        "digest of {} bytes, expected {}",
                        digest.len(),
                        algorithm.output_len()
                    ),
                })?;
        let last_try = last_try.to_core();
        match key {
            KeyKind::Auth => {
                let pin = AuthPin::new(text(&pin)?)?;
                self.with(|card| {
                    Ok(card.transaction(|card| {
                        let mut jpki = card.jpki();
                        jpki.verify_pin_with(&pin, last_try)?;
                        jpki.sign_digest_info(mynumbercard::KeyKind::Auth, &digest_info)
                    })?)
                })
            }
            KeyKind::Sign => {
                let pin = SignPin::new(text(&pin)?)?;
                self.with(|card| {
                    Ok(card.transaction(|card| {
                        let mut jpki = card.jpki();
                        jpki.verify_pin_with(&pin, last_try)?;
                        jpki.sign_digest_info(mynumbercard::KeyKind::Sign, &digest_info)
                    })?)
                })
            }
        }
    }

    /// The eligibility check (資格確認限定型), PIN mode: the user-authentication certificate
    /// and the card's signature over `challenge` (SHA-256, checked against the certificate),
    /// the 4-digit PIN behind the guard. One transaction: ceil(certificate / 256) + 7 APDUs.
    pub fn eligibility_check_pin(
        &self,
        pin: Secret,
        challenge: Vec<u8>,
        last_try: LastTry,
    ) -> Result<Eligibility, CardError> {
        let pin = AuthPin::new(text(&pin)?)?;
        self.with(|card| {
            let evidence = card.eligibility_check(Confirmation::Pin {
                pin: &pin,
                challenge: &challenge,
                last_try: last_try.to_core(),
            })?;
            Ok(Eligibility {
                certificate: (&evidence.certificate).into(),
                signature: evidence.signature().map(<[u8]>::to_vec),
                key_algorithm: evidence
                    .key_algorithm()
                    .and_then(crate::document::KeyAlgorithm::from_core),
                card_face: None,
                genuineness: None,
            })
        })
    }

    /// The eligibility check, visual mode: the user-authentication certificate and, with
    /// access code B (14 digits; see [`access_code_b`](crate::access_code_b)), the card face
    /// for staff to compare with the person. No PIN; access code B's last try is never spent.
    pub fn eligibility_check_visual(
        &self,
        access_code_b: Option<Secret>,
    ) -> Result<Eligibility, CardError> {
        let code = access_code_b
            .map(|code| AccessCodeB::new(text(&code)?).map_err(CardError::from))
            .transpose()?;
        self.with(|card| {
            let evidence = card.eligibility_check(Confirmation::Visual {
                access_code_b: code.as_ref(),
            })?;
            Ok(Eligibility {
                certificate: (&evidence.certificate).into(),
                signature: None,
                key_algorithm: evidence
                    .key_algorithm()
                    .and_then(crate::document::KeyAlgorithm::from_core),
                card_face: evidence
                    .card_face()
                    .map(|face| CardFace::from_core(face, None)),
                genuineness: None,
            })
        })
    }

    /// Reads the card-info application (券面事項入力補助AP) after verifying `secret` behind
    /// the guard, in one transaction: the PIN opens the my number and the attributes, access
    /// code A (the my number) the my number, access code B the attributes. Each file is
    /// checked against the card's integrity record.
    pub fn read_card_info(
        &self,
        with: CardInfoSecret,
        secret: Secret,
        last_try: LastTry,
    ) -> Result<CardInfo, CardError> {
        let last_try = last_try.to_core();
        let secret = text(&secret)?;
        enum Key {
            Pin(CardInfoPin),
            A(MyNumber),
            B(AccessCodeB),
        }
        let key = match with {
            CardInfoSecret::Pin => Key::Pin(CardInfoPin::new(secret)?),
            CardInfoSecret::AccessCodeA => Key::A(MyNumber::new(secret)?),
            CardInfoSecret::AccessCodeB => Key::B(AccessCodeB::new(secret)?),
        };
        self.with(|card| {
            Ok(card.transaction(|card| {
                let mut info = card.card_info();
                Ok(match &key {
                    Key::Pin(pin) => {
                        info.verify_pin_with(pin, last_try)?;
                        let data = info.read_all()?;
                        CardInfo {
                            my_number: Some(data.my_number.reveal().as_bytes().to_vec()),
                            attributes: Some(data.attributes.into()),
                        }
                    }
                    Key::A(code) => {
                        info.verify_access_code_a_with(code, last_try)?;
                        let number = info.read_my_number()?;
                        CardInfo {
                            my_number: Some(number.reveal().as_bytes().to_vec()),
                            attributes: None,
                        }
                    }
                    Key::B(code) => {
                        info.verify_access_code_b_with(code, last_try)?;
                        CardInfo {
                            my_number: None,
                            attributes: Some(info.read_attributes()?.into()),
                        }
                    }
                })
            })?)
        })
    }

    /// Reads the card face (券面AP) after verifying access code A or B behind the guard, in
    /// one transaction; with access code A and `my_number_image`, also the my-number image.
    pub fn read_card_face(
        &self,
        with: CardFaceSecret,
        secret: Secret,
        my_number_image: bool,
        last_try: LastTry,
    ) -> Result<CardFace, CardError> {
        let last_try = last_try.to_core();
        let secret = text(&secret)?;
        let key = match with {
            CardFaceSecret::AccessCodeA => Ok(MyNumber::new(secret)?),
            CardFaceSecret::AccessCodeB => Err(AccessCodeB::new(secret)?),
        };
        if my_number_image && key.is_err() {
            return Err(CardError::InvalidFormat {
                reason: "the my-number image needs access code A".into(),
            });
        }
        self.with(|card| {
            Ok(card.transaction(|card| {
                let mut face = card.card_face();
                match &key {
                    Ok(a) => face.verify_access_code_a_with(a, last_try)?,
                    Err(b) => face.verify_access_code_b_with(b, last_try)?,
                }
                let record = face.read_record()?;
                let image = if my_number_image {
                    Some(face.read_my_number_image()?)
                } else {
                    None
                };
                Ok(CardFace::from_core(&record, image))
            })?)
        })
    }

    /// Changes a PIN: VERIFY `current` behind the guard, then CHANGE REFERENCE DATA with
    /// `new`, each sent once, in one transaction. Both are checked for the PIN's form first.
    pub fn change_pin(
        &self,
        pin: ChangeablePin,
        current: Secret,
        new: Secret,
        last_try: LastTry,
    ) -> Result<(), CardError> {
        let last_try = last_try.to_core();
        let (current, new) = (text(&current)?, text(&new)?);
        match pin {
            ChangeablePin::Auth => {
                let (current, new) = (AuthPin::new(current)?, AuthPin::new(new)?);
                self.with(|card| Ok(card.jpki().change_pin(&current, &new, last_try)?))
            }
            ChangeablePin::Sign => {
                let (current, new) = (SignPin::new(current)?, SignPin::new(new)?);
                self.with(|card| Ok(card.jpki().change_pin(&current, &new, last_try)?))
            }
            ChangeablePin::CardInfo => {
                let (current, new) = (CardInfoPin::new(current)?, CardInfoPin::new(new)?);
                self.with(|card| Ok(card.card_info().change_pin(&current, &new, last_try)?))
            }
        }
    }

    /// APDUs sent in this session so far (for an app's diagnostics and the benchmarks).
    pub fn apdus_sent(&self) -> Result<u64, CardError> {
        self.with(|card| Ok(card.stats().commands))
    }

    /// Ends the session: the transport is closed (asked to unpower the card if a PIN was
    /// verified). Later calls fail with `Closed`; ending it twice does nothing. Dropping the
    /// object (Kotlin `close()` or `use {}`, Swift `deinit`, Python garbage collection) ends
    /// it too, ignoring the transport's errors.
    pub fn end_session(&self) -> Result<(), CardError> {
        let card = self.lock().take();
        match card {
            Some(card) => Ok(card.close()?),
            None => Ok(()),
        }
    }
}

impl Drop for MyNumberCard {
    fn drop(&mut self) {
        let card = self
            .card
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(card) = card {
            // A failure here has nowhere to go: the object is gone.
            let _ = card.close();
        }
    }
}

fn status_of(
    card: &mut Card<Link>,
    kind: SecretKind,
) -> Result<mynumbercard::PinStatus, mynumbercard::Error> {
    match kind {
        SecretKind::AuthPin => card.jpki().pin_status(PinKind::Auth),
        SecretKind::SignPin => card.jpki().pin_status(PinKind::Sign),
        SecretKind::CardInfoPin => card.card_info().pin_status(CardInfoKey::Pin),
        SecretKind::CardInfoAccessCodeA => card.card_info().pin_status(CardInfoKey::AccessCodeA),
        SecretKind::CardInfoAccessCodeB => card.card_info().pin_status(CardInfoKey::AccessCodeB),
        SecretKind::CardFaceAccessCodeA => card.card_face().code_status(CardFaceKey::AccessCodeA),
        SecretKind::CardFaceAccessCodeB => card.card_face().code_status(CardFaceKey::AccessCodeB),
    }
}

/// Builds access code B (14 digits) from what the card face shows: the birth date (converted
/// to its Japanese era), the card's expiry year and the 4-digit security code. Returns it as
/// bytes the caller wipes after use.
#[uniffi::export]
pub fn access_code_b(
    birth_date: CalendarDate,
    expiry_year: u16,
    security_code: Secret,
) -> Result<Vec<u8>, CardError> {
    let date = birth_date
        .to_core()
        .ok_or_else(|| CardError::InvalidFormat {
            reason: "birth date is not a calendar date".into(),
        })?;
    let security_code = text(&security_code)?;
    // Validates the parts (an era with a two-digit year, 2000–2099, 4 digits); the core keeps
    // the code to itself, so its digits are laid out here the same way.
    AccessCodeB::from_parts(date, expiry_year, security_code)?;
    let yymmdd = Zeroizing::new(date.era_yymmdd().unwrap_or_default());
    let mut out = Vec::with_capacity(14);
    out.extend_from_slice(yymmdd.as_bytes());
    out.extend_from_slice(format!("{expiry_year:04}").as_bytes());
    out.extend_from_slice(security_code.as_bytes());
    Ok(out)
}
