import Foundation
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import PolicyServer
import Testing

/// `RequestReadDeadline` over `EmbeddedChannel`: the clocks of a request's head and body run only
/// while policyd reads. The checks run on the embedded loop's time; the clocks read the real one,
/// so the tests wait for real, with short timeouts.
@Suite struct RequestReadDeadlineTests {
    /// Stands for the handlers behind the deadline that may withhold reads (the authorisation pipeline).
    final class ReadGate: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = Any
        var open = true
        func read(context: ChannelHandlerContext) {
            if open { context.read() }
        }
    }

    static let bodyTimeout = TimeAmount.milliseconds(200)

    static func channel(gate: ReadGate) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            RequestReadDeadline(firstByteTimeout: .seconds(5), headTimeout: .seconds(5), bodyTimeout: bodyTimeout),
            gate,
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// A head arrives and its read cycle ends; the body has not come.
    static func headWithoutBody(_ channel: EmbeddedChannel) throws {
        let head = HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/authorise/route/s")
        try channel.writeInbound(HTTPRequestPart.head(head))
        _ = try channel.readInbound(as: HTTPRequestPart.self)
    }

    /// Past the body timeout for real, and every check due by then run (the first comes a quarter of
    /// the first-byte timeout after the connection opens).
    static func waitPastTheBodyTimeout(_ channel: EmbeddedChannel) {
        Thread.sleep(forTimeInterval: 0.4)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
    }

    @Test func aBodyThatDoesNotComeWhilePolicydReadsIsCutOff() throws {
        let gate = ReadGate()
        let channel = try Self.channel(gate: gate)
        try Self.headWithoutBody(channel)
        channel.read()
        Self.waitPastTheBodyTimeout(channel)
        #expect(!channel.isActive)
    }

    /// A request held behind a call that waits: policyd reads nothing, so the body cannot come, and
    /// the connection stays; once reads resume the clock starts again.
    @Test func theClockWaitsWhileReadsAreWithheld() throws {
        let gate = ReadGate()
        gate.open = false
        let channel = try Self.channel(gate: gate)
        try Self.headWithoutBody(channel)
        channel.read()
        Self.waitPastTheBodyTimeout(channel)
        #expect(channel.isActive, "not read, so not late")
        gate.open = true
        channel.read()
        Self.waitPastTheBodyTimeout(channel)
        #expect(!channel.isActive, "read again, and the body still did not come")
    }

    /// Reads withheld because answers cannot be written: the client does not read them, and is the
    /// slow one.
    @Test func theClockRunsWhileTheClientDoesNotReadItsAnswers() throws {
        let gate = ReadGate()
        gate.open = false
        let channel = try Self.channel(gate: gate)
        try Self.headWithoutBody(channel)
        channel.isWritable = false
        channel.read()
        Self.waitPastTheBodyTimeout(channel)
        #expect(!channel.isActive)
    }
}
