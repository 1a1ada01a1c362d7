import Foundation
import PolicyCore

/// The policy files the console shows, read again at every request and analysed again when
/// their bytes change: a file broken or mended on disk shows at the page's next poll (every
/// 500 ms). A policy tree is a few small files, so reading it costs less than watching it.
final class ConsoleWorkspace: @unchecked Sendable {
    struct State {
        /// Counts the changes seen, so the page redraws only when something changed.
        let generation: Int
        /// `policyc lint` of the paths: policyd loads them only when no finding is an error.
        let diagnostics: [Diagnostic]
        /// Every file that loads on its own: what the what-if form decides against.
        let policies: PolicySet
        /// Each file's bytes, for the lines around a diagnostic.
        let sources: [String: [UInt8]]
    }

    let paths: [String]
    /// At most this many alternatives are listed a rule (`--max-alternatives`).
    let alternativeLimit: Int
    private let lock = NSLock()
    private var files: [String] = []
    private var contents: [[UInt8]] = []
    private var state: State?

    init(paths: [String], alternativeLimit: Int = GrantAlternatives.defaultLimit) {
        self.paths = paths
        self.alternativeLimit = alternativeLimit
    }

    func current() -> State {
        lock.lock()
        defer { lock.unlock() }
        let found = SourceFiles.expand(paths).files
        let read = found.map { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } ?? [] }
        if let state, found == files, read == contents { return state }
        files = found
        contents = read
        let loader = PolicyLoader()
        let policies = zip(found, read).compactMap { file, bytes in try? loader.loadPolicy(bytes: bytes, file: file).get() }
        let state = State(
            generation: (state?.generation ?? 0) + 1, diagnostics: PolicyLinter().lint(paths: paths),
            policies: PolicySet(policies), sources: Dictionary(zip(found, read), uniquingKeysWith: { first, _ in first }))
        self.state = state
        return state
    }
}
