/// The frozen foundation, nothing trains: θ ← θ. The baseline arm of the `taugate` scene.
public struct FoundationMode: ModeTuningRule {
    public static let name = "foundation"
    public static let summary = "frozen foundation: no parameter changes (baseline arm)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "theta <- theta  (frozen foundation)" }
    public func trainableCount(_ net: GatedMLP) -> Int { 0 }
    public func apply(_ g: GatedMLP.Gradients, to net: inout GatedMLP) {}
}
