import CoreMetrics
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore

/// The connections policyd holds at once: `--max-connections` in all, and `--max-connections-per-peer`
/// from one address. At the first limit the listening socket is not read, and new clients wait in the
/// backlog until a connection closes (accepting past the descriptor limit fails again and again:
/// `DescriptorBudget`). At the second, a new connection is closed as soon as it is accepted: it would
/// otherwise wait in the backlog that every other client shares. Without it, one client holding
/// `--max-connections` idle connections kept every other client out for the whole idle timeout.
///
/// Hummingbird's accept loop counts every connection through this delegate; the HTTP channel's setup
/// asks `admit` about each connection's peer.
final class ConnectionLimits: AvailableConnectionsDelegate, Sendable {
    struct PeerAtLimit: Error {}

    let maximum: Int
    let maximumPerPeer: Int
    private let refused: Counter
    private let counts = NIOLockedValueBox(Counts())

    private struct Counts {
        var open = 0
        /// Open connections by the peer's address (its port left out), for peers with one.
        var byPeer: [String: Int] = [:]
    }

    init(maximum: Int, maximumPerPeer: Int, refused: Counter) {
        self.maximum = maximum
        self.maximumPerPeer = maximumPerPeer
        self.refused = refused
    }

    func connectionOpened() {
        counts.withLockedValue { $0.open += 1 }
    }

    func connectionClosed() {
        counts.withLockedValue { $0.open -= 1 }
    }

    func isAcceptingNewConnections() -> Bool {
        counts.withLockedValue { $0.open } < maximum
    }

    /// Whether `channel`'s peer may hold one more connection; if so, it is counted until the channel
    /// closes. A channel without an IP peer (a Unix socket) is not limited.
    func admit(_ channel: any Channel) -> Bool {
        guard let peer = channel.remoteAddress?.ipAddress else { return true }
        let admitted = counts.withLockedValue { counts in
            let open = counts.byPeer[peer, default: 0]
            guard open < maximumPerPeer else { return false }
            counts.byPeer[peer] = open + 1
            return true
        }
        guard admitted else {
            refused.increment()
            return false
        }
        channel.closeFuture.whenComplete { [counts] _ in
            counts.withLockedValue { counts in
                let open = counts.byPeer[peer, default: 1] - 1
                counts.byPeer[peer] = open == 0 ? nil : open
            }
        }
        return true
    }
}
