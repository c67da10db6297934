import SynCore
/// Intrinsic plasticity as an adaptive threshold (homeostatic, cf. Diehl & Cook 2015): each
/// step the threshold offset of neuron i moves by
///
///     theta_i <- clip(theta_i + eta (S_i - rho0 dt))
///
/// with S_i = 1 if it spiked this step, so its rate is driven to rho0. eta = `ip_eta_mv` [mV],
/// rho0 = `target_rate_hz` [Hz], dt [s]; theta [mV] is added to the threshold and clipped to
/// [-theta_max, theta_max] (theta_max = 50 mV).
public struct IntrinsicPlasticity: HomeostaticRule {
    public static let name = "ip"
    public static let summary = "intrinsic plasticity, adaptive threshold θ += η (S − ρ0 dt) each step (cf. Diehl & Cook 2015)"
    public static let targetRate = HomeostasisParameter.targetRate
    public static let eta = RuleParameter("ip_eta_mv", "threshold step eta per spike", unit: "mV", range: .closed(0, 10), default: 0.05)
    public static let parameters = [targetRate, eta]

    public var eta: Float
    public var targetRateHz: Double
    public var thetaMax: Float = 50

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        targetRateHz = values[Self.targetRate]
    }

    public mutating func bind(postCount: Int, dt: Double) {}

    public mutating func step(postSpikes: SpikeBuffer, step: Int, projection: inout Projection, theta: inout [Float], dt: Double) {
        let count = min(theta.count, projection.postCount)
        let down = eta * Float(targetRateHz * dt)
        for i in 0..<count { theta[i] = max(-thetaMax, theta[i] - down) }
        for s in 0..<postSpikes.count {
            let i = Int(postSpikes[s])
            if i >= 0 && i < count { theta[i] = min(thetaMax, theta[i] + eta) }
        }
    }

    public var equation: String {
        "threshold θ += η (S − ρ0 dt) each step (intrinsic plasticity, η = \(eta) mV, ρ0 = \(NumberFormat.shortest(targetRateHz)) Hz)"
    }
}
