import Foundation
@testable import PolicyCore

/// A policy document with the required fields filled in, and `extra` members merged in last
/// (as JSON text, so that a test can write exactly the source it means).
func policySource(
    name: String = "svc", type: String = "route", version: String = "1", rootGroup: String? = nil,
    roles: String = #"{"any": [], "admin": ["{root_group}/roles/admin"]}"#, body: String
) -> String {
    var fields = [
        #""name": "\#(name)""#, #""type": "\#(type)""#, #""version_number": \#(version)"#,
        #""iam_subgroup_name": "\#(name)""#, #""expected_token_issuer": "https://issuer.example""#,
        #""expected_token_audience": "\#(name)""#,
    ]
    if let rootGroup { fields.append(#""root_group": "\#(rootGroup)""#) }
    fields.append(#""roles": \#(roles)"#)
    fields.append(body)
    return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
}

func loadPolicy(_ source: String, file: String = "test.json", matcher: RouteMatcherKind = .trie) throws -> Policy {
    try PolicyLoader(matcherKind: matcher).loadPolicy(bytes: Array(source.utf8), file: file).get()
}

/// The diagnostics of a source that must fail to load.
func diagnostics(_ source: String, file: String = "test.json") -> [Diagnostic] {
    switch PolicyLoader().loadPolicy(bytes: Array(source.utf8), file: file) {
    case .success: return []
    case .failure(let error): return error.diagnostics
    }
}

extension Policy {
    func route(
        _ route: String, method: String? = nil, params: Parameters = Parameters(), groups: [String]
    ) -> Decision {
        decide(RouteQuery(service: name, route: route, method: method, parameters: params), groups: CallerGroups(groups))
    }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "policyd-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ relativePath: String, _ contents: String) {
        let full = path + "/" + relativePath
        try! FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! contents.write(toFile: full, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The repository's root, whatever its folder is called.
let packageDirectory: String = {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// `shared/reference/conformance`, beside the repository (as CI lays it out).
let conformanceDirectory = sharedReference("conformance")

/// `shared/reference/conformance-nested`: the public sample of spec 2.6's cases.
let nestedConformanceDirectory = sharedReference("conformance-nested")

private func sharedReference(_ folder: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("shared/reference/" + folder).path
}

/// Runs CPU-bound work on a thread of its own at the lowest scheduling priority, and waits for it
/// without holding a thread of the concurrency pool. The suites run side by side on two cores, and
/// seconds of one test's computing on the pool made other suites' timers and servers late.
func atLowPriority<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            #if os(Linux)
            // On Linux the nice value is each thread's own (setpriority(2), NOTES): this one's alone.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            continuation.resume(returning: work())
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
