import PolicyCore

/// A policy set loaded from a directory, loaded again when it changes (`PolicyReloadService`): the
/// live set (`PolicyStore`) and the candidate of `--shadow-policies` (`ShadowPolicyStore`).
protocol ReloadablePolicies: Sendable {
    var directory: String { get }
    /// The set serving; nil only for a candidate that has never loaded.
    var serving: PolicyStore.Snapshot? { get }
    /// The directory as it looked just before it was last read: what the watch compares it with.
    var fingerprintRead: PolicyDirectoryFingerprint? { get }
    /// Loads the directory again and swaps the result in if every file checks; the snapshot serving
    /// after a reload that succeeded.
    @discardableResult
    func reload() -> Result<PolicyStore.Snapshot, PolicyLoadError>
}

extension PolicyStore: ReloadablePolicies {
    var serving: Snapshot? { snapshot }
}
