import Foundation

/// What the policy directory looks like on disk, cheaply: every visible entry's path, the file it
/// resolves to, size and modification time. Resolving links matters because Kubernetes updates a
/// mounted ConfigMap by swapping a hidden symbolic link, leaving the visible paths unchanged.
struct PolicyDirectoryFingerprint: Equatable {
    private struct Entry: Equatable {
        let path: String
        let resolvedPath: String
        let size: UInt64
        let modified: Date?
    }

    private let entries: [Entry]

    init(directory: String) {
        var entries: [Entry] = []
        Self.collect(directory, depth: 0, into: &entries)
        self.entries = entries
    }

    /// Depth-bounded so that a link cycle cannot keep the watch busy.
    private static func collect(_ directory: String, depth: Int, into entries: inout [Entry]) {
        guard depth < 32, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = directory + "/" + name
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
            entries.append(Entry(
                path: path, resolvedPath: resolved,
                size: (attributes?[.size] as? NSNumber)?.uint64Value ?? 0,
                modified: attributes?[.modificationDate] as? Date))
            if (attributes?[.type] as? FileAttributeType) == .typeDirectory {
                collect(path, depth: depth + 1, into: &entries)
            }
        }
    }
}
