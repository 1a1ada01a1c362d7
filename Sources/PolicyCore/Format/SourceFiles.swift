import Foundation

/// The files a command works on, from the paths it was given: files named directly are taken
/// whatever their name; directories are searched as the loader searches them (recursively,
/// hidden entries skipped, symbolic links followed once, sorted) for names with a given ending.
public enum SourceFiles {
    public static func expand(
        _ paths: [String], endingWith suffix: String = ".json", fileManager: FileManager = .default
    ) -> (files: [String], missing: [Diagnostic]) {
        var files: [String] = []
        var missing: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(Diagnostic(.unreadableDirectory, file: path, at: nil, "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var visited: Set<String> = []
            let found = PolicyLoader.policyFiles(in: path, visited: &visited, fileManager: fileManager)
            missing += found.problems
            files += found.files.filter { file in
                let name = file.utf8.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? []
                return name.count > suffix.utf8.count && name.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
            }
        }
        return (files, missing)
    }
}
