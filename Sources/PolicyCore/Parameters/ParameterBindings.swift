/// The parameters one decision substitutes into group templates: segments captured from a
/// concrete path first (they agree with any supplied value, or the request was already
/// denied), then the supplied ones.
struct ParameterBindings {
    let captured: [(name: String, value: String)]
    let supplied: Parameters

    func value(named name: String) -> ParameterValue? {
        let capturedValue: String? = captured.withUnsafeBufferPointer { captured in
            for index in captured.indices where captured[index].name.hasSameBytes(as: name) { return captured[index].value }
            return nil
        }
        if let capturedValue { return .string(capturedValue) }
        return supplied.value(named: name)
    }
}
