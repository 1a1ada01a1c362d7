/// The smallest sets of variables that make a predicate over variable assignments hold, each an
/// assignment written as a bit mask (bit `i` set: variable `i` is true).
enum MinimalSets {
    /// Every mask for which `holds` is true and no proper subset of which is also such a mask,
    /// ordered by size, then by mask. `variableCount` must be at most 31.
    static func of(variableCount: Int, where holds: (UInt32) -> Bool) -> [UInt32] {
        precondition(variableCount >= 0 && variableCount < 32)
        let count = 1 << variableCount
        // Every subset of a mask is numerically smaller, so one pass in numeric order sees each
        // mask's subsets first: a mask is covered when it, or a mask one bit smaller, is.
        var covered = [Bool](repeating: false, count: count)
        var found: [UInt32] = []
        for mask in 0..<count {
            var remaining = mask
            while remaining != 0, !covered[mask] {
                let bit = remaining & -remaining
                if covered[mask ^ bit] { covered[mask] = true }
                remaining ^= bit
            }
            if !covered[mask], holds(UInt32(mask)) {
                covered[mask] = true
                found.append(UInt32(mask))
            }
        }
        return found.sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
    }
}
