import Foundation
import StrictDocuments
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-11-28T12:00:00Z", 1_795_867_200.0), ("2026-11-28T13:00:00+01:00", 1_795_867_200.0),
        ("2026-11-28T12:00:00.250Z", 1_795_867_200.25), ("2026-11-28t07:30:00-04:30", 1_795_867_200.0),
    ])
    func parsesRFC3339(text: String, seconds: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["2026-11-28", "2026-11-28 12:00:00Z", "2026-02-30T00:00:00Z", "2026-11-28T12:00:00", "28/11/2026", ""])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatsInUTCWithMillisecondsOnlyWhenPresent() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_867_200)) == "2026-11-28T12:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_867_200.25)) == "2026-11-28T12:00:00.250Z")
    }
}
