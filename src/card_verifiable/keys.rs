//! The J-LIS CA keys that sign card-verifiable certificates, compiled in: three of the
//! production hierarchy, and three of the hierarchy J-LIS issues its JPKI test cards under,
//! which a verifier counts only when it asks for them ([`CvTrust::jlis_with_test_keys`]).
//!
//! Provenance: the six keys (modulus, exponent 65537 and the 16-byte 証明者鍵ID each is named
//! by) are those the MIT-licensed crate myna-card publishes (version 3.3.4, `src/ca.rs`), whose
//! author read them off real cards and J-LIS material. No second public source gives the
//! production keys. The three test keys were checked against the certificates of a real JPKI
//! test card: each verifies that card's EF 0004 or `00F8` certificate (RSA PKCS#1 v1.5 with
//! SHA-256 over the 297-byte body), and the keys those certify verify the card's records.
//! Written here as hex, in this crate's own table.

use std::sync::OnceLock;

use rsa::{BigUint, RsaPublicKey};

use super::{CvCaKey, CvRole, Hierarchy, KeyId};

/// One bundled key, as text.
struct Bundled {
    key_id: &'static str,
    role: CvRole,
    hierarchy: Hierarchy,
    /// The modulus, big-endian hex, in lines.
    modulus: &'static [&'static str],
}

/// The public exponent of every bundled key: 65537.
const EXPONENT: u32 = 65_537;

/// `5000020`, `5000023`, `5000033` (production) and `6000020`, `6000023`, `6000033` (test
/// cards): the master-file chain, the card-face application's certificate, the card-info
/// application's certificate.
const BUNDLED: [Bundled; 6] = [
    Bundled {
        key_id: "353030303032300805303031000000A8",
        role: CvRole::MasterFile,
        hierarchy: Hierarchy::Production,
        modulus: &[
            "B62D081145D34ACEB022BC2F0A08D8B390E42FFEEEC93472F675EC33507BBCE9",
            "82C22F33B7304CF17639CE75A1D0FD1E75FFAD86B0D72CCCF0D0B05136DDB726",
            "1400C0160C713872E1E83C48A2A00818147FEFBF0B09F643EE4B328419E87637",
            "67ADBEAEBA88D49C3B44A5B8F8AD794FCF64A4161A9FE8B97660FCA469411459",
            "4D4B8498FE1E52502086ABC1B0EDA004D39D95193B4031AB0C516008BBAFFC49",
            "AC6A2EBE544EF49EA3B790CD13F133896DF8DA63E15CE8AC0DC276F76F080B72",
            "3E6648F10A6FB7B08E5C69DCDFADD52F7B5B6D1740CF8E356BC685B31D7C4556",
            "80CD95D3B4B20EA8094F00660AE774EEBAB2875487A1210CA87221A0B63A3E83",
        ],
    },
    Bundled {
        key_id: "35303030303233080530303100000000",
        role: CvRole::CardFace,
        hierarchy: Hierarchy::Production,
        modulus: &[
            "B2F740F0AD86D17CF3F537D23B4B3C65A3CB58474D857F55D0B9BC0411B1CB08",
            "49068DE332A50D63B3E6921C9CCBE6156496EFB04BE8FFCC74FDE9A228A36AD7",
            "EDCE9793204E35973DC911108365002C40169E0B60018DFB99E1E2310D9A110F",
            "F0FC269F1F220C63B8A1510DE5A6898220C78908FC280D8AA95D5D113B7CF007",
            "00F3FF5AD8B3D6AD2EB53C7D563498B4A938DEFFC9BDA32BF4146C1B07EF870D",
            "99EB35DE5D70AC18715874277A13151D217D04D42E97923923A40FBC7D06FAA8",
            "338CCBE876620F9B8EF4471CD4B9E29D4EA621E0FB8F1DC04B487210097DBAAF",
            "3D8E0550C76A5B97CF202FA47C7A2622F1C084E65C13D13B8E7AB226F5F51F87",
        ],
    },
    Bundled {
        key_id: "35303030303333080530303100000000",
        role: CvRole::CardInfo,
        hierarchy: Hierarchy::Production,
        modulus: &[
            "D24615F63525E740C87E83ED64787E76D10A1F8652EBE1EA28934D35CE3BF077",
            "16F5B79E2BCB2AE2B91B4F4C9FFB602497F596D659AF9D0A14B45CDD738EF562",
            "49349B8CC7DB32F2D433BD39BCC44F503E881D56C149ECD5155C1CE7461FC3AC",
            "4F55D0A39CCAAADFAE5B8AFA11CCF91BEDC774023D11CA6EBA99004F81C541A7",
            "D67DDED8C724D6E20B10A3DEAAE8C43C137CCD71B263740E8979752DE4D56763",
            "29CABCBD7F3A77FC48A6F8E61D399B4AC66684A9FDFC99ECEF900DD6FF7F0FDD",
            "39E23D163F8A468C62DBEAE00906DFAD5A89B45CA5B7353DC998A80D3803EDA7",
            "94B55F99F535D1C39A243C8352AD602D926C389D2816C941349EE24E4F41597F",
        ],
    },
    Bundled {
        key_id: "363030303032300805303031000000A8",
        role: CvRole::MasterFile,
        hierarchy: Hierarchy::Test,
        modulus: &[
            "D0CB6303399EC86727E3E9E50996580956EE87839F5B674CF34048B470180295",
            "00841B5E6F6C643EAEFE042482037ACD8392E6C6A386FB77DDB3F1D51BCAC76E",
            "469A09CEC823DC78C1EBDB5A7C5AA04AC7094AD74B38637601241F43D3E6C6A4",
            "850E5A4E3244A138FBA5A2E22C31312EF8699B7E8DB982AB7B093C4AC13F0569",
            "BA86B6B886C1072EF174B2181181F6D16FFF904BE652F47AFC5C597366ED2FF3",
            "BE0950080855A88930D312D8BE2BB4AAE2B1C19848064BA7E92CB74E52E19C1C",
            "FAB8676B18706BEBF913B57F92AE7498C08750E41657A1746B26DA2B0DEFC85D",
            "286B1B85ADC9739356403F6B6E18A1938A11E3EC043C1CDC5EF03A8D51402CC5",
        ],
    },
    Bundled {
        key_id: "36303030303233080530303100000000",
        role: CvRole::CardFace,
        hierarchy: Hierarchy::Test,
        modulus: &[
            "E08CA1CAA0E58C5DF24BFD67E45B7CE4B50EFF828C10568055F7E012B7212E7D",
            "2879B9E0B951E7AC5A6DC0D7D3C31C223951A1E2774F398CF46602A8AEC04898",
            "714981F813CB9DBD2EF9068528E9450361C00154738CA4DD79D138098B91FAE2",
            "9A4FD750556367BB854158953AF58C0E8BBF289C3A30E595FEF044519E967EF0",
            "686CBCF6EF6B9ED6FC2A19F800CE07E929AC11556F1073077372279BA130216F",
            "C680B7C39788C8E7534F71EEB4C00C9053FBF6E92A07784F26308AF78F9C1800",
            "3ECBF12965BD303045B8A76391C431787FFC745CC274206616D91E81B39BB9A2",
            "DB4B64C4AD47831AB06CC401F2162F30D9316C38557D4D96ED5E76DB49B9092D",
        ],
    },
    Bundled {
        key_id: "36303030303333080530303100000000",
        role: CvRole::CardInfo,
        hierarchy: Hierarchy::Test,
        modulus: &[
            "B1FE36BD147BF41B2011B9156867C4118B05AE47D691CDB4A4467F4949AFDD71",
            "E28E12B5C61E68F00B639A6CCBCF44798761C7700A81F666C67831433B742A2C",
            "1126942601E25371B2B93631067D466F201EAF31393B1BD6A47589FB57B31897",
            "35A27A24583FDE2BF26C2A34D8645FE0E6E2FE901612CEF8C740C228289AF6D4",
            "57ACA3B1AA2F9EBB56DA3591C30830B8AFE2A1CA99951E670B9E9C0B40EBDBEC",
            "212F9400E5AAF5C2B5107DE34AB6BC66425A86D731A392E81001DEA1CE565981",
            "BE158256AE05598A2B8BFB04C1B66EE2008E019FB1B2BA3785E0CA78CA31EA5F",
            "09B4D550577DBF12A747ABD5E1C450C0750DF965F53EA08BBF12E40A4057C74D",
        ],
    },
];

/// The bundled keys, parsed once. The tests check that all six parse (an entry that did not
/// would be left out, never trusted).
pub(crate) fn bundled() -> &'static [CvCaKey] {
    static KEYS: OnceLock<Vec<CvCaKey>> = OnceLock::new();
    KEYS.get_or_init(|| BUNDLED.iter().filter_map(parse).collect())
}

fn parse(entry: &Bundled) -> Option<CvCaKey> {
    let id: [u8; 16] = hex::decode(entry.key_id).ok()?.try_into().ok()?;
    let modulus = hex::decode(entry.modulus.concat()).ok()?;
    let key = RsaPublicKey::new(BigUint::from_bytes_be(&modulus), BigUint::from(EXPONENT)).ok()?;
    Some(CvCaKey::new(
        KeyId::new(id),
        entry.role,
        entry.hierarchy,
        key,
    ))
}

#[cfg(test)]
mod tests {
    use rsa::traits::PublicKeyParts;
    use sha2::{Digest, Sha256};

    use super::*;

    #[test]
    fn all_six_keys_parse_as_rsa_2048() {
        let keys = bundled();
        assert_eq!(keys.len(), 6);
        for key in keys {
            assert_eq!(key.public_key().size(), 256, "{}", key.key_id());
            assert_eq!(key.public_key().e(), &BigUint::from(65_537u32));
        }
        let names: Vec<String> = keys.iter().map(|k| k.key_id().to_string()).collect();
        assert_eq!(
            names,
            [
                "5000020/001",
                "5000023/001",
                "5000033/001",
                "6000020/001",
                "6000023/001",
                "6000033/001"
            ]
        );
        // The master-file keys end in A8, the others in 00: all 16 bytes name a key.
        assert_eq!(keys[0].key_id().as_bytes()[15], 0xA8);
        assert_eq!(keys[1].key_id().as_bytes()[15], 0x00);
    }

    #[test]
    fn the_moduli_are_the_published_ones() {
        // SHA-256 of each modulus (big-endian, 256 bytes), computed from the published values
        // when they were copied in: a changed digit fails here.
        let digests: Vec<String> = bundled()
            .iter()
            .map(|k| hex::encode(Sha256::digest(k.public_key().n().to_bytes_be())))
            .collect();
        assert_eq!(digests, EXPECTED_MODULUS_SHA256);
    }

    const EXPECTED_MODULUS_SHA256: [&str; 6] = [
        "318ab4a79346bbd993d36d31a4d766f02a239f36b10bc323458242130f927a97",
        "bb96cc1dc6502005661961f0a45ed843d007c69e3ce167eceb6b1abd5333a932",
        "409655d477547d83cbe182385acb1ea83c9828eb6e5b8bba90957c339b5f30f7",
        "218018727ce0d4955b0b40f468eb131d5e8375ee4a2aa58dabda524b19d29a39",
        "df70444dbe6841ec03267c25cf1bd35ff30ef8044da34ff5eedd0719e6f14530",
        "690db1b2d7b9994764a81982bc1e4cd76d9e92d0a33a895b2e71a0be8356f1ae",
    ];
}
