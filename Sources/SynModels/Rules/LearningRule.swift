/// A plasticity rule as a type: its name in scene files, a one-line summary with its source,
/// its parameters (validated by the scene reader from `parameters`) and its update equation.
///
/// Each family refines this with the state and the `apply` its models need (rate-layer rules,
/// local Hebbian rules, spike-timing rules, ...). A rule lives in its own file; its doc comment
/// gives the update equation with every symbol and unit. It is found by name only through its
/// family's `RuleRegistry`.
public protocol LearningRule: Sendable {
    /// The rule's name in scene files (`[rule] name`, `switchable`, `--rule`), lower_snake_case.
    static var name: String { get }
    /// One line: what the rule does and where it comes from.
    static var summary: String { get }
    /// Every parameter the rule reads, with units, ranges and defaults.
    static var parameters: [RuleParameter] { get }
    /// Builds the rule from validated parameter values.
    init(_ values: RuleParameterValues)
    /// The update equation with the current parameter values, for the teaching panel.
    var equation: String { get }
}

extension LearningRule {
    public var name: String { Self.name }
}
