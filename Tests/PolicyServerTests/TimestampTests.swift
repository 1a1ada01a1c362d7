import Foundation
import PolicyCore
import PolicyDigest
import Testing

@testable import PolicyServer

/// The one way policyd writes a moment, against Foundation's ISO 8601 formatter it replaced.
@Suite struct TimestampTests {
    @Test func itWritesWhatFoundationsFormatterWrites() {
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var random = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.5), Date(timeIntervalSince1970: 4_102_444_799.999)]
        for _ in 0..<2000 {
            dates.append(Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_799_999, using: &random)) / 1000))
        }
        for date in dates {
            #expect(Timestamp.text(date) == date.formatted(format), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func anAuditLineIsOneLineOfJSON() throws {
        let record = AuditRecord(
            time: Date(timeIntervalSince1970: 1_796_191_601.25), endpoint: "authorise", service: "svc", type: .route,
            version: 2, route: "/a?token=secret", routeTemplate: nil, method: "GET",
            decision: .denied(.noMatchingRoute), subject: "a\"b", issuer: nil, tokenSource: "query",
            latency: .microseconds(-3), policyRevision: PolicyRevision(of: PolicySet([])))
        var bytes: [UInt8] = []
        record.write(into: &bytes)
        #expect(bytes.last == UInt8(ascii: "\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["time"] as? String == "2026-12-02T06:06:41.250Z")
        #expect(object["route"] as? String == "/a")
        #expect(object["sub"] as? String == "a\"b")
        #expect(object["iss"] is NSNull)
        #expect(object["latency_us"] as? Int == -3)
        #expect(object["version"] as? Int == 2)
        #expect(object["policy_revision"] as? String == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
