#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two-state receptor scheme of Destexhe, Mainen & Sejnowski (1994) shared by the AMPA and
/// GABA_A models: r is the open fraction, driven by a square pulse of transmitter
///
///     dr/dt = α [T] (1 − r) − β r        (α in 1/(ms mM), β in 1/ms, [T] in mM)
///     [T] = T_max for `duration` ms after each spike, else 0;   g = w r
///
/// Linear with constant coefficients within each phase, so integrated exactly:
/// r ← r∞ + (r − r∞) e^{−(α T_max + β) dt} with r∞ = α T_max/(α T_max + β) during the pulse,
/// r ← r e^{−β dt} after it (exact when the pulse lasts a whole number of steps).
public struct ReceptorKinetics: Sendable, Equatable {
    public let alpha: Float
    public let beta: Float
    public let transmitterMM: Float
    public let pulseSteps: Int
    public let reversalMV: Float
    public private(set) var r: [Float]
    /// Weight of each synapse's last spike.
    public private(set) var weight: [Float]
    var pulseLeft: [Int32]
    let openDecay: Float
    let openTarget: Float
    let closedDecay: Float

    public init(count: Int, dt: Double, alpha: Float, beta: Float, transmitterMM: Float, durationMS: Double, reversalMV: Float) {
        precondition(count >= 0 && dt > 0 && alpha > 0 && beta > 0 && transmitterMM >= 0 && durationMS >= 0)
        self.alpha = alpha
        self.beta = beta
        self.transmitterMM = transmitterMM
        self.reversalMV = reversalMV
        let dtMS = dt * 1000
        pulseSteps = Int((durationMS / dtMS).rounded())
        let on = Double(alpha * transmitterMM + beta)
        openDecay = Float(exp(-on * dtMS))
        openTarget = Float(Double(alpha * transmitterMM) / on)
        closedDecay = Float(exp(-Double(beta) * dtMS))
        r = [Float](repeating: 0, count: count)
        weight = r
        pulseLeft = [Int32](repeating: 0, count: count)
    }

    public var count: Int { r.count }

    public mutating func spike(_ i: Int, weight w: Float) {
        weight[i] = w
        pulseLeft[i] = Int32(pulseSteps)
    }

    public mutating func step() {
        for i in 0..<r.count {
            if pulseLeft[i] > 0 {
                r[i] = openTarget + (r[i] - openTarget) * openDecay
                pulseLeft[i] -= 1
            } else {
                r[i] *= closedDecay
            }
        }
    }

    public func conductance(_ i: Int) -> Float { weight[i] * r[i] }
}

/// AMPA receptor (Destexhe et al. 1994; BrainPy `AMPA` defaults): α = 0.98 /(ms mM),
/// β = 0.18 /ms, T_max = 0.5 mM for 0.5 ms, E = 0 mV; see `ReceptorKinetics`.
public struct AMPASynapse: SynapseKinetics {
    public static let name = "ampa"
    public static let summary = "AMPA receptor, two-state kinetics driven by a 0.5 ms transmitter pulse, E = 0 mV (Destexhe et al. 1994)"
    public static let equation = "dr/dt = α T (1 − r) − β r, T = 0.5 mM for 0.5 ms after a spike; α = 0.98 /(ms mM), β = 0.18 /ms; I = w r (V − 0 mV)"
    public static let integrator = "exact per phase (linear, constant coefficients while the pulse is on or off)"
    public var kinetics: ReceptorKinetics
    public init(count: Int, dt: Double) {
        kinetics = ReceptorKinetics(count: count, dt: dt, alpha: 0.98, beta: 0.18, transmitterMM: 0.5, durationMS: 0.5, reversalMV: 0)
    }
    public var count: Int { kinetics.count }
    public var reversalMV: Float { kinetics.reversalMV }
    public mutating func spike(_ i: Int, weight: Float) { kinetics.spike(i, weight: weight) }
    public mutating func step() { kinetics.step() }
    public func conductance(_ i: Int) -> Float { kinetics.conductance(i) }
}

/// GABA_A receptor (Destexhe et al. 1994; BrainPy `GABAa` defaults): α = 0.53 /(ms mM),
/// β = 0.18 /ms, T_max = 1 mM for 1 ms, E = −80 mV; see `ReceptorKinetics`.
public struct GABAASynapse: SynapseKinetics {
    public static let name = "gaba_a"
    public static let summary = "GABA_A receptor, two-state kinetics driven by a 1 ms transmitter pulse, E = −80 mV (Destexhe et al. 1994)"
    public static let equation = "dr/dt = α T (1 − r) − β r, T = 1 mM for 1 ms after a spike; α = 0.53 /(ms mM), β = 0.18 /ms; I = w r (V + 80 mV)"
    public static let integrator = "exact per phase (linear, constant coefficients while the pulse is on or off)"
    public var kinetics: ReceptorKinetics
    public init(count: Int, dt: Double) {
        kinetics = ReceptorKinetics(count: count, dt: dt, alpha: 0.53, beta: 0.18, transmitterMM: 1, durationMS: 1, reversalMV: -80)
    }
    public var count: Int { kinetics.count }
    public var reversalMV: Float { kinetics.reversalMV }
    public mutating func spike(_ i: Int, weight: Float) { kinetics.spike(i, weight: weight) }
    public mutating func step() { kinetics.step() }
    public func conductance(_ i: Int) -> Float { kinetics.conductance(i) }
}
