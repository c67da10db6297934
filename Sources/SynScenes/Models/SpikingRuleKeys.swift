import SynModels

extension RuleSelection {
    /// The rules with the names and values they were built from, in `switchable` order (what
    /// the spiking configurations hold).
    public var configured: [ConfiguredRule<Rule>] {
        (0..<rules.count).map { ConfiguredRule(name: descriptors[$0].name, values: values[$0], rule: rules[$0]) }
    }
}
