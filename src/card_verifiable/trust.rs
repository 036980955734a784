//! Which CA keys a verifier counts, and the certificate check against them.

use std::fmt;

use rsa::RsaPublicKey;

use super::{jlis_keys, CvCaKey, CvCertificate, CvRole, Hierarchy, KeyId, NotProven};

/// The CA keys a verifier counts for card-verifiable certificates.
///
/// [`CvTrust::jlis`] holds the three J-LIS production keys; [`CvTrust::jlis_with_test_keys`]
/// adds the three of the JPKI test cards' hierarchy, for callers that accept test cards (as
/// [`TrustAnchors::jlis_with_test_roots`](crate::trust::TrustAnchors::jlis_with_test_roots)
/// does for the JPKI test roots). A caller's key of the test hierarchy (such as the virtual
/// card's) counts only in a set that accepts test keys.
///
/// ```
/// use mynumbercard::card_verifiable::{CvTrust, Hierarchy};
/// assert_eq!(CvTrust::jlis().keys().len(), 3);
/// assert!(CvTrust::jlis().keys().iter().all(|k| k.hierarchy() == Hierarchy::Production));
/// assert_eq!(CvTrust::jlis_with_test_keys().keys().len(), 6);
/// assert!(!CvTrust::jlis().accepts_test_keys());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CvTrust {
    keys: Vec<CvCaKey>,
    test_keys: bool,
}

impl CvTrust {
    /// No keys: every certificate is "cannot be verified".
    pub fn empty() -> Self {
        Self::default()
    }

    /// The three J-LIS production keys (`5000020`, `5000023`, `5000033`).
    pub fn jlis() -> Self {
        Self {
            keys: production().cloned().collect(),
            test_keys: false,
        }
    }

    /// The production keys and the three keys of the JPKI test cards' hierarchy (`6000020`,
    /// `6000023`, `6000033`): only for callers that accept test cards.
    pub fn jlis_with_test_keys() -> Self {
        Self {
            keys: jlis_keys().to_vec(),
            test_keys: true,
        }
    }

    /// Adds a CA key of the caller's. A key of [`Hierarchy::Test`] counts only when this set
    /// accepts test keys; otherwise its certificates are
    /// [`NotProven::TestHierarchyNotAccepted`].
    pub fn with_key(mut self, key: CvCaKey) -> Self {
        self.keys.push(key);
        self
    }

    /// The keys, test keys included (whether they count: [`CvTrust::accepts_test_keys`]).
    pub fn keys(&self) -> &[CvCaKey] {
        &self.keys
    }

    /// Whether keys of the test hierarchy count.
    pub fn accepts_test_keys(&self) -> bool {
        self.test_keys
    }

    /// Checks `certificate`, read as a certificate of `role`: the CA key it names (all 16
    /// bytes of its 証明者鍵ID) must be held, count (test keys only when accepted), sign
    /// `role`'s certificates, and verify the signature. Then the key it certifies is handed out
    /// as a [`CertifiedKey`].
    pub fn certify(
        &self,
        certificate: &CvCertificate,
        role: CvRole,
    ) -> Result<CertifiedKey, NotProven> {
        let key_id = certificate.issuer_key_id();
        let Some(ca) = self.keys.iter().find(|k| k.key_id() == key_id) else {
            let known_test_key = jlis_keys()
                .iter()
                .any(|k| k.key_id() == key_id && k.hierarchy() == Hierarchy::Test);
            return Err(if known_test_key && !self.test_keys {
                NotProven::TestHierarchyNotAccepted { key_id }
            } else {
                NotProven::UnknownCaKey { key_id }
            });
        };
        if ca.hierarchy() == Hierarchy::Test && !self.test_keys {
            return Err(NotProven::TestHierarchyNotAccepted { key_id });
        }
        if ca.role() != role {
            return Err(NotProven::WrongCaRole {
                key_id,
                expected: role,
                found: ca.role(),
            });
        }
        if !certificate.signed_by(ca.public_key()) {
            return Err(NotProven::BadCertificateSignature { key_id });
        }
        Ok(CertifiedKey {
            key: certificate.public_key().clone(),
            subject: certificate.subject_key_id(),
            ca_key_id: key_id,
            role,
            hierarchy: ca.hierarchy(),
        })
    }

    /// Checks a chain, top first: the first certificate against the CA keys as a certificate
    /// of `role`, each later one against the key the one above certifies (its issuer id must
    /// be that key's id). Returns the key the last one certifies. An empty chain proves
    /// nothing ([`NotProven::NotChecked`]).
    pub fn certify_chain(
        &self,
        chain: &[CvCertificate],
        role: CvRole,
    ) -> Result<CertifiedKey, NotProven> {
        let (first, rest) = chain
            .split_first()
            .ok_or(NotProven::NotChecked("an empty certificate chain"))?;
        let mut above = self.certify(first, role)?;
        for certificate in rest {
            let key_id = certificate.issuer_key_id();
            if key_id != above.subject {
                return Err(NotProven::BrokenChain { key_id });
            }
            if !certificate.signed_by(&above.key) {
                return Err(NotProven::BadCertificateSignature { key_id });
            }
            above = CertifiedKey {
                key: certificate.public_key().clone(),
                subject: certificate.subject_key_id(),
                ..above
            };
        }
        Ok(above)
    }
}

fn production() -> impl Iterator<Item = &'static CvCaKey> {
    jlis_keys()
        .iter()
        .filter(|k| k.hierarchy() == Hierarchy::Production)
}

/// A key that a card-verifiable certificate certifies, the certificate having verified with a
/// CA key the verifier counts: the only key a record's signature is proven with. Made only by
/// [`CvTrust::certify`].
#[derive(Clone, PartialEq, Eq)]
pub struct CertifiedKey {
    key: RsaPublicKey,
    subject: KeyId,
    ca_key_id: KeyId,
    role: CvRole,
    hierarchy: Hierarchy,
}

impl CertifiedKey {
    /// The certified key.
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.key
    }

    /// Its key id (被証明者鍵ID).
    pub fn key_id(&self) -> KeyId {
        self.subject
    }

    /// The id of the CA key at the top of the chain.
    pub fn ca_key_id(&self) -> KeyId {
        self.ca_key_id
    }

    /// What the CA key signs.
    pub fn role(&self) -> CvRole {
        self.role
    }

    /// The CA key's hierarchy: [`Hierarchy::Test`] for a test card.
    pub fn hierarchy(&self) -> Hierarchy {
        self.hierarchy
    }
}

impl fmt::Debug for CertifiedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertifiedKey")
            .field("key_id", &self.subject)
            .field("ca_key_id", &self.ca_key_id)
            .field("role", &self.role)
            .field("hierarchy", &self.hierarchy)
            .finish_non_exhaustive()
    }
}
