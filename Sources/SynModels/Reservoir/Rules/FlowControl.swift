#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synaptic scaling by flow control (Schubert & Gros 2021, Front. Comput. Neurosci.
/// 15:587721): each unit multiplies all its incoming E and I weights by a gain a_i, matching
/// the fluctuation of its recurrent input to R_t times the population's activation fluctuation:
///
///     a_i ← clip(a_i (1 + η (R_t² ⟨dx²⟩ − dh_i²)), a_min, a_max)
///     dx_j = x_j − x̄_j,   dh_i = G a_i h_i − h̄_i,   ⟨dx²⟩ = (1/N) Σ_j dx_j²
///     x̄ ← x̄ + (x − x̄) / τ,   h̄ ← h̄ + (G a h − h̄) / τ
///
/// η the rate per step, R_t the target spectral radius, τ = `tau_avg` (steps) the running
/// means' time constant, [a_min, a_max] = `ReservoirSimulation.gainRange` (symbols:
/// `ReservoirLearningRule`). For an i.i.d. random Jacobian M = G diag(a) W diag(φ′),
/// |M dx|² ≈ ρ(M)² |dx|², so the rule settles where ρ(M) ≈ R_t; with the E/I structure the
/// estimate is biased (R_t = 1 ends near the edge of chaos, 0.6 just inside the echo-state
/// regime). a_i > 0 scales E and I inputs alike: Dale's signs and each unit's E/I ratio are kept.
public struct FlowControl: ReservoirLearningRule {
    public static let name = "homeostatic"
    public static let summary = "synaptic scaling by flow control, drives ρ(M) toward R_t (Schubert & Gros 2021)"
    public static let eta = RuleParameter("eta", "flow-control rate η per step", range: .openClosed(0, 1), default: 0.01)
    public static let targetRadius = RuleParameter("target_radius", "target spectral radius R_t", range: .openClosed(0, 5), default: 0.6)
    public static let tauAverage = RuleParameter("tau_avg", "time constant τ of the running means x̄, h̄", unit: "steps",
                                                 range: .closed(1, 100_000), default: 100)
    public static let parameters = [eta, targetRadius, tauAverage]

    public let eta: Float
    public let targetRadius: Double
    public let tauAverage: Double
    /// Running means x̄ (activations) and h̄ (scaled recurrent inputs).
    private var xbar: [Float] = []
    private var hbar: [Float] = []

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        targetRadius = values[Self.targetRadius]
        tauAverage = values[Self.tauAverage]
    }

    public init(eta: Float = 0.01, targetRadius: Double = 0.6, tauAverage: Double = 100) {
        self.eta = eta
        self.targetRadius = targetRadius
        self.tauAverage = tauAverage
    }

    public var equation: String {
        "a_i <- a_i (1 + eta (R_t^2 <dx^2> - dh_i^2));  x <- (1-l) x + l (G a_i W r + w_in u + b);  RLS readout"
    }

    public mutating func bind(_ reservoir: EIReservoir) {
        xbar = reservoir.activation
        hbar = reservoir.recurrent
    }

    public mutating func adapt(_ reservoir: inout EIReservoir, probe unit: Int) -> (delta: Float, flow: Float) {
        let n = reservoir.size
        let avg = Float(1 / tauAverage)
        let rt2 = Float(targetRadius * targetRadius)
        let etaA = eta
        var dx2: Float = 0
        for i in 0..<n {
            xbar[i] += avg * (reservoir.activation[i] - xbar[i])
            hbar[i] += avg * (reservoir.recurrent[i] - hbar[i])
            let d = reservoir.activation[i] - xbar[i]
            dx2 += d * d
        }
        dx2 /= Float(n)
        var probe: (delta: Float, flow: Float) = (0, 0)
        let range = ReservoirSimulation.gainRange
        for i in 0..<n {
            let dh = reservoir.recurrent[i] - hbar[i]
            let flow = rt2 * dx2 - dh * dh
            let old = reservoir.gains[i]
            reservoir.gains[i] = min(max(old * (1 + etaA * flow), range.lowerBound), range.upperBound)
            if i == unit { probe = (reservoir.gains[i] - old, flow) }
        }
        return probe
    }
}
