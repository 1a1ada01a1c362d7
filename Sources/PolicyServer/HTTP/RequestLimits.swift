/// What one authorisation call may send. The head's size, the idle timeout and the body's arrival
/// time are enforced in the HTTP server itself (see `PolicyServer.makeApplication`).
struct RequestLimits: Sendable {
    let maximumBodyBytes: Int
    let maximumParameters: Int
}
