/// Rows of cells, each cell one or more lines, as a terminal shows them (columns padded with
/// spaces, a header line) or as Markdown renders them (a pipe table, lines joined by `<br>`).
struct TextTable {
    let header: [String]
    var rows: [[[String]]] = []

    init(header: [String]) {
        self.header = header
    }

    mutating func append(_ row: [[String]]) {
        rows.append(row)
    }

    /// Indented by `indent`; the last column is not padded.
    func lines(indent: String = "  ") -> [String] {
        let widths = header.indices.map { column in
            ([header[column]] + rows.flatMap { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, text in
                column == cells.count - 1 ? text : text + String(repeating: " ", count: widths[column] - text.count)
            }
            return indent + padded.joined(separator: "  ")
        }
        var lines = [line(header)]
        for row in rows {
            let height = row.map(\.count).max() ?? 0
            for index in 0..<max(height, 1) {
                lines.append(line(row.map { index < $0.count ? $0[index] : "" }))
            }
        }
        return lines
    }

    /// Cells are code (between backticks) when `code` says so for their column.
    func markdown(code: [Bool]) -> [String] {
        func cell(_ lines: [String], _ column: Int) -> String {
            lines.map { text in
                let escaped = text.replacingOccurrences(of: "|", with: "\\|")
                return code[column] ? Self.codeSpan(escaped) : escaped
            }.joined(separator: "<br>")
        }
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
        for row in rows {
            lines.append("| " + row.enumerated().map { cell($1, $0) }.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// `text` as one code span whatever backticks it holds (CommonMark): fenced by one more backtick
    /// than its longest run of them, with a space inside the fence when it starts or ends with one.
    static func codeSpan(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + padding + text + padding + fence
    }
}
