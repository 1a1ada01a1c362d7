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
    static let idleTimeout = TimeAmount.milliseconds(300)

    static func channel(gate: ReadGate) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            RequestReadDeadline(
                firstByteTimeout: .seconds(5), headTimeout: .seconds(5), bodyTimeout: bodyTimeout, idleTimeout: idleTimeout),
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

    /// A request read whole and answered, then nothing: idle.
    @Test func anIdleConnectionIsClosedOnceNothingIsOwed() throws {
        let channel = try Self.channel(gate: ReadGate())
        try Self.headWithoutBody(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.read()
        Self.waitPastTheBodyTimeout(channel)
        #expect(channel.isActive, "an answer is owed: policyd is busy, not the client")
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        Self.waitPastTheBodyTimeout(channel)
        #expect(!channel.isActive)
    }

    /// The probe's case: a call waits for its verification (its answer owed, reads withheld), and a
    /// request behind it has sent its head: neither the body clock nor the idle clock may run out.
    /// Hummingbird's idle timeout closed such a connection, with the call's answer unsent.
    @Test func aRequestHeldBehindAWaitingCallOutlivesEveryClock() throws {
        let gate = ReadGate()
        let channel = try Self.channel(gate: gate)
        try Self.headWithoutBody(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        gate.open = false
        try Self.headWithoutBody(channel)
        channel.read()
        Self.waitPastTheBodyTimeout(channel)
        Self.waitPastTheBodyTimeout(channel)
        #expect(channel.isActive)
    }

    /// A client that sends and never reads its answers: once the connection takes no more writes for
    /// the idle timeout, it is closed, answers owed or not (it was held for ever, found by a probe).
    @Test func aClientThatTakesNoAnswerIsClosed() throws {
        let channel = try Self.channel(gate: ReadGate())
        try Self.headWithoutBody(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.read()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        Self.waitPastTheBodyTimeout(channel)
        #expect(!channel.isActive)
    }
}
