package mynumbercard

import mynumbercard.transport.SmartcardioTransport
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder

/**
 * The JDK's own PC/SC stack (javax.smartcardio) under the library, against the virtual card
 * the crate's virtual reader serves to pcscd:
 *
 *     MYNUMBERCARD_PCSC=1 scripts/with-virtual-reader.sh mvn -f bindings/kotlin/pom.xml test
 *
 * Skipped (an assumption) unless MYNUMBERCARD_PCSC=1; CI sets it. The served card keeps its
 * state for the whole run, and javax.smartcardio cannot unpower it, so the tests run in order,
 * the ones that verify a PIN last, and give only right PINs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class SmartcardioTest {
    private val reader = System.getenv("MYNUMBERCARD_TEST_READER") ?: "Virtual PCD 00 00"

    @BeforeEach
    fun needsPcscd() {
        assumeTrue(System.getenv("MYNUMBERCARD_PCSC") == "1", "needs pcscd with the virtual reader (MYNUMBERCARD_PCSC=1)")
    }

    private fun <T> session(block: (MyNumberCard) -> T): T =
        MyNumberCard(SmartcardioTransport.connect(reader)).use(block)

    @Test
    @Order(1)
    fun statusesSpendNoTry() = session { card ->
        val statuses = card.secretStatuses()
        assertEquals(SecretStatus.Remaining(3u), statuses.authPin)
        assertEquals(SecretStatus.Remaining(5u), statuses.signPin)
    }

    @Test
    @Order(2)
    fun identifyAndReadTheCertificates() = session { card ->
        assertEquals(CardKind.MyNumberCard, card.identify())
        val reference = VirtualCard()
        for (kind in listOf(CertificateKind.AUTH, CertificateKind.AUTH_CA, CertificateKind.SIGN_CA)) {
            assertArrayEquals(reference.certificateDer(kind), card.readCertificate(kind, null, LastTry.REFUSE).der)
        }
    }

    @Test
    @Order(3)
    fun signThroughPcscd() = session { card ->
        val data = "signed through javax.smartcardio".toByteArray()
        val signature = card.verifyAndSign(KeyKind.AUTH, pin("1234"), message(data), LastTry.REFUSE)
        assertTrue(verifies(VirtualCard().certificateDer(CertificateKind.AUTH), "SHA256withRSA", data, signature))
    }

    @Test
    @Order(4)
    fun eligibilityCheckPinMode() = session { card ->
        val challenge = "nonce over pcscd".toByteArray()
        val evidence = card.eligibilityCheckPin(pin("1234"), challenge, LastTry.REFUSE)
        assertTrue(verifies(evidence.certificate.der, "SHA256withRSA", challenge, evidence.signature!!))
    }

    @Test
    @Order(5)
    fun signatureCertificateWithTheSignPin() = session { card ->
        val holder = card.readCertificate(CertificateKind.SIGN, pin("ABC123"), LastTry.REFUSE).holder!!
        assertEquals("仮想　太郎", holder.name)
    }
}
