/// Why a test file cannot be used, one line in the compiler's form:
/// `tests/x.test.json:12:17: error: 'expect' must be "allow" or "deny"`.
public struct TestFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let location: SourceLocation?
    public let message: String

    public init(file: String, at location: SourceLocation?, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        file + (location.map { ":\($0.line):\($0.column)" } ?? "") + ": error: " + message
    }
}
