/// TauGate (Ghasemlou, arXiv 2602.11726; gate form reconstructed, science page 12): only a
/// threshold τ_j and a gain g_j per hidden neuron train, with the soft gate
///
///     h_j = g_j relu(z_j) σ((z_j − τ_j) / T),   τ_j ← τ_j − η ∂L/∂τ_j,   g_j ← g_j − η ∂L/∂g_j
///
/// (z_j the frozen pre-activation, T the gate temperature, all dimensionless); at inference
/// the gate is hard, h_j = g_j relu(z_j) 1[z_j > τ_j]. W and b never change.
public struct TauGateMode: ModeTuningRule {
    public static let name = "taugate"
    public static let summary = "per-neuron threshold and gain only, 2 parameters per hidden neuron (Ghasemlou 2026, reconstructed)"
    public static let parameters = [ModeTuningParameter.eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(ModeTuningParameter.eta) }

    public var usesGates: Bool { true }
    public var equation: String {
        "h = g relu(z) sigma((z - tau)/T);  tau <- tau - \(eta) dL/dtau;  g <- g - \(eta) dL/dg  (W, b frozen; hard gate at inference)"
    }
    public func trainableCount(_ net: GatedMLP) -> Int { 2 * net.hiddenUnits }
    public func apply(_ g: GatedMLP.Gradients, to net: inout GatedMLP) {
        for l in net.tau.indices {
            descend(&net.tau[l], g.tau[l], eta)
            descend(&net.gain[l], g.gain[l], eta)
        }
    }
}
