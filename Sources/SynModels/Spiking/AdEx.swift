#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters of the adaptive exponential integrate-and-fire neuron (AdEx; Brette & Gerstner
/// 2005, J. Neurophysiol. 94:3637):
///
///     C dV/dt = -g_L (V - E_L) + g_L Δ_T exp((V - V_T) / Δ_T) - w + I
///     τ_w dw/dt = a (V - E_L) - w
///     when V reaches V_peak: V <- V_r, w <- w + b
///
/// Units (consistent without conversion factors, since nS x mV = pA and pA / pF = mV/ms):
/// - V membrane potential (mV); w adaptation current (pA); I injected current (pA); t in ms
/// - C membrane capacitance (pF); g_L leak conductance (nS); E_L leak reversal (mV)
/// - V_T threshold of the exponential (mV); Δ_T slope factor (mV)
/// - a subthreshold adaptation (nS; negative values give the delayed and irregular patterns);
///   τ_w adaptation time constant (ms); b spike-triggered adaptation increment (pA)
/// - V_r reset potential (mV); V_peak where a spike is cut off and counted (mV; 0 mV as in
///   Naud et al. 2008 and Brian2's example of that paper)
public struct AdExParameters: Sendable, Equatable {
    public var capacitancePF: Double
    public var leakNS: Double
    public var leakReversalMV: Double
    public var thresholdMV: Double
    public var slopeMV: Double
    public var adaptationNS: Double
    public var tauWMs: Double
    public var spikeIncrementPA: Double
    public var resetMV: Double
    public var peakMV: Double

    public init(capacitancePF: Double, leakNS: Double, leakReversalMV: Double, thresholdMV: Double, slopeMV: Double,
                adaptationNS: Double, tauWMs: Double, spikeIncrementPA: Double, resetMV: Double, peakMV: Double = 0) {
        self.capacitancePF = capacitancePF
        self.leakNS = leakNS
        self.leakReversalMV = leakReversalMV
        self.thresholdMV = thresholdMV
        self.slopeMV = slopeMV
        self.adaptationNS = adaptationNS
        self.tauWMs = tauWMs
        self.spikeIncrementPA = spikeIncrementPA
        self.resetMV = resetMV
        self.peakMV = peakMV
    }

    /// Membrane time constant τ_m = C / g_L (ms).
    public var tauMMs: Double { capacitancePF / leakNS }

    /// dV/dt (mV/ms) at (V, w) with input I. The exponential is evaluated at min(V, V_peak)
    /// (the cap): the term is bounded even when an integrator's trial point overshoots V_peak.
    @inline(__always)
    public func dV(_ v: Double, _ w: Double, current: Double) -> Double {
        let capped = min(v, peakMV)
        return (-leakNS * (v - leakReversalMV) + leakNS * slopeMV * exp((capped - thresholdMV) / slopeMV) - w + current)
            / capacitancePF
    }

    /// dw/dt (pA/ms) at (V, w).
    @inline(__always)
    public func dW(_ v: Double, _ w: Double) -> Double {
        (adaptationNS * (v - leakReversalMV) - w) / tauWMs
    }

    /// The V-nullcline (dV/dt = 0): w = -g_L (V - E_L) + g_L Δ_T exp((V - V_T) / Δ_T) + I (pA).
    public func vNullcline(_ v: Double, current: Double) -> Double {
        -leakNS * (v - leakReversalMV) + leakNS * slopeMV * exp((min(v, peakMV) - thresholdMV) / slopeMV) + current
    }

    /// The w-nullcline (dw/dt = 0): w = a (V - E_L) (pA).
    public func wNullcline(_ v: Double) -> Double { adaptationNS * (v - leakReversalMV) }

    /// The current (pA) at which the resting fixed point disappears in a saddle-node
    /// bifurcation: the maximum over V of (g_L + a)(V - E_L) - g_L Δ_T exp((V - V_T)/Δ_T),
    /// reached at V* = V_T + Δ_T ln(1 + a/g_L), so
    ///
    ///     I_SN = (g_L + a) (V_T - E_L - Δ_T + Δ_T ln(1 + a/g_L))
    ///
    /// It is the rheobase for constant input when the bifurcation is a saddle-node, i.e. when
    /// a/g_L < τ_m/τ_w (Touboul & Brette 2008, Biol. Cybern. 99:319); nil when g_L + a <= 0.
    public var saddleNodeCurrentPA: Double? {
        let g = leakNS + adaptationNS
        guard g > 0 else { return nil }
        return g * (thresholdMV - leakReversalMV - slopeMV + slopeMV * log(g / leakNS))
    }
}

/// One AdEx neuron, integrated with Heun's method (second-order Runge-Kutta: an Euler trial
/// step, clipped at V_peak, then the average of the slopes at both ends) with the exponential
/// capped at V_peak.
/// A spike is counted in the step in which V reaches V_peak; then V <- V_r and w <- w + b.
public struct AdExNeuron: Sendable, Equatable {
    public var parameters: AdExParameters
    /// Membrane potential (mV).
    public var v: Double
    /// Adaptation current (pA).
    public var w: Double

    /// At rest: V = E_L, w = 0.
    public init(_ parameters: AdExParameters) {
        self.parameters = parameters
        v = parameters.leakReversalMV
        w = 0
    }

    /// Back to rest (V = E_L, w = 0).
    public mutating func rest() {
        v = parameters.leakReversalMV
        w = 0
    }

    /// Advances one step of `dtMs` ms with constant input `current` (pA); true when it spiked.
    @inline(__always)
    public mutating func step(current: Double, dtMs: Double) -> Bool {
        let p = parameters
        let k1 = p.dV(v, w, current: current), l1 = p.dW(v, w)
        // The trial point is clipped at V_peak: past it the membrane is spiking anyway, and an
        // unclipped overshoot (the exponential explodes within a step) would leak into w.
        let vp = min(v + dtMs * k1, p.peakMV), wp = w + dtMs * l1
        let k2 = p.dV(vp, wp, current: current), l2 = p.dW(vp, wp)
        v += 0.5 * dtMs * (k1 + k2)
        w += 0.5 * dtMs * (l1 + l2)
        // A trial point far beyond V_peak can leave v non-finite or past it: either is a spike.
        if !(v < p.peakMV) {
            v = p.resetMV
            w += p.spikeIncrementPA
            return true
        }
        return false
    }
}

/// The firing patterns of Naud, Marcille, Clopath & Gerstner (2008), "Firing patterns in the
/// adaptive exponential integrate-and-fire model", Biol. Cybern. 99:335, Table 1 (the values
/// Brian2's example of that paper uses): each is an AdEx parameter set with the step current
/// I that shows the pattern from rest.
public enum AdExPattern: Int, CaseIterable, Sendable {
    case tonic, adapting, initialBurst, regularBursting, delayedAccelerating, delayedRegularBursting, transient, irregular

    /// The scene name (`pattern = "tonic"`) and the control's label.
    public var name: String {
        switch self {
        case .tonic: "tonic"
        case .adapting: "adapting"
        case .initialBurst: "initial_burst"
        case .regularBursting: "regular_bursting"
        case .delayedAccelerating: "delayed_accelerating"
        case .delayedRegularBursting: "delayed_bursting"
        case .transient: "transient"
        case .irregular: "irregular"
        }
    }

    /// The pattern named `name` (one of `names`).
    public static func named(_ name: String) -> AdExPattern? { allCases.first { $0.name == name } }
    public static var names: [String] { allCases.map(\.name) }

    /// Step current of the table (pA).
    public var currentPA: Double {
        switch self {
        case .tonic, .adapting: 500
        case .initialBurst: 400
        case .regularBursting: 210
        case .delayedAccelerating: 300
        case .delayedRegularBursting: 110
        case .transient: 180
        case .irregular: 160
        }
    }

    /// The table's parameters (V_peak = 0 mV).
    public var parameters: AdExParameters {
        // (C pF, g_L nS, E_L mV, V_T mV, Δ_T mV, a nS, τ_w ms, b pA, V_r mV)
        let t: (Double, Double, Double, Double, Double, Double, Double, Double, Double)
        switch self {
        case .tonic: t = (200, 10, -70, -50, 2, 2, 30, 0, -58)
        case .adapting: t = (200, 12, -70, -50, 2, 2, 300, 60, -58)
        case .initialBurst: t = (130, 18, -58, -50, 2, 4, 150, 120, -50)
        case .regularBursting: t = (200, 10, -58, -50, 2, 2, 120, 100, -46)
        case .delayedAccelerating: t = (200, 12, -70, -50, 2, -10, 300, 0, -58)
        case .delayedRegularBursting: t = (100, 10, -65, -50, 2, -10, 90, 30, -47)
        case .transient: t = (100, 10, -65, -50, 2, 10, 90, 100, -47)
        case .irregular: t = (100, 12, -60, -50, 2, -11, 130, 30, -48)
        }
        return AdExParameters(capacitancePF: t.0, leakNS: t.1, leakReversalMV: t.2, thresholdMV: t.3, slopeMV: t.4,
                              adaptationNS: t.5, tauWMs: t.6, spikeIncrementPA: t.7, resetMV: t.8)
    }
}

/// Spike-train statistics of one step response (spike times in ms).
public enum SpikeTrainStats {
    /// Inter-spike intervals (ms) of sorted spike times.
    public static func intervals(_ times: [Double]) -> [Double] {
        times.count < 2 ? [] : (1..<times.count).map { times[$0] - times[$0 - 1] }
    }

    /// Adaptation index of Naud et al. (2008): the mean over consecutive intervals of
    /// (ISI_{n+1} - ISI_n) / (ISI_{n+1} + ISI_n); > 0 when firing slows down, < 0 when it
    /// accelerates, 0 for a regular train. Here over every interval of the step (the paper
    /// leaves out the first few); 0 with fewer than 2 intervals.
    public static func adaptationIndex(_ isi: [Double]) -> Double {
        guard isi.count >= 2 else { return 0 }
        var s = 0.0
        for n in 1..<isi.count where isi[n] + isi[n - 1] > 0 {
            s += (isi[n] - isi[n - 1]) / (isi[n] + isi[n - 1])
        }
        return s / Double(isi.count - 1)
    }

    /// Coefficient of variation SD / mean of intervals; 0 with fewer than 2 intervals.
    public static func cv(_ isi: [Double]) -> Double {
        guard isi.count >= 2 else { return 0 }
        let m = isi.reduce(0, +) / Double(isi.count)
        guard m > 0 else { return 0 }
        let v = isi.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(isi.count)
        return v.squareRoot() / m
    }
}
