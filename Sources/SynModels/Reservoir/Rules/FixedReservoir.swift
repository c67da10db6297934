/// No plasticity: the reservoir is fixed and only the readout learns (the echo-state network
/// of Jaeger 2001): Δa_i = 0, Δb_i = 0.
public struct FixedReservoir: ReservoirLearningRule {
    public static let name = "none"
    public static let summary = "fixed reservoir: only the readout learns (Jaeger 2001)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "fixed reservoir x <- (1-l) x + l (G a_i W r + w_in u + b);  RLS readout y = w . [r; 1] -> u(t+k)" }

    public mutating func adapt(_ reservoir: inout EIReservoir, probe unit: Int) -> (delta: Float, flow: Float) { (0, 0) }
}
