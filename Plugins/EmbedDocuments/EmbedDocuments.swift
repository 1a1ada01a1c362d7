import Foundation
import PackagePlugin

/// Embeds a target's documents, its `.json`, `.html`, `.js` and `.css` files, in the target's code at
/// build time (`DocumentEmbedder` says how they are named): the binary then stands alone, with no
/// resource bundle to ship beside it and nothing to look up at run time (`Bundle.module` stops the
/// process when its bundle is missing). The documents are the command's inputs, so a change to one
/// regenerates the Swift and recompiles the target, and nothing else.
@main
struct EmbedDocuments: BuildToolPlugin {
    static let documentExtensions: Set<String> = ["json", "html", "js", "css"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let documents = target.sourceFiles.map(\.url)
            .filter { Self.documentExtensions.contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
        guard !documents.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDocuments.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(documents.map(\.lastPathComponent).joined(separator: ", ")) in \(target.name)",
                executable: try context.tool(named: "DocumentEmbedder").url,
                arguments: [output.path] + documents.map(\.path),
                inputFiles: documents,
                outputFiles: [output])
        ]
    }
}
