/// Local homeostasis of each unit's inhibitory gain toward a target rate (reconstructed from
/// Srinivasan, Plenz & Girvan, arXiv 2504.12480):
///
///     β_i ← max(0, β_i + η_β (x_i − ρ_i))
///
/// β_i ≥ 0 the factor on unit i's inhibitory input (dimensionless), x_i ∈ (0, 1) its rate at
/// this step, ρ_i its target rate, η_β the rate per step. A unit firing above its target
/// receives more inhibition, one below it less.
public struct InhibitoryGainHomeostasis: GainModulationRule {
    public static let name = "inhibitory_gain"
    public static let summary = "per-unit inhibitory gain toward a target rate (after Srinivasan, Plenz & Girvan 2025; reconstructed)"
    public static let eta = RuleParameter("eta", "adaptation rate η_β per step", range: .openClosed(0, 1), default: 0.05)
    public static let parameters = [eta]

    public let eta: Float

    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }
    public init(eta: Float = 0.05) { self.eta = eta }

    public var equation: String { "beta_i <- max(0, beta_i + \(eta) (x_i - rho_i))" }

    public func adapt(_ gains: inout [Float], activity: [Float], reference: [Float]) {
        for i in gains.indices { gains[i] = max(0, gains[i] + eta * (activity[i] - reference[i])) }
    }
}
