import Foundation

extension PolicyFormatter {
    public enum FileOutcome: Sendable, Equatable {
        case canonical
        /// Not canonical: rewritten, or (when checking) would be.
        case notCanonical
        /// Not read, not parsed or not written; the file is left as it was.
        case unusable(Diagnostic)
    }

    /// Formats one file, rewriting it in place unless `rewrite` is false (`--check`).
    public static func formatFile(atPath path: String, rewrite: Bool) -> FileOutcome {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .unusable(Diagnostic(.unreadableFile, file: path, at: nil, "cannot read the file"))
        }
        let bytes = [UInt8](data)
        let text: String
        switch format(bytes, file: path) {
        case .success(let formatted): text = formatted
        case .failure(let diagnostic): return .unusable(diagnostic)
        }
        guard !text.utf8.elementsEqual(bytes) else { return .canonical }
        guard rewrite else { return .notCanonical }
        do {
            // In place, not through a renamed temporary file: a symbolic link stays a link to
            // the file it names, and the file keeps its owner and mode.
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            return .unusable(Diagnostic(.unreadableFile, file: path, at: nil, "cannot write the file: \(error.localizedDescription)"))
        }
        return .notCanonical
    }
}
