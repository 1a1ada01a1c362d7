import NIOCore

extension TimeAmount {
    /// NIO's timeouts take `TimeAmount`; configuration speaks `Duration`.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
