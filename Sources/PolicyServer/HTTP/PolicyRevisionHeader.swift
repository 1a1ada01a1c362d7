import HTTPTypes

extension HTTPField.Name {
    /// On every answer that carries a decision: the revision of the policy set that made it
    /// (`PolicyStore.Snapshot.revisionField`).
    static let policyRevision = HTTPField.Name("X-Policy-Revision")!
}
