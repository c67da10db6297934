/// Intrinsic plasticity of each unit's threshold toward a target rate (Triesch 2005; the SORN
/// rule of Lazar, Pipa & Triesch 2009):
///
///     b_i ← b_i − η (r_i − r_0)
///
/// η the rate per step, r_0 in (0, 1) the target rate (symbols: `ReservoirLearningRule`).
public struct ReservoirIntrinsicPlasticity: ReservoirLearningRule {
    public static let name = "intrinsic"
    public static let summary = "intrinsic plasticity of thresholds toward a target rate r_0 (Triesch 2005; SORN)"
    public static let eta = RuleParameter("eta", "threshold learning rate η per step", range: .openClosed(0, 1), default: 0.001)
    public static let targetRate = RuleParameter("target_rate", "target rate r_0", range: .open(0, 1), default: 0.1)
    public static let parameters = [eta, targetRate]

    public let eta: Float
    public let targetRate: Float

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        targetRate = values.float(Self.targetRate)
    }

    public init(eta: Float = 0.001, targetRate: Float = 0.1) {
        self.eta = eta
        self.targetRate = targetRate
    }

    public var equation: String { "b_i <- b_i - eta (r_i - r_0);  x <- (1-l) x + l (G a_i W r + w_in u + b);  RLS readout" }

    public mutating func adapt(_ reservoir: inout EIReservoir, probe unit: Int) -> (delta: Float, flow: Float) {
        let etaB = eta, r0 = targetRate
        var delta: Float = 0
        for i in 0..<reservoir.size {
            let d = etaB * (reservoir.rates[i] - r0)
            reservoir.bias[i] -= d
            if i == unit { delta = -d }
        }
        return (delta, 0)
    }
}
