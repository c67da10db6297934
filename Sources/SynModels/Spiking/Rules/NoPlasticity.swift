/// No plasticity: weights stay as built (`"none"` in the `lif_network` and `izhikevich_network`
/// registries). Nothing changes, so there is no equation beyond the network's own.
public struct NoPlasticity: LearningRule {
    public static let name = "none"
    public static let summary = "no plasticity: the weights stay as built"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "no plasticity: w stays as built" }
}
