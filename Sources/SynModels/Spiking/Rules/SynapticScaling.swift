import SynCore
/// Multiplicative synaptic scaling (Turrigiano et al. 1998; van Rossum et al. 2000): every
/// period T each post neuron j scales all its incoming weights by
///
///     w_ij <- clip(w_ij (1 + eta (rho0 - r_j) / rho0))
///
/// where r_j [Hz] is its rate estimated by a trace tau_r dr/dt = -r, r += 1/tau_r per spike.
/// eta = `scaling_eta` (dimensionless, per period), rho0 = `target_rate_hz` [Hz], T =
/// `scaling_period_ms`, tau_r = `scaling_tau_ms` [ms in the scene, s inside]; clip to
/// [w_min, w_max].
public struct SynapticScaling: HomeostaticRule {
    public static let name = "scaling"
    public static let summary = "multiplicative synaptic scaling, w *= 1 + η (ρ0 − r)/ρ0 every period (Turrigiano et al. 1998)"
    public static let targetRate = HomeostasisParameter.targetRate
    public static let eta = RuleParameter("scaling_eta", "scaling rate eta per period", range: .closed(0, 1), default: 0.05)
    public static let period = RuleParameter("scaling_period_ms", "period T between scaling steps", unit: "ms", range: .closed(0.1, 100_000), default: 100)
    public static let tauRate = RuleParameter("scaling_tau_ms", "time constant of the rate estimate r", unit: "ms", range: .closed(1, 1_000_000), default: 1000)
    public static let parameters = [targetRate, eta, period, tauRate]

    public var eta: Double
    public var targetRateHz: Double
    /// T and tau_r [s].
    public let period: Double
    public let tauRate: Double
    public private(set) var periodSteps = 1
    public private(set) var rate = EventTraces(count: 0, tau: 1, dt: 1)
    var invTau: Float

    public init(_ values: RuleParameterValues) {
        eta = values[Self.eta]
        targetRateHz = values[Self.targetRate]
        period = values[Self.period] / 1000
        tauRate = values[Self.tauRate] / 1000
        invTau = Float(1 / tauRate)
    }

    public mutating func bind(postCount: Int, dt: Double) {
        periodSteps = max(1, Int((period / dt).rounded()))
        rate = EventTraces(count: postCount, tau: tauRate, dt: dt)
    }

    /// Rate estimate of post neuron j [Hz] at `step`.
    public func rateHz(_ j: Int, at step: Int) -> Double { Double(rate.value(j, at: step)) }

    public mutating func step(postSpikes: SpikeBuffer, step: Int, projection: inout Projection, theta: inout [Float], dt: Double) {
        for s in 0..<postSpikes.count {
            let j = Int(postSpikes[s])
            if j >= 0 && j < rate.count { rate.add(j, invTau, at: step) }
        }
        guard (step + 1) % periodSteps == 0 else { return }
        let rho0 = targetRateHz
        for j in 0..<min(projection.postCount, rate.count) {
            let f = Float(1 + eta * (rho0 - rateHz(j, at: step)) / rho0)
            for c in Int(projection.colStart[j])..<Int(projection.colStart[j + 1]) {
                let k = Int(projection.colSyn[c])
                projection.weight[k] = min(projection.wMax, max(projection.wMin, projection.weight[k] * f))
            }
        }
    }

    public var equation: String {
        "every \(NumberFormat.shortest(period * 1000)) ms: w *= 1 + η (ρ0 − r)/ρ0 (synaptic scaling, η = \(NumberFormat.shortest(eta)), ρ0 = \(NumberFormat.shortest(targetRateHz)) Hz)"
    }
}
