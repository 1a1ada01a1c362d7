/// A batch's input, handed out in blocks of whole lines. Each block is lent for one call of `body`
/// only, so a runner cannot keep lines beyond their block: what it holds is bounded by the block.
public protocol BatchInput: ~Copyable {
    /// Calls `body` with the next block of whole lines (the input's last line may lack its `\n`)
    /// and the number of the block's first line (1-based, blank lines counted); false once the
    /// input is exhausted.
    mutating func next(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws -> Bool
}

/// Where a batch's answers go, a block's worth at a time, in input order.
public protocol AnswerSink: ~Copyable {
    mutating func append(_ answers: [UInt8]) throws
}
