import ServiceLifecycle

/// Writes the audit log's buffer out every `AuditLog.flushInterval`, and a last time at shutdown.
struct AuditFlushService: Service {
    let log: AuditLog

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: AuditLog.flushInterval)
            } catch {
                break
            }
            log.flush()
        }
        log.flush()
    }
}
