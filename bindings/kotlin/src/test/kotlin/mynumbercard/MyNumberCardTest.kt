package mynumbercard

import java.security.MessageDigest
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Every call of the Kotlin API against the virtual card through a Kotlin transport, in a real
 * JVM through JNA: values, the exact errors, the lockout guard, a lost tag.
 */
class MyNumberCardTest {
    private val jp2 = byteArrayOf(0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20)
    private val png = byteArrayOf(0x89.toByte(), 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)

    private fun ByteArray.startsWith(prefix: ByteArray) = size >= prefix.size && copyOf(prefix.size).contentEquals(prefix)

    @Test
    fun identify() {
        val s = Setup()
        assertEquals(CardKind.MyNumberCard, s.session.identify())
        // The foreign transport adds no APDU: as many as the Rust-only path sends.
        val reference = MyNumberCard.overVirtualCard(VirtualCard())
        reference.identify()
        assertEquals(reference.apdusSent(), s.card.apduCount())
        assertEquals(reference.apdusSent(), s.session.apdusSent())
    }

    @Test
    fun certificates() {
        val s = Setup()
        val auth = s.session.readCertificate(CertificateKind.AUTH, null, LastTry.REFUSE)
        assertEquals(CertificateKind.AUTH, auth.kind)
        assertArrayEquals(s.card.certificateDer(CertificateKind.AUTH), auth.der)
        assertTrue("JPKI-VIRTUAL-TEST" in auth.issuer, auth.issuer)
        assertEquals(KeyInfo.Rsa(2048u), auth.key)
        assertNull(auth.holder)
        assertTrue(auth.notBefore < auth.notAfter)
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(auth.der), auth.fingerprintSha256)
        for (kind in listOf(CertificateKind.AUTH_CA, CertificateKind.SIGN_CA)) {
            assertEquals(kind, s.session.readCertificate(kind, null, LastTry.REFUSE).kind)
        }

        val before = s.card.apduCount()
        assertThrows<CardException.InvalidFormat> {
            s.session.readCertificate(CertificateKind.SIGN, null, LastTry.REFUSE)
        }
        assertEquals(before, s.card.apduCount(), "nothing sent without the PIN")

        val signPin = pin("abc123")
        val sign = s.session.readCertificate(CertificateKind.SIGN, signPin, LastTry.REFUSE)
        signPin.fill(0)
        val holder = sign.holder!!
        assertEquals("仮想　太郎", holder.name)
        assertEquals(Sex.Male, holder.sex)
        assertEquals(CalendarDate(1990u, 1u, 1u), holder.birthDate)
        assertTrue(holder.address!!.startsWith("東京都"))
    }

    @Test
    fun statusesOfEverySecret() {
        val s = Setup(config(signTriesLeft = 2u))
        val all = s.session.secretStatuses()
        assertEquals(SecretStatus.Remaining(3u), all.authPin)
        assertEquals(SecretStatus.Remaining(2u), all.signPin)
        for (status in listOf(
            all.cardInfoPin, all.cardInfoAccessCodeA, all.cardInfoAccessCodeB,
            all.cardFaceAccessCodeA, all.cardFaceAccessCodeB,
        )) {
            assertEquals(SecretStatus.Remaining(3u), status)
        }
        assertEquals(SecretStatus.Remaining(2u), s.session.secretStatus(SecretKind.SIGN_PIN))
        assertEquals(0, s.card.verifiesSent(), "statuses spend no try")
    }

    @Test
    fun verifyAndSignWithBothKeys() {
        val s = Setup()
        val data = "hello".toByteArray()
        val signature = s.session.verifyAndSign(KeyKind.AUTH, pin("1234"), message(data), LastTry.REFUSE)
        assertTrue(verifies(s.card.certificateDer(CertificateKind.AUTH), "SHA256withRSA", data, signature))
        assertEquals(1, s.card.verifiesSent())

        val digest = MessageDigest.getInstance("SHA-512").digest("document".toByteArray())
        val signed = s.session.verifyAndSign(
            KeyKind.SIGN, pin("ABC123"), SignInput.Digest(DigestAlgorithm.SHA512, digest), LastTry.REFUSE,
        )
        assertTrue(verifies(s.card.certificateDer(CertificateKind.SIGN), "SHA512withRSA", "document".toByteArray(), signed))

        assertThrows<CardException.InvalidFormat> {
            s.session.verifyAndSign(
                KeyKind.SIGN, pin("ABC123"), SignInput.Digest(DigestAlgorithm.SHA256, ByteArray(31)), LastTry.REFUSE,
            )
        }
        assertEquals(2, s.card.verifiesSent(), "a bad digest sends no PIN")
    }

    @Test
    fun wrongPinThenTheGuardRefusesTheLastTry() {
        val s = Setup(config(authTriesLeft = 2u))
        val wrong = assertThrows<CardException.WrongPin> {
            s.session.verifyAndSign(KeyKind.AUTH, pin("9999"), message(), LastTry.REFUSE)
        }
        assertEquals(1.toUByte(), wrong.triesLeft)
        assertEquals(1.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))
        val refused = assertThrows<CardException.LastTryRefused> {
            s.session.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.REFUSE)
        }
        assertEquals(SecretName.AUTH_PIN, refused.secret)
        assertEquals(1, s.card.verifiesSent(), "the last try was not sent")
        assertEquals(1.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))
        s.session.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.ALLOW)
        assertEquals(3.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))
    }

    @Test
    fun anAllowedLastTryThatFailsBlocks() {
        val s = Setup(config(authTriesLeft = 1u))
        val blocked = assertThrows<CardException.BlockedByThisAttempt> {
            s.session.verifyAndSign(KeyKind.AUTH, pin("9999"), message(), LastTry.ALLOW)
        }
        assertEquals(SecretName.AUTH_PIN, blocked.secret)
        assertEquals(0.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))
    }

    @Test
    fun blockedAndInvalidFormatsSendNothing() {
        val s = Setup(config(authTriesLeft = 0u))
        assertThrows<CardException.Blocked> {
            s.session.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.ALLOW)
        }
        assertEquals(0, s.card.verifiesSent())
        val before = s.card.apduCount()
        for ((key, bad) in listOf(KeyKind.AUTH to "123", KeyKind.AUTH to "12a4", KeyKind.SIGN to "abc", KeyKind.SIGN to "ABC-123")) {
            val e = assertThrows<CardException.InvalidFormat> {
                s.session.verifyAndSign(key, pin(bad), message(), LastTry.ALLOW)
            }
            assertFalse(bad in e.reason, "the message names no character of the PIN: ${e.reason}")
        }
        assertEquals(before, s.card.apduCount())
    }

    @Test
    fun aTagLostInTheMiddleOfVerifyAndSignCostsNoTry() {
        val s = Setup()
        // Lost as the VERIFY carrying the PIN was to be sent: it never reached the card.
        s.transport.loseWhen = ::isVerifyWithPin
        assertThrows<CardException.CardRemoved> {
            s.session.verifyAndSign(KeyKind.AUTH, pin("9999"), message(), LastTry.REFUSE)
        }
        assertEquals(3.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))
        assertEquals(0, s.card.verifiesSent())

        // Lost at the signature, after the right PIN: no try spent, no signature.
        s.transport.loseWhen = ::isSign
        assertThrows<CardException.CardRemoved> {
            s.session.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.REFUSE)
        }
        assertEquals(3.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))

        // The card back in the field: the same object starts over and signs.
        s.transport.loseWhen = null
        s.card.powerCycle()
        assertEquals(256, s.session.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.REFUSE).size)
    }

    @Test
    fun transportErrorsMap() {
        fun failing(error: Exception) = object : CardTransport by VirtualCardTransport(VirtualCard()) {
            override fun transceive(command: ByteArray): ByteArray = throw error
        }
        assertThrows<CardException.CardRemoved> { MyNumberCard(failing(TransportException.TagLost())).identify() }
        assertThrows<CardException.Timeout> { MyNumberCard(failing(TransportException.Timeout())).identify() }
        val other = assertThrows<CardException.Transport> {
            MyNumberCard(failing(TransportException.Other("nfc off"))).identify()
        }
        assertEquals("nfc off", other.reason)
        // An exception the transport did not declare is a transport failure, not a crash.
        assertThrows<CardException.Transport> { MyNumberCard(failing(IllegalStateException("bug"))).identify() }
    }

    @Test
    fun eligibilityCheckBothModes() {
        val s = Setup()
        val challenge = "nonce from the eligibility service".toByteArray()
        val evidence = s.session.eligibilityCheckPin(pin("1234"), challenge, LastTry.REFUSE)
        assertEquals(CertificateKind.AUTH, evidence.certificate.kind)
        assertTrue(verifies(evidence.certificate.der, "SHA256withRSA", challenge, evidence.signature!!))
        assertNull(evidence.cardFace)
        // The Kotlin transport declares a short-only reader: the reference card sits behind one.
        val reference = MyNumberCard.overVirtualCard(VirtualCard.withConfig(VirtualCardConfig(shortOnlyReader = true)))
        reference.eligibilityCheckPin(pin("1234"), challenge, LastTry.REFUSE)
        assertEquals(reference.apdusSent(), s.card.apduCount())

        val plain = s.session.eligibilityCheckVisual(null)
        assertNull(plain.signature)
        assertNull(plain.cardFace)

        val code = accessCodeB(CalendarDate(1990u, 1u, 1u), 2035u, pin("1234"))
        assertArrayEquals("02010120351234".toByteArray(), code)
        val visual = s.session.eligibilityCheckVisual(code)
        code.fill(0)
        val face = visual.cardFace!!
        assertTrue(face.facePhoto.startsWith(jp2))
        assertEquals(2035.toUShort(), face.expiry.year)
        assertNull(face.myNumberImage)
    }

    @Test
    fun cardInfoWithEachSecret() {
        val s = Setup()
        val info = s.session.readCardInfo(CardInfoSecret.PIN, pin("1234"), LastTry.REFUSE)
        assertArrayEquals("123456789018".toByteArray(), info.myNumber)
        assertEquals("仮想　太郎", info.attributes!!.name)
        assertEquals(Sex.Male, info.attributes!!.sex)
        val a = s.session.readCardInfo(CardInfoSecret.ACCESS_CODE_A, pin("123456789018"), LastTry.REFUSE)
        assertNotNull(a.myNumber)
        assertNull(a.attributes)
        val b = s.session.readCardInfo(CardInfoSecret.ACCESS_CODE_B, pin("02010120351234"), LastTry.REFUSE)
        assertNull(b.myNumber)
        assertNotNull(b.attributes)
        val before = s.card.apduCount()
        assertThrows<CardException.InvalidFormat> {
            s.session.readCardInfo(CardInfoSecret.ACCESS_CODE_A, pin("123456789010"), LastTry.REFUSE)
        }
        assertEquals(before, s.card.apduCount(), "a wrong check digit is refused before sending")
        val wrong = assertThrows<CardException.WrongAccessCode> {
            s.session.readCardInfo(CardInfoSecret.ACCESS_CODE_B, pin("02010120359999"), LastTry.REFUSE)
        }
        assertEquals(2.toUByte(), wrong.triesLeft)
        assertEquals(SecretName.ACCESS_CODE_B, wrong.secret)
    }

    @Test
    fun cardFaceWithEachCode() {
        val s = Setup()
        val face = s.session.readCardFace(CardFaceSecret.ACCESS_CODE_A, pin("123456789018"), true, LastTry.REFUSE)
        assertTrue(face.myNumberImage!!.startsWith(png))
        assertTrue(face.nameImage.startsWith(png))
        assertEquals(CalendarDate(1990u, 1u, 1u), face.birthDate)
        val b = s.session.readCardFace(CardFaceSecret.ACCESS_CODE_B, pin("02010120351234"), false, LastTry.REFUSE)
        assertNull(b.myNumberImage)
        assertThrows<CardException.InvalidFormat> {
            s.session.readCardFace(CardFaceSecret.ACCESS_CODE_B, pin("02010120351234"), true, LastTry.REFUSE)
        }
    }

    @Test
    fun changePins() {
        val s = Setup()
        s.session.changePin(ChangeablePin.AUTH, pin("1234"), pin("4321"), LastTry.REFUSE)
        s.session.changePin(ChangeablePin.SIGN, pin("ABC123"), pin("NEWPIN99"), LastTry.REFUSE)
        s.session.changePin(ChangeablePin.CARD_INFO, pin("1234"), pin("0000"), LastTry.REFUSE)
        assertThrows<CardException.InvalidFormat> {
            s.session.changePin(ChangeablePin.AUTH, pin("4321"), pin("12"), LastTry.REFUSE)
        }
        s.card.powerCycle()
        s.session.verifyAndSign(KeyKind.AUTH, pin("4321"), message(), LastTry.REFUSE)
        val wrong = assertThrows<CardException.WrongPin> {
            s.session.verifyAndSign(KeyKind.SIGN, pin("ABC123"), message(), LastTry.REFUSE)
        }
        assertEquals(4.toUByte(), wrong.triesLeft)
    }

    @Test
    fun closeUnpowersAfterAPinAndEndsTheSession() {
        val s = Setup()
        s.session.identify()
        s.session.endSession()
        assertEquals(false, s.transport.closedWith)
        assertThrows<CardException.Closed> { s.session.identify() }
        s.session.endSession()

        MyNumberCard(s.transport).use { session ->
            session.eligibilityCheckPin(pin("1234"), "c".toByteArray(), LastTry.REFUSE)
        }
        assertEquals(true, s.transport.closedWith, "use {} closes the session, unpowering the card")
    }

    @Test
    fun notAMyNumberCard() {
        val transport = object : CardTransport by VirtualCardTransport(VirtualCard()) {
            override fun transceive(command: ByteArray) = byteArrayOf(0x6A, 0x82.toByte())
        }
        val session = MyNumberCard(transport)
        assertEquals(CardKind.NotMyNumberCard, session.identify())
        assertThrows<CardException.NotMyNumberCard> {
            session.readCertificate(CertificateKind.AUTH, null, LastTry.REFUSE)
        }
        assertThrows<CardException.NotFound> {
            session.readCardInfo(CardInfoSecret.PIN, pin("1234"), LastTry.REFUSE)
        }
    }
}
