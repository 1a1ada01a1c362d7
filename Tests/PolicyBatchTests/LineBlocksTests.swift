import Foundation
import Testing
@testable import PolicyBatch

@Suite struct LineBlocksTests {
    /// Blocks of whole lines, numbered from 1 with blank lines counted; the buffer grows only for a
    /// line longer than a block, and the input's last line may lack its newline.
    @Test func blocksOfWholeLines() throws {
        let lines = ["{\"a\":1}", "", "{\"b\":22}", String(repeating: "x", count: 40), "{}", "last"]
        let file = TemporaryFile(lines.joined(separator: "\n"))
        var blocks = LineBlocks(descriptor: file.descriptor, ownsDescriptor: false, blockBytes: 16)
        var seen: [(text: String, firstLine: Int)] = []
        while try blocks.next({ block, firstLine in seen.append((String(decoding: block, as: UTF8.self), firstLine)) }) {}
        #expect(seen.map(\.text).joined() == lines.joined(separator: "\n"))
        for block in seen.dropLast() where !block.text.isEmpty { #expect(block.text.hasSuffix("\n")) }
        var number = 1
        for block in seen {
            #expect(block.firstLine == number)
            number += block.text.count { $0 == "\n" }
        }
        #expect(blocks.bufferBytes >= 40 && blocks.bufferBytes <= 64)
    }

    @Test func shortLinesKeepTheBlockSize() throws {
        let file = TemporaryFile(String(repeating: "{\"type\":\"route\"}\n", count: 1000))
        var blocks = LineBlocks(descriptor: file.descriptor, ownsDescriptor: false, blockBytes: 64)
        var count = 0
        while try blocks.next({ block, _ in count += block.count { $0 == UInt8(ascii: "\n") } }) {}
        #expect(count == 1000)
        #expect(blocks.bufferBytes == 64)
    }

    @Test func anUnreadableDescriptorIsUnreadable() {
        var blocks = LineBlocks(descriptor: -1, ownsDescriptor: false)
        #expect(throws: BatchFailure.unreadable) { try blocks.next { _, _ in } }
    }
}

@Suite struct AnswerSpoolTests {
    /// Beyond its limit the spool goes to a file: memory holds less than the limit after every
    /// append, and the answers come out whole and in order.
    @Test func memoryStaysUnderTheLimit() throws {
        var spool = AnswerSpool(memoryLimit: 100)
        var expected: [UInt8] = []
        for index in 0..<1000 {
            let answer = Array("{\"is_authorised\": false, \"reason\": \"\(index)\"}\n".utf8)
            expected += answer
            try spool.append(answer)
            #expect(spool.bytesInMemory < 100)
        }
        let output = TemporaryFile()
        try spool.deliver(to: output.descriptor)
        #expect(Array(output.contents.utf8) == expected)
    }
}
