/// The registry entry of one rule: its name, summary, parameters and how to build it as the
/// family's rule type `Rule` (usually an existential such as `any HebbianLearningRule`).
public struct RuleDescriptor<Rule>: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [RuleParameter]
    private let build: @Sendable (RuleParameterValues) -> Rule

    /// The entry for rule type `R`, stored as `Rule` through `upcast` (usually `{ $0 }`).
    public init<R: LearningRule>(_ type: R.Type, as upcast: @escaping @Sendable (R) -> Rule) {
        name = R.name
        summary = R.summary
        parameters = R.parameters
        build = { upcast(R($0)) }
    }

    /// An entry built by a closure (composite rules: a base rule plus a modifier).
    public init(name: String, summary: String, parameters: [RuleParameter], build: @escaping @Sendable (RuleParameterValues) -> Rule) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.build = build
    }

    /// The rule with `values` (validated against `parameters` by the caller).
    public func make(_ values: RuleParameterValues) -> Rule { build(values) }

    /// The rule with every parameter at its default.
    public func makeDefault() -> Rule { build(RuleParameterValues(parameters)) }

    public func parameter(_ key: String) -> RuleParameter? { parameters.first { $0.key == key } }
}

/// An unknown rule name: one line listing the valid names, with the nearest as a suggestion.
public struct UnknownRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let family: String
    public let valid: [String]

    public init(name: String, family: String, valid: [String]) {
        self.name = name
        self.family = family
        self.valid = valid
    }

    public var suggestion: String? { Suggest.closest(to: name, in: valid) }

    public var description: String {
        var s = "unknown \(family) rule \"\(name)\""
        if let near = suggestion { s += ", did you mean \"\(near)\"?" }
        return s + " (one of: \(valid.joined(separator: ", ")))"
    }
}

/// The rules of one family (`hebbian`, `mlp`, `stdp`, ...), found by name. Scenes and `--rule`
/// resolve names only through a registry: an unknown name is an error, never a fallback.
public struct RuleRegistry<Rule>: Sendable {
    /// The family's name, as shown by `synaptop rules` and in errors.
    public let family: String
    /// One line: which models use this family.
    public let summary: String
    public let rules: [RuleDescriptor<Rule>]

    public init(family: String, summary: String, _ rules: [RuleDescriptor<Rule>]) {
        self.family = family
        self.summary = summary
        self.rules = rules
    }

    /// Every rule name, in registry (documentation) order.
    public var names: [String] { rules.map(\.name) }

    /// The entry named `name`.
    public func descriptor(named name: String) throws(UnknownRuleError) -> RuleDescriptor<Rule> {
        guard let d = rules.first(where: { $0.name == name }) else {
            throw UnknownRuleError(name: name, family: family, valid: names)
        }
        return d
    }

    /// The type-erased view used for listings and the contract suite.
    public var catalogEntry: RuleCatalog.Family {
        RuleCatalog.Family(family: family, summary: summary, rules: rules.map { d in
            RuleCatalog.Entry(name: d.name, summary: d.summary, parameters: d.parameters,
                              equation: { Self.equation(of: d.make($0)) })
        })
    }

    /// The equation of a built rule, when `Rule` is a `LearningRule` (existential or concrete).
    private static func equation(of rule: Rule) -> String {
        (rule as? any LearningRule)?.equation ?? (rule as? any CustomStringConvertible)?.description ?? ""
    }
}
