/// Frozen gains: g_i ← g_i. The control arm of every gain-modulation scene (the circuit runs
/// with whatever gains it has when this rule becomes active).
public struct FrozenGain: GainModulationRule {
    public static let name = "frozen"
    public static let summary = "gains kept as they are (control arm)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "g_i <- g_i  (gains frozen)" }

    public func adapt(_ gains: inout [Float], activity: [Float], reference: [Float]) {}
}
