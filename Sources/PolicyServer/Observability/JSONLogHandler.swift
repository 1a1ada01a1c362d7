import Foundation
import Logging
import PolicyCore

/// swift-log records as JSON lines, for log collectors: `{"time", "level", "label", "message",
/// "source", …metadata}`. Terminals get swift-log's own readable lines instead (`--log-format`).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var members = [
            JSONMember("time", .string(Timestamp.text(Date()))),
            JSONMember("level", .string(event.level.rawValue)),
            JSONMember("label", .string(label)),
            JSONMember("message", .string(event.message.description)),
            JSONMember("source", .string(event.source)),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            members.append(JSONMember(key, Self.json(value)))
        }
        write(JSONWriter.string(.object(members), style: .compact) + "\n")
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }


    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members): .object(members.sorted { $0.key < $1.key }.map { JSONMember($0.key, json($0.value)) })
        }
    }
}
