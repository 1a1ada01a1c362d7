import Logging
import ServiceLifecycle
import Synchronization

/// Whether policyd is shutting down: `/health` answers 503 from the moment it is.
final class DrainState: Sendable {
    private let draining = Atomic(false)

    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func begin() { draining.store(true, ordering: .relaxed) }
}

/// The first step of a graceful shutdown: `/health` turns 503 and the server keeps answering for
/// `delay`, so that a load balancer (a Kubernetes Service) stops sending new requests before the
/// server stops accepting them. Put it after the application in the service group: a group shuts
/// its services down last first, so the application's own drain of in-flight requests comes next.
public struct ShutdownDrain: Service {
    let state: DrainState
    let delay: Duration
    let logger: Logger

    public func run() async throws {
        // Returns when the group shuts down gracefully (or is cancelled).
        try? await gracefulShutdown()
        state.begin()
        logger.notice("shutting down: /health answers 503; new requests still served for \(delay)")
        try? await Task.sleep(for: delay)
    }
}
