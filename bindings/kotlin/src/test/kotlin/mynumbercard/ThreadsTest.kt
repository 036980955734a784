package mynumbercard

import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** One card object called from several JVM threads at once: calls are serialized. */
class ThreadsTest {
    @Test
    fun callsFromSeveralThreadsAtOnce() {
        val s = Setup()
        val pool = Executors.newFixedThreadPool(4)
        try {
            val tasks = (0 until 4).map { i ->
                Callable {
                    repeat(5) {
                        if (i % 2 == 0) {
                            val signature = s.session.verifyAndSign(
                                KeyKind.AUTH, pin("1234"), message(byteArrayOf(i.toByte())), LastTry.REFUSE,
                            )
                            assertEquals(256, signature.size)
                        } else {
                            val certificate = s.session.readCertificate(CertificateKind.AUTH, null, LastTry.REFUSE)
                            assertEquals(CertificateKind.AUTH, certificate.kind)
                        }
                    }
                }
            }
            for (future in pool.invokeAll(tasks)) {
                future.get() // rethrows a failed assertion
            }
        } finally {
            pool.shutdown()
            pool.awaitTermination(10, TimeUnit.SECONDS)
        }
        assertEquals(10, s.card.verifiesSent(), "each signature sent its PIN once")
        assertEquals(3.toUByte(), s.card.triesLeft(SecretKind.AUTH_PIN))
        assertTrue(s.transport.threads.size >= 2, "the transport ran on the callers' threads")
    }
}
