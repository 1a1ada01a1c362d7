import Foundation
/// POSIX shell single quoting, so a printed command pastes safely whatever the values contain.
enum ShellQuoting {
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
