/// The parameters one decision substitutes into group templates: segments captured from a
/// concrete path first (they agree with any supplied value, or the request was already
/// denied), then the supplied ones.
struct ParameterBindings {
    let captured: [(name: String, value: String)]
    let supplied: Parameters

    func value(named name: String) -> ParameterValue? {
        for entry in captured where entry.name.hasSameBytes(as: name) {
            return .string(entry.value)
        }
        return supplied.value(named: name)
    }
}
