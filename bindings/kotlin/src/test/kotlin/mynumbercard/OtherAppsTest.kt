package mynumbercard

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The reads beyond the JPKI, card-info and card-face tasks from Kotlin: the common and
 * resident-registry applications, the master file's objects, the token info and the
 * certificate list, and the errors of a card without a signature certificate and of the
 * Android credential.
 */
class OtherAppsTest {
    @Test
    fun masterFileThenCommonAndResidentRegistry() {
        val s = Setup()
        val mf = s.session.readMasterFileData()
        assertEquals("13999", mf.municipality)
        assertEquals(CalendarDate(2035u, 1u, 1u), mf.expiryDate)
        assertEquals("VIRTUALCARD00001", mf.cardIdentificationNumberText)
        val record = s.session.readCommonRecord()
        assertEquals("900000000000001", record.serialNumber)
        assertEquals(13.toUByte(), record.prefectureCode)
        assertEquals(CalendarDate(2035u, 1u, 1u), record.expiry)
        assertEquals(30, record.raw.size)
        assertEquals(SecretStatus.Remaining(3u), s.session.commonPinStatus())
        assertEquals(SecretStatus.Remaining(3u), s.session.jukiPinStatus())
        // 3 GET DATA; SELECT AP + READ RECORD; the empty VERIFY; SELECT AP + the empty VERIFY.
        assertEquals(8uL, s.card.apduCount())
        assertEquals(0, s.card.verifiesSent())
        // With an application selected the objects are not available.
        val again = s.session.readMasterFileData()
        assertEquals(DataObject.NotAvailable(0x6A88u), again.municipalityCode)
        assertNull(again.municipality)
    }

    @Test
    fun tokenInfoInBothSizes() {
        val plastic = Setup(VirtualCardConfig(tokenRecord = true)).session.tokenInfo()
        assertEquals(CardKind.MyNumberCard, plastic.kind)
        assertEquals("JPKIAPICCTOKEN2", plastic.label)
        assertEquals(160, plastic.raw.size)
        assertEquals("VIRTUAL CARD", plastic.manufacturerId)
        val android = Setup(VirtualCardConfig(androidCredential = true)).session.tokenInfo()
        assertEquals(CardKind.AndroidCredential, android.kind)
        assertEquals(32, android.raw.size)
        assertNull(android.manufacturerId)
    }

    @Test
    fun aCardWithoutASignatureCertificate() {
        val s = Setup(VirtualCardConfig(withoutSignatureCertificate = true))
        val availability = s.session.certificateAvailability()
        assertEquals(CertificatePresence.Absent, availability.sign)
        assertEquals(CertificatePresence.Present, availability.auth)
        assertArrayEquals(byteArrayOf(0x00, 0x8F.toByte(), 0x00), availability.raw)
        assertThrows<CardException.NoSignatureCertificate> {
            s.session.verifyAndSign(KeyKind.SIGN, pin("ABC123"), message(), LastTry.REFUSE)
        }
        assertEquals(0, s.card.verifiesSent())
        assertEquals(5.toUByte(), s.card.triesLeft(SecretKind.SIGN_PIN))
    }

    @Test
    fun theAndroidCredentialNeedsThePinForItsCertificate() {
        val s = Setup(VirtualCardConfig(androidCredential = true))
        assertThrows<CardException.AuthCertificateNeedsPin> {
            s.session.readCertificate(CertificateKind.AUTH, null, LastTry.REFUSE)
        }
        assertThrows<CardException.AuthCertificateNeedsPin> {
            s.session.eligibilityCheckVisual(null)
        }
        val evidence = s.session.eligibilityCheckPin(pin("1234"), "nonce".toByteArray(), LastTry.REFUSE)
        assertArrayEquals(s.card.certificateDer(CertificateKind.AUTH), evidence.certificate.der)
        assertNotNull(evidence.signature)
        assertEquals(1, s.card.verifiesSent())
    }
}
