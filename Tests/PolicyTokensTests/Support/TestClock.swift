import Foundation

/// A settable clock for injecting into `now:` parameters.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Tokens.now) {
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }

    var reading: @Sendable () -> Date { { self.now } }
}
