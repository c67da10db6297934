/// The baseline: the fusion layer trains with its plain gradient, c = 1.
public struct PlainFusion: FusionRule {
    public static let name = "baseline"
    public static let summary = "unmodulated fusion gradient, c = 1 (control arm)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "c = 1;  W_f <- W_f - eta dL/dW_f" }
    public var addsGradientNoise: Bool { false }
    public func coefficient(sA: Float, sV: Float, sAV: Float) -> Float { 1 }
}
