import ServiceLifecycle

/// Writes the audit log's buffer out every `AuditLog.flushInterval`, and a last time at shutdown,
/// once the shadow decisions still waiting for a token check have ended or been given up
/// (`shadowWaitLimit`): their calls' records are written either way.
struct AuditFlushService: Service {
    let log: AuditLog
    let shadow: ShadowDecisions?
    let shadowWaitLimit: Duration

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: AuditLog.flushInterval)
            } catch {
                break
            }
            log.flush()
        }
        await shadow?.waiting.finish(within: shadowWaitLimit)
        log.flush()
    }
}
