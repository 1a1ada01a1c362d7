import Foundation

/// Unbuffered lines on standard error, so they appear at once even when piped to a file.
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
