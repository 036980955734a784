//! Building a [`VirtualCard`]: PINs, tries left, holder, token label and ATR, and the files the
//! card-info and card-face applications hold for the holder.

use std::fmt;
use std::sync::OnceLock;

use rsa::RsaPublicKey;
use zeroize::Zeroizing;

use super::codes::{Code, DataFile};
use super::ecdsa;
use super::files::{self, Pair};
use super::{
    card_face, card_info, cv, extras, fixtures, issue, Holder, PinState, Profile, Reader,
    VirtualCard, DEFAULT_ATR,
};

/// Builds a [`VirtualCard`] with chosen PINs, tries left, holder, token label and ATR.
pub struct VirtualCardBuilder {
    auth_pin: Zeroizing<String>,
    sign_pin: Zeroizing<String>,
    card_info_pin: Zeroizing<String>,
    auth_tries: u8,
    sign_tries: u8,
    card_info_pin_tries: u8,
    access_code_a_tries: u8,
    access_code_b_tries: u8,
    birth_date_key_tries: u8,
    photo_replaced: bool,
    card_key: cv::CardKey,
    holder: Holder,
    token_label: Vec<u8>,
    atr: Vec<u8>,
    /// The options of `extras` (the other applications, the kind of credential).
    pub(super) extras: extras::Settings,
    credential: ecdsa::Credential,
    profile: Profile,
    reader: Reader,
}

impl Default for VirtualCardBuilder {
    fn default() -> Self {
        Self {
            auth_pin: Zeroizing::new(VirtualCard::DEFAULT_AUTH_PIN.to_owned()),
            sign_pin: Zeroizing::new(VirtualCard::DEFAULT_SIGN_PIN.to_owned()),
            card_info_pin: Zeroizing::new(VirtualCard::DEFAULT_CARD_INFO_PIN.to_owned()),
            auth_tries: Pair::Auth.max_tries(),
            sign_tries: Pair::Sign.max_tries(),
            card_info_pin_tries: Code::CardInfoPin.max_tries(),
            access_code_a_tries: Code::CardInfoA.max_tries(),
            access_code_b_tries: Code::CardInfoB.max_tries(),
            birth_date_key_tries: Code::CardFaceBirthDate.max_tries(),
            photo_replaced: false,
            card_key: cv::CardKey::Genuine,
            holder: Holder::default(),
            token_label: files::MY_NUMBER_CARD_TOKEN.to_vec(),
            atr: DEFAULT_ATR.to_vec(),
            extras: extras::Settings::default(),
            credential: ecdsa::Credential::default(),
            profile: Profile::default(),
            reader: Reader::default(),
        }
    }
}

impl VirtualCardBuilder {
    /// The auth PIN (default `1234`). Not checked for format: the card compares bytes.
    pub fn auth_pin(mut self, pin: &str) -> Self {
        self.auth_pin = Zeroizing::new(pin.to_owned());
        self
    }

    /// The sign PIN (default `ABC123`).
    pub fn sign_pin(mut self, pin: &str) -> Self {
        self.sign_pin = Zeroizing::new(pin.to_owned());
        self
    }

    /// The card-info PIN of the card-info application's EF 0011 (default `1234`).
    pub fn card_info_pin(mut self, pin: &str) -> Self {
        self.card_info_pin = Zeroizing::new(pin.to_owned());
        self
    }

    /// Tries left on the auth PIN (at most 3; 0 = blocked).
    pub fn auth_tries_left(mut self, tries: u8) -> Self {
        self.auth_tries = tries.min(Pair::Auth.max_tries());
        self
    }

    /// Tries left on the sign PIN (at most 5; 0 = blocked).
    pub fn sign_tries_left(mut self, tries: u8) -> Self {
        self.sign_tries = tries.min(Pair::Sign.max_tries());
        self
    }

    /// Tries left on the card-info PIN (at most 3; 0 = blocked).
    pub fn card_info_pin_tries_left(mut self, tries: u8) -> Self {
        self.card_info_pin_tries = tries.min(Code::CardInfoPin.max_tries());
        self
    }

    /// Tries left on access code A, in both the card-info (EF 0014) and the card-face
    /// (EF 0013) application (at most 3, a choice; 0 = blocked).
    pub fn access_code_a_tries_left(mut self, tries: u8) -> Self {
        self.access_code_a_tries = tries.min(Code::CardInfoA.max_tries());
        self
    }

    /// Tries left on access code B, in both the card-info (EF 0015) and the card-face
    /// (EF 0012) application (at most 3, a choice; 0 = blocked).
    pub fn access_code_b_tries_left(mut self, tries: u8) -> Self {
        self.access_code_b_tries = tries.min(Code::CardInfoB.max_tries());
        self
    }

    /// Tries left on the card-face application's birth-date key (EF 0011; at most 3, a
    /// choice; 0 = blocked).
    pub fn birth_date_key_tries_left(mut self, tries: u8) -> Self {
        self.birth_date_key_tries = tries.min(Code::CardFaceBirthDate.max_tries());
        self
    }

    /// A card whose face photo was changed after the card face was signed: EF 0002 keeps its
    /// layout and a JP2 photo, but its signature (`DF28`) no longer verifies. The genuineness
    /// check opened by access code B catches it
    /// ([`NotProven::BadRecordSignature`](crate::card_verifiable::NotProven::BadRecordSignature)).
    pub fn photo_replaced_after_signing(mut self) -> Self {
        self.photo_replaced = true;
        self
    }

    /// A clone: the genuine card's records, certificates and codes, but the challenge is
    /// answered by another key than the card key its records carry. The genuineness check
    /// catches it
    /// ([`NotProven::WrongChallengeAnswer`](crate::card_verifiable::NotProven::WrongChallengeAnswer)).
    pub fn cloned(mut self) -> Self {
        self.card_key = cv::CardKey::Clone;
        self
    }

    /// The holder; a non-default holder gets a fresh signature certificate and fresh
    /// card-info and card-face files at build time, signed by the fixture keys.
    pub fn holder(mut self, holder: Holder) -> Self {
        self.holder = holder;
        self
    }

    /// The token label of EF 0006 (default `JPKIAPICCTOKEN2`, the plastic card's; phones
    /// answer `JPKIAPGPSETOKEN` or `JPKIAPIOSTOKEN`, the old 住基カード `JPKIAPICCTOKEN`),
    /// padded with spaces to 32 bytes.
    pub fn token_label(mut self, label: &[u8]) -> Self {
        self.token_label = label.to_vec();
        self
    }

    /// The ATR (default [`DEFAULT_ATR`]).
    pub fn atr(mut self, atr: Vec<u8>) -> Self {
        self.atr = atr;
        self
    }

    /// Plays an ECDSA P-384 credential instead of RSA-2048: the four certificates hold P-384
    /// keys ([`fixtures::p384`]) and COMPUTE DIGITAL SIGNATURE signs the bare hash it is
    /// given, answering `r‖s` (96 bytes). The same applications, files, PINs and commands as
    /// today's card: a model of the next generation's key algorithm (ECDSA P-384 with
    /// SHA-384, as one public task-force summary describes it), not of its layout, which is not
    /// public.
    pub fn ecdsa_p384(mut self) -> Self {
        self.credential = ecdsa::Credential::EcdsaP384;
        self
    }

    /// Which optional forms of command the card takes (default
    /// [`Profile::ExtendedAndShortFileIds`]; the [`Profile`] docs give each one's sources).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// What the reader in front of the card carries (default [`Reader::Extended`]),
    /// independently of what the card takes.
    pub fn reader(mut self, reader: Reader) -> Self {
        self.reader = reader;
        self
    }

    /// Builds the card.
    ///
    /// # Panics
    ///
    /// If a custom holder's signature certificate or application files cannot be issued,
    /// which only a bug in this crate's fixtures could cause.
    pub fn build(self) -> VirtualCard {
        let default_holder = self.holder == Holder::default();
        let sign_cert = if default_holder {
            fixtures::SIGN_CERT.to_vec()
        } else {
            issue_sign_certificate(&self.holder)
                .expect("the fixture keys issue a signature certificate for any holder")
        };
        let sign_cert = ecdsa::sign_certificate(self.credential, &self.holder, sign_cert)
            .expect("the P-384 fixture keys issue a signature certificate for any holder");
        let mut data_files = if default_holder {
            static DEFAULT: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
            DEFAULT
                .get_or_init(|| {
                    app_files(&Holder::default()).expect("the fixture keys sign the default files")
                })
                .clone()
        } else {
            app_files(&self.holder).expect("the fixture keys sign any holder's files")
        };
        if self.photo_replaced {
            if let Some(face) = data_files.get_mut(DataFile::CardFace.index()) {
                cv::replace_photo(face);
            }
        }
        let pin = |value: &[u8], tries: u8| PinState {
            value: Zeroizing::new(value.to_vec()),
            tries,
            verified: false,
        };
        let code_b = self.holder.access_code_b().unwrap_or_default();
        let birth_date = self.holder.birth_date_era_yymmdd().unwrap_or_default();
        let my_number = self.holder.my_number.as_bytes();
        let codes = Code::ALL.map(|code| match code {
            Code::CardInfoPin => pin(self.card_info_pin.as_bytes(), self.card_info_pin_tries),
            Code::CardInfoA | Code::CardFaceA => pin(my_number, self.access_code_a_tries),
            Code::CardInfoB | Code::CardFaceB => pin(code_b.as_bytes(), self.access_code_b_tries),
            Code::CardFaceBirthDate => pin(birth_date.as_bytes(), self.birth_date_key_tries),
        });
        VirtualCard {
            log: Vec::new(),
            atr: self.atr,
            powered: true,
            app: None,
            ef: None,
            security_app: None,
            auth_pin: pin(self.auth_pin.as_bytes(), self.auth_tries),
            sign_pin: pin(self.sign_pin.as_bytes(), self.sign_tries),
            codes,
            sign_cert,
            token: self.extras.token_file(&self.token_label),
            extras: self.extras.build(&self.holder),
            data_files,
            holder: self.holder,
            card_key: self.card_key,
            credential: self.credential,
            profile: self.profile,
            reader: self.reader,
        }
    }
}

fn issue_sign_certificate(holder: &Holder) -> Result<Vec<u8>, issue::IssueError> {
    let user = fixtures::user_key_of(Pair::Sign)?.to_public_key();
    let ca = fixtures::ca_key_of(Pair::Sign)?;
    issue::sign_certificate(holder, &user, &ca)
}

/// The card-info and card-face files for `holder`, indexed by [`DataFile::index`].
fn app_files(holder: &Holder) -> Result<Vec<Vec<u8>>, issue::IssueError> {
    let issuer = fixtures::card_ap_issuer_key()?;
    let card_key = RsaPublicKey::from(&fixtures::card_ap_key()?);
    let mut all = Vec::with_capacity(DataFile::ALL.len());
    all.extend(card_info::files(holder, &issuer)?);
    all.extend(card_face::files(holder, &issuer, &card_key)?);
    Ok(all)
}

impl fmt::Debug for VirtualCardBuilder {
    /// PINs are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualCardBuilder")
            .field("auth_pin", &"REDACTED")
            .field("sign_pin", &"REDACTED")
            .field("card_info_pin", &"REDACTED")
            .field("auth_tries", &self.auth_tries)
            .field("sign_tries", &self.sign_tries)
            .field("card_info_pin_tries", &self.card_info_pin_tries)
            .field("access_code_a_tries", &self.access_code_a_tries)
            .field("access_code_b_tries", &self.access_code_b_tries)
            .field("birth_date_key_tries", &self.birth_date_key_tries)
            .field("photo_replaced", &self.photo_replaced)
            .field("card_key", &self.card_key)
            .field("holder", &self.holder)
            .field("token_label", &String::from_utf8_lossy(&self.token_label))
            .field("atr", &hex::encode_upper(&self.atr))
            .field("extras", &self.extras)
            .field("profile", &self.profile)
            .field("reader", &self.reader)
            .finish()
    }
}
