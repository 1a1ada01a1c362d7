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

    /// Nil when some part of the tree could not be read (no descriptors left, a folder without
    /// permission): a fingerprint of less than the tree must not look like a change and set off a
    /// reload. An entry whose target is gone is recorded as such: that is a change, and the reload
    /// it causes fails with its own finding.
    init?(directory: String, fileManager: FileManager = .default) {
        var entries: [Entry] = []
        guard Self.collect(directory, depth: 0, into: &entries, fileManager) else { return nil }
        self.entries = entries
    }

    /// Depth-bounded so that a link cycle cannot keep the watch busy.
    private static func collect(_ directory: String, depth: Int, into entries: inout [Entry], _ fileManager: FileManager)
        -> Bool
    {
        guard depth < 32 else { return true }
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return false }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = directory + "/" + name
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try fileManager.attributesOfItem(atPath: resolved)
            } catch {
                // Gone (a dangling link) is a state of the tree; anything else is a failure to read it.
                guard (try? fileManager.attributesOfItem(atPath: path)) != nil, !fileManager.fileExists(atPath: resolved)
                else { return false }
                entries.append(Entry(path: path, resolvedPath: resolved, size: 0, modified: nil))
                continue
            }
            entries.append(Entry(
                path: path, resolvedPath: resolved,
                size: (attributes[.size] as? NSNumber)?.uint64Value ?? 0,
                modified: attributes[.modificationDate] as? Date))
            if (attributes[.type] as? FileAttributeType) == .typeDirectory {
                guard collect(path, depth: depth + 1, into: &entries, fileManager) else { return false }
            }
        }
        return true
    }
}
