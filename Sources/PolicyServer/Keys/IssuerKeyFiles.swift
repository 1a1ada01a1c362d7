import Foundation
import NIOConcurrencyHelpers
import PolicyTokens

/// The issuer keys configured as files (`--issuer-jwks ISSUER=FILE`), read at start and again on
/// SIGHUP, so that a key withdrawn from a file stops verifying without a restart.
final class IssuerKeyFiles: Sendable {
    private struct Loaded: Sendable {
        let path: String
        let keys: IssuerKeys
    }

    struct Reload: Sendable {
        /// Issuers whose file now holds another key set: their cached verifications must go.
        var changed: [String] = []
        /// Files that could not be read or held no usable key; their issuers keep their last good keys.
        var failures: [(issuer: String, problem: ConfigurationError)] = []
    }

    private let files: NIOLockedValueBox<[String: Loaded]>

    /// Every file must read: policyd does not start on a key file it cannot use.
    init(paths: [String: String]) throws(ConfigurationError) {
        var loaded: [String: Loaded] = [:]
        for (issuer, path) in paths {
            switch Self.read(path) {
            case .success(let keys): loaded[issuer] = Loaded(path: path, keys: keys)
            case .failure(let problem): throw ConfigurationError("issuer JWKS for \(issuer): \(problem)")
            }
        }
        files = NIOLockedValueBox(loaded)
    }

    func path(of issuer: String) -> String? {
        files.withLockedValue { $0[issuer]?.path }
    }

    func keys(of issuer: String) -> IssuerKeys? {
        files.withLockedValue { $0[issuer]?.keys }
    }

    /// Reads every file again. A file that no longer reads is a failure and changes nothing: a key
    /// set is replaced whole by one that reads, never by less.
    func reload() -> Reload {
        let current = files.withLockedValue { $0 }
        var result = Reload()
        var replaced = current
        for (issuer, file) in current.sorted(by: { $0.key < $1.key }) {
            switch Self.read(file.path) {
            case .failure(let problem):
                result.failures.append((issuer, problem))
            case .success(let keys) where keys.document != file.keys.document:
                replaced[issuer] = Loaded(path: file.path, keys: keys)
                result.changed.append(issuer)
            case .success:
                break
            }
        }
        files.withLockedValue { $0 = replaced }
        return result
    }

    private static func read(_ path: String) -> Result<IssuerKeys, ConfigurationError> {
        guard let data = FileManager.default.contents(atPath: path), let keys = try? IssuerKeys(jwksJSON: data),
              !keys.keyIDs.isEmpty
        else { return .failure(ConfigurationError("\(path) is not a readable JWKS file with a usable key")) }
        return .success(keys)
    }
}
