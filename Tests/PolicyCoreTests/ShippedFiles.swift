import Foundation

/// Files of the repository itself (`policies/`, `policy-tests/`), found from this source file
/// through any symbolic link to the tests folder (the test harness builds them through one).
enum ShippedFiles {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String {
        repositoryRoot + "/" + relative
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}
