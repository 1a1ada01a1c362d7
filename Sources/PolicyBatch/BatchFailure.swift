/// Why a batch has no answers: nothing is answered unless every line is a query.
public enum BatchFailure: Error, Equatable {
    /// The input could not be read.
    case unreadable
    /// Line `line` (1-based, blank lines counted) is not a query; `message` says why, in the words
    /// of `BatchQuery.parse`.
    case notAQuery(line: Int, message: String)
}
