package mynumbercard

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The genuineness check, the age record and visual mode's verdict from Kotlin, against the
 * virtual card through a Kotlin transport: a genuine card proven only with test keys accepted,
 * a replaced photo and a clone caught by name, the birth-date key behind the guard.
 */
class GenuineTest {
    private fun key(text: String) = text.toByteArray(Charsets.US_ASCII)

    @Test
    fun theVirtualCardIsGenuineOnlyWithTestKeysAccepted() {
        val s = Setup()
        val verdict = s.session.checkGenuine(
            GenuineOpener.BIRTH_DATE, key("020101"), true, "challenge".toByteArray(), false, LastTry.REFUSE,
        )
        assertTrue(verdict.genuine, verdict.summary)
        assertEquals(Hierarchy.TEST, verdict.hierarchy)
        assertEquals("9000023/001", verdict.caKeyId)
        assertArrayEquals("challenge".toByteArray(), verdict.challengeBytes)
        assertEquals(CalendarDate(1990u, 1u, 1u), verdict.ageRecord!!.birthDate)

        val production = s.session.checkGenuine(
            GenuineOpener.BIRTH_DATE, key("020101"), false, null, false, LastTry.REFUSE,
        )
        assertFalse(production.genuine)
        assertEquals(NotProvenReason.TEST_HIERARCHY_NOT_ACCEPTED, production.firstFailure)
        assertFalse(production.certificate.proven)
        assertTrue(production.record.proven && production.challenge.proven)
    }

    @Test
    fun aReplacedPhotoAndACloneAreCaught() {
        val photo = Setup(VirtualCardConfig(photoReplacedAfterSigning = true))
        val face = photo.session.checkGenuine(
            GenuineOpener.ACCESS_CODE_B, key("02010120351234"), true, null, false, LastTry.REFUSE,
        )
        assertEquals(NotProvenReason.BAD_RECORD_SIGNATURE, face.firstFailure)
        assertNotNull(face.cardFace)

        val clone = Setup(VirtualCardConfig(cloned = true))
        val verdict = clone.session.checkGenuine(
            GenuineOpener.BIRTH_DATE, key("020101"), true, null, false, LastTry.REFUSE,
        )
        assertEquals(NotProvenReason.WRONG_CHALLENGE_ANSWER, verdict.firstFailure)
        assertEquals(NotProvenReason.WRONG_CHALLENGE_ANSWER, verdict.challenge.reason)
    }

    @Test
    fun visualModeCarriesTheVerdict() {
        val s = Setup()
        val evidence = s.session.eligibilityCheckVisualGenuine(
            GenuineOpener.ACCESS_CODE_B, key("02010120351234"), true, LastTry.REFUSE,
        )
        assertTrue(evidence.genuineness!!.genuine)
        assertNotNull(evidence.cardFace)
        assertNull(s.session.eligibilityCheckVisual(null).genuineness)
    }

    @Test
    fun theBirthDateKeyIsCheckedAndGuarded() {
        val s = Setup()
        assertThrows<CardException.InvalidFormat> {
            s.session.checkGenuine(GenuineOpener.BIRTH_DATE, key("021301"), true, null, false, LastTry.REFUSE)
        }
        assertEquals(0uL, s.card.apduCount(), "refused before anything is sent")
        val wrong = assertThrows<CardException.WrongAccessCode> {
            s.session.checkGenuine(GenuineOpener.BIRTH_DATE, key("020102"), true, null, false, LastTry.REFUSE)
        }
        assertEquals(SecretName.BIRTH_DATE_KEY, wrong.secret)
        assertEquals(2.toUByte(), wrong.triesLeft)
        assertEquals(2.toUByte(), s.card.birthDateKeyTriesLeft())
        assertArrayEquals(key("020101"), birthDateKey(CalendarDate(1990u, 1u, 1u)))
    }

    @Test
    fun agesAsJapaneseLawCountsThem() {
        val leap = CalendarDate(2004u, 2u, 29u)
        assertEquals(17.toUShort(), ageOn(leap, CalendarDate(2022u, 2u, 28u)))
        assertEquals(18.toUShort(), ageOn(leap, CalendarDate(2022u, 3u, 1u)))
        assertTrue(isAtLeast(leap, 18u, CalendarDate(2022u, 3u, 1u)))
        assertFalse(isAtLeast(leap, 18u, CalendarDate(2022u, 2u, 28u)))
        assertNull(ageOn(leap, CalendarDate(2000u, 1u, 1u)))
    }
}
