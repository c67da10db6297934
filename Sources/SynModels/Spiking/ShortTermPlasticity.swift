#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tsodyks-Markram short-term plasticity parameters: baseline release probability U, recovery
/// time constant of resources tauD (s) and of facilitation tauF (s).
public struct TsodyksMarkramParameters: Sendable, Equatable {
    public var u0: Double
    public var tauD: Double
    public var tauF: Double
    public init(u0: Double = 0.5, tauD: Double = 0.2, tauF: Double = 0.02) {
        precondition(u0 > 0 && u0 <= 1 && tauD > 0 && tauF > 0)
        self.u0 = u0
        self.tauD = tauD
        self.tauF = tauF
    }

    /// The release u+ x- per spike of a periodic train with interval `interval` (s) once it has
    /// settled (the analytic fixed point of the map spike -> spike):
    /// u- = U e_f / (1 - (1 - U) e_f), u+ = u- + U (1 - u-), x- = (1 - e_d) / (1 - (1 - u+) e_d),
    /// with e_f = e^(-T/tauF), e_d = e^(-T/tauD). Pure depression (tauF -> 0) gives the classic
    /// U (1 - e_d) / (1 - (1 - U) e_d).
    public func steadyStateRelease(interval: Double) -> Double {
        let ef = exp(-interval / tauF), ed = exp(-interval / tauD)
        let uMinus = u0 * ef / (1 - (1 - u0) * ef)
        let uPlus = uMinus + u0 * (1 - uMinus)
        let xMinus = (1 - ed) / (1 - (1 - uPlus) * ed)
        return uPlus * xMinus
    }
}

/// Tsodyks-Markram short-term plasticity with one state per presynaptic neuron (all its
/// synapses share u and x when the parameters are uniform, as BrainPy stores it):
///
///     du/dt = -u / tauF        dx/dt = (1 - x) / tauD     (between spikes, solved exactly)
///     at a spike: u <- u + U (1 - u);  release r = u x;  x <- x - u x
///
/// u relaxes to 0 as in BrainPy's and Brian2's STP code, so a rested synapse (u = 0, x = 1)
/// releases exactly U (the page's `du/dt = (U - u)/tauF` with the same jump would release
/// U (2 - U) at rest). A spike transmits `w r / U`: w is the efficacy of a rested synapse, so
/// depression (x < 1) weakens and facilitation (u > U) strengthens the following spikes. u
/// starts at 0, x at 1; the state is advanced lazily from each neuron's last spike.
public struct TsodyksMarkram: Sendable {
    public let parameters: TsodyksMarkramParameters
    public let dt: Double
    /// Facilitation u and resources x just after each neuron's last spike.
    public private(set) var u: [Float]
    public private(set) var x: [Float]
    var lastSpike: [Int]

    public init(count: Int, parameters: TsodyksMarkramParameters, dt: Double) {
        self.parameters = parameters
        self.dt = dt
        u = [Float](repeating: 0, count: count)
        x = [Float](repeating: 1, count: count)
        lastSpike = [Int](repeating: Int.min / 2, count: count)
    }

    /// Registers a spike of neuron i at `step` and returns its efficacy factor r / U.
    @inline(__always)
    public mutating func spike(_ i: Int, step: Int) -> Float {
        let p = parameters
        let elapsed = Double(step - lastSpike[i]) * dt
        let ef = exp(-elapsed / p.tauF), ed = exp(-elapsed / p.tauD)
        var uu = Double(u[i]) * ef
        let xx = 1 - (1 - Double(x[i])) * ed
        uu += p.u0 * (1 - uu)
        let r = uu * xx
        u[i] = Float(uu)
        x[i] = Float(xx - r)
        lastSpike[i] = step
        return Float(r / p.u0)
    }
}
