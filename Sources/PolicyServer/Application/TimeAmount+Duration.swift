import NIOCore

extension TimeAmount {
    /// NIO's timeouts take `TimeAmount`; configuration speaks `Duration`.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.nanoseconds)
    }
}
