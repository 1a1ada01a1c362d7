import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

enum RunningApplication {
    struct DidNotStart: Error {}

    static let quietLogger = Logger(label: "policyd-tests") { _ in SwiftLogNoOpLogHandler() }

    /// Runs the application built by `make` until `body` returns, handing `body` the port it bound
    /// (applications are configured with port 0, so tests never collide).
    static func with<App: ApplicationProtocol, Value: Sendable>(
        _ make: (@escaping @Sendable (any Channel) async -> Void) -> App,
        _ body: @Sendable (Int) async throws -> Value
    ) async throws -> Value {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = make { channel in
            if let port = channel.localAddress?.port { portContinuation.yield(port) }
        }
        let services = ServiceGroup(configuration: .init(services: [application], logger: quietLogger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw DidNotStart() }
            do {
                let value = try await body(port)
                await services.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }
}
