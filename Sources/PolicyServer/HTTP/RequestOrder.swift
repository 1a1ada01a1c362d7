import NIOCore
import NIOHTTPTypes

/// HTTP/1.1's rule for one connection shared by two answerers: answers leave in the order of their
/// requests (RFC 9112 §9.3.2). The authorisation pipeline answers its calls itself and passes every
/// other request on to the framework (Hummingbird), which answers its own in order; this value says,
/// for each request part that arrives, whether the pipeline takes it, passes it on, or holds it back,
/// and when the pipeline may write an answer.
///
/// - A call of the pipeline is answered only once every request passed on before it is answered.
/// - While a call is read whole but not answered (its token being verified, or answers before it
///   still owed), what arrives next is held back, and reads from the socket are withheld, so that a
///   client that pipelines is read no faster than it is answered (at most one read's worth is held).
/// - Held parts are taken up again, in order, once the call is answered.
/// - While answers cannot be written (the connection's outbound buffer is full: a client that sends
///   and does not read), reads are withheld too, so that answers cannot pile up in memory.
///
/// A value without NIO's context, so that every sequence can be tested as it is
/// (`RequestOrderTests`), and the handler over `EmbeddedChannel` (`AuthorisationPipelineTests`).
struct RequestOrder {
    enum Phase: Equatable {
        /// No call of the pipeline in hand.
        case idle
        /// A call's head has arrived, its body is arriving.
        case readingCall
        /// A call read whole, not yet answered.
        case answeringCall
    }

    private(set) var phase = Phase.idle
    /// Requests passed on whose answers have not ended yet.
    private(set) var frameworkUnanswered = 0
    private var held = CircularBuffer<HTTPRequestPart>(initialCapacity: 4)
    /// The read the channel asked for while parts were held or answers could not be written.
    private var readWithheld = false
    /// Whether the channel takes writes (NIO's writability).
    private var writable = true
    /// An error that arrived behind held parts.
    private(set) var heldError: (any Error)?

    /// Whether anything waits to be taken up.
    var isHolding: Bool { !held.isEmpty || heldError != nil }

    /// Whether a part that arrived from the socket must wait behind others.
    func mustHold(_ part: HTTPRequestPart) -> Bool {
        if isHolding { return true }
        if case .head = part { return phase == .answeringCall }
        return false
    }

    mutating func hold(_ part: HTTPRequestPart) {
        held.append(part)
    }

    mutating func holdError(_ error: any Error) {
        heldError = error
    }

    /// The next held part that may be taken up now, if any: a body or end (of a request whose head was
    /// taken up), or a head when no call is being answered.
    mutating func nextReleased() -> HTTPRequestPart? {
        guard let first = held.first else { return nil }
        if case .head = first, phase == .answeringCall { return nil }
        return held.removeFirst()
    }

    /// The held error, once every held part is taken up and no call is being answered.
    mutating func releasedError() -> (any Error)? {
        guard held.isEmpty, phase != .answeringCall, let error = heldError else { return nil }
        heldError = nil
        return error
    }

    // MARK: What the pipeline does with the parts it is given

    mutating func callBegan() {
        phase = .readingCall
    }

    mutating func callRead() {
        phase = .answeringCall
    }

    /// A call abandoned before it was read whole (an error in its body): nothing is owed for it.
    mutating func callAbandoned() {
        phase = .idle
    }

    /// Whether the call read whole may be answered now.
    var mayAnswer: Bool { phase == .answeringCall && frameworkUnanswered == 0 }

    mutating func callAnswered() {
        phase = .idle
    }

    /// A head passed on (its body and end follow it, outside any call).
    mutating func passedOnHead() {
        frameworkUnanswered += 1
    }

    /// The framework's answer to a request has ended; returns whether the call read whole may now be
    /// answered. Never below 0: the framework's answer to bytes that were no request (a 400) ends
    /// without a head.
    mutating func frameworkAnswerEnded() -> Bool {
        frameworkUnanswered = max(0, frameworkUnanswered - 1)
        return mayAnswer
    }

    // MARK: Reads from the socket

    private var mayRead: Bool { phase != .answeringCall && held.isEmpty && writable }

    /// Whether a read the channel asks for goes on now; if not, it is remembered.
    mutating func readRequested() -> Bool {
        if !mayRead {
            readWithheld = true
            return false
        }
        return true
    }

    /// The read withheld, owed once nothing is held, no call is being answered and answers can be written.
    mutating func takeWithheldRead() -> Bool {
        guard readWithheld, mayRead else { return false }
        readWithheld = false
        return true
    }

    /// The channel's writability changed; returns whether the read withheld is owed now.
    mutating func writabilityChanged(to writable: Bool) -> Bool {
        self.writable = writable
        return takeWithheldRead()
    }
}
