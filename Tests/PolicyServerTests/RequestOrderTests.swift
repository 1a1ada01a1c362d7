import HTTPTypes
import NIOHTTPTypes
@testable import PolicyServer
import Testing

/// `RequestOrder` as a value: every step of the rule that answers leave in the order of requests.
@Suite struct RequestOrderTests {
    static let head = HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/"))

    @Test func aCallWaitsForEveryAnswerOwedBeforeIt() {
        var order = RequestOrder()
        order.passedOnHead()
        order.passedOnHead()
        order.callBegan()
        order.callRead()
        #expect(!order.mayAnswer)
        do {
            let step = order.frameworkAnswerEnded()
            #expect(!step)
        }
        do {
            let step = order.frameworkAnswerEnded()
            #expect(step)
        }
        order.callAnswered()
        #expect(order.phase == .idle)
    }

    @Test func whatArrivesBehindAWaitingCallIsHeldAndTakenUpInOrder() {
        var order = RequestOrder()
        order.callBegan()
        #expect(!order.mustHold(.body(.init())), "the call's own body is read")
        order.callRead()
        let parts: [HTTPRequestPart] = [Self.head, .body(.init(string: "x")), .end(nil)]
        #expect(order.mustHold(parts[0]))
        order.hold(parts[0])
        #expect(order.mustHold(parts[1]), "behind a held head")
        order.hold(parts[1])
        order.hold(parts[2])
        do {
            let step = order.nextReleased()
            #expect(step == nil, "not while the call waits")
        }
        order.callAnswered()
        var released: [HTTPRequestPart] = []
        while let part = order.nextReleased() { released.append(part) }
        #expect(released == parts)
    }

    /// A held head that begins another call stops the taking up; its body parts are still taken.
    @Test func takingUpStopsAtTheNextCallsAnswer() {
        var order = RequestOrder()
        order.callBegan()
        order.callRead()
        for part in [Self.head, .body(.init(string: "x")), .end(nil), Self.head] { order.hold(part) }
        order.callAnswered()
        do {
            let step = order.nextReleased()
            #expect(step == Self.head)
        }
        order.callBegan()
        do {
            let step = order.nextReleased()
            #expect(step == .body(.init(string: "x")))
        }
        do {
            let step = order.nextReleased()
            #expect(step == .end(nil))
        }
        order.callRead()
        do {
            let step = order.nextReleased()
            #expect(step == nil)
        }
        #expect(order.isHolding)
    }

    @Test func readsAreWithheldWhileHoldingAndOwedAfter() {
        var order = RequestOrder()
        do {
            let step = order.readRequested()
            #expect(step)
        }
        order.callBegan()
        do {
            let step = order.readRequested()
            #expect(step, "a call's body must be read")
        }
        order.callRead()
        do {
            let step = order.readRequested()
            #expect(!step)
        }
        do {
            let step = order.takeWithheldRead()
            #expect(!step)
        }
        order.callAnswered()
        do {
            let step = order.takeWithheldRead()
            #expect(step)
        }
        do {
            let step = order.takeWithheldRead()
            #expect(!step, "made once")
        }
    }

    @Test func anErrorBehindHeldPartsWaitsForThem() {
        struct Broken: Error {}
        var order = RequestOrder()
        order.callBegan()
        order.callRead()
        order.hold(Self.head)
        order.holdError(Broken())
        order.callAnswered()
        do {
            let step = order.releasedError()
            #expect(step == nil, "not before the held head")
        }
        _ = order.nextReleased()
        do {
            let step = order.releasedError()
            #expect(step is Broken)
        }
    }

    /// The framework's 400 to bytes that were no request ends an answer no head asked for.
    @Test func anAnswerWithoutARequestCountsNothing() {
        var order = RequestOrder()
        do {
            let step = order.frameworkAnswerEnded()
            #expect(!step)
        }
        order.callBegan()
        order.callRead()
        #expect(order.mayAnswer)
    }

    /// Reads wait while answers cannot be written, and while a call waits; the one withheld is made
    /// once neither holds, whichever ends last.
    @Test func readsWaitForWritabilityAndForTheCall() {
        var order = RequestOrder()
        let owedOnBlocking = order.writabilityChanged(to: false)
        #expect(!owedOnBlocking, "no read was withheld")
        let readWhileBlocked = order.readRequested()
        #expect(!readWhileBlocked)
        order.callBegan()
        order.callRead()
        let owedWhileTheCallWaits = order.writabilityChanged(to: true)
        #expect(!owedWhileTheCallWaits)
        order.callAnswered()
        let owedOnceAnswered = order.takeWithheldRead()
        #expect(owedOnceAnswered)
        let owedAgain = order.takeWithheldRead()
        #expect(!owedAgain, "made once")
        let readNow = order.readRequested()
        #expect(readNow)
    }
}
