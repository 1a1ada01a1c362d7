#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// How many connections the process's file-descriptor limit can hold beside what policyd has open
/// already (event loops, logs) and will open later (policy files, key fetches, introspection). At the
/// limit, NIO's accept fails over and over without backing off: measured before this bound, one core
/// spun at 100% and no client was answered, not even after other connections closed. Below
/// `--max-connections`, the listening socket is simply not read, and new clients wait in the backlog.
enum DescriptorBudget {
    /// Kept free for what policyd opens besides connections: an eighth of the limit, from 16 to 128.
    static func reserved(under limit: Int) -> Int {
        max(16, min(128, limit / 8))
    }

    #if canImport(Glibc)
    private static let resource = Int32(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    /// `wanted`, or fewer when the descriptor limit cannot hold them: the soft limit is first raised
    /// towards the hard one, as far as needed.
    static func connections(wanted: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return wanted }
        let open = openDescriptors(below: Int(min(limit.rlim_cur, 1 << 20)))
        let needed = rlim_t(open + wanted + reserved(under: wanted))
        if limit.rlim_cur < needed, limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        let current = Int(limit.rlim_cur)
        let possible = max(1, current - open - reserved(under: current))
        guard possible < wanted else { return wanted }
        logger.warning(
            "the file-descriptor limit holds fewer connections than --max-connections asks for",
            metadata: [
                "max_connections": "\(wanted)", "descriptor_limit": "\(current)", "descriptors_open": "\(open)",
                "serving_at_most": "\(possible)",
            ])
        return possible
    }

    /// Descriptors open now (once, at start): the entries of `/proc/self/fd` where there is one (less
    /// the one that lists it), else each number below `bound` asked in turn.
    private static func openDescriptors(below bound: Int) -> Int {
        if let directory = opendir("/proc/self/fd") {
            defer { closedir(directory) }
            var entries = 0
            while let entry = readdir(directory) {
                if entry.pointee.d_name.0 != UInt8(ascii: ".") { entries += 1 }
            }
            return max(0, entries - 1)
        }
        var open = 0
        for descriptor in 0..<Int32(min(bound, 1 << 16)) where fcntl(descriptor, F_GETFD) != -1 { open += 1 }
        return open
    }
}
