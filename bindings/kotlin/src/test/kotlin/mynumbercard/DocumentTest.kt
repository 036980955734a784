package mynumbercard

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Signatures by the key's algorithm (RSA-2048, ECDSA P-384) and signed documents (detached
 * CMS) through the Kotlin API, checked by java.security where it can (an independent
 * verifier) and by the library's verifyDocument.
 */
class DocumentTest {
    private val document = "契約書: the parties agree.\n".toByteArray()
    private val `when` = Instant.parse("2026-03-01T00:00:00Z")

    private fun setup(ecdsa: Boolean) = Setup(config().copy(ecdsaP384 = ecdsa))

    @Test
    fun signMessageFollowsTheKey() {
        for ((ecdsa, algorithm, jca) in listOf(
            Triple(false, KeyAlgorithm.Rsa(2048u), "SHA256withRSA"),
            Triple(true, KeyAlgorithm.EcdsaP384, "SHA384withECDSA"),
        )) {
            val s = setup(ecdsa)
            val signature = s.session.signMessage(KeyKind.AUTH, "1234".toByteArray(), document, LastTry.REFUSE)
            assertEquals(algorithm, signature.algorithm)
            assertEquals(if (ecdsa) 96 else 256, signature.raw.size)
            assertArrayEquals(s.card.certificateDer(CertificateKind.AUTH), signature.certificate)
            // java.security checks the DER form against the certificate's key.
            assertTrue(verifies(signature.certificate, jca, document, signature.der), jca)
            assertFalse(verifies(signature.certificate, jca, "other".toByteArray(), signature.der))
            assertEquals(1, s.card.verifiesSent())
        }
    }

    @Test
    fun aSignedDocumentVerifiesAndAChangedOneFails() {
        for ((ecdsa, digest) in listOf(false to DigestAlgorithm.SHA256, true to DigestAlgorithm.SHA384)) {
            val s = setup(ecdsa)
            val p7s = s.session.signDocument("ABC123".toByteArray(), document, `when`, LastTry.REFUSE)
            val root = s.card.certificateDer(CertificateKind.SIGN_CA)
            val verified = verifyDocument(p7s, document, false, listOf(root), `when`)
            assertEquals(digest, verified.digestAlgorithm)
            assertEquals(if (ecdsa) KeyAlgorithm.EcdsaP384 else KeyAlgorithm.Rsa(2048u), verified.keyAlgorithm)
            assertEquals(`when`, verified.signingTime)
            assertEquals(CertificateKind.SIGN, verified.signer.kind)
            assertTrue(verified.signingCertificateBound)
            assertNull(verified.rootGeneration)
            val changed = document.copyOf().also { it[0] = (it[0].toInt() xor 1).toByte() }
            assertThrows<DocumentException.DigestMismatch> {
                verifyDocument(p7s, changed, false, listOf(root), `when`)
            }
            assertThrows<DocumentException.Untrusted> {
                verifyDocument(p7s, document, true, emptyList(), `when`)
            }
        }
    }

    @Test
    fun theEligibilityCheckReportsTheP384Key() {
        val s = setup(true)
        val challenge = "nonce".toByteArray()
        val evidence = s.session.eligibilityCheckPin("1234".toByteArray(), challenge, LastTry.REFUSE)
        assertEquals(KeyAlgorithm.EcdsaP384, evidence.keyAlgorithm)
        assertTrue(verifies(evidence.certificate.der, "SHA384withECDSA", challenge, evidence.signature!!))
    }
}
