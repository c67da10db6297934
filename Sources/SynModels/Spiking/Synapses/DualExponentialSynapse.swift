#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dual-exponential synapse (BrainPy `DualExponential`): rise τ_r, decay τ_d (τ_r < τ_d, ms),
///
///     dg/dt = −g/τ_d + h,   dh/dt = −h/τ_r,     at a spike of weight w:  h ← h + w A
///
/// one spike gives g(t) = w A c (e^{−t/τ_d} − e^{−t/τ_r}) with c = τ_d τ_r/(τ_d − τ_r), peaking at
/// t* = c ln(τ_d/τ_r); A = 1/(c (e^{−t*/τ_d} − e^{−t*/τ_r})) normalises that peak to w.
/// Integrated exactly (linear): g ← e_d g + c (e_d − e_r) h, h ← e_r h, e_x = e^{−dt/τ_x}.
public struct DualExponentialSynapse: SynapseKinetics {
    public static let name = "dual_exponential"
    public static let summary = "dual-exponential synapse: rise τ_r, decay τ_d, peak normalised to w at t* = c ln(τ_d/τ_r)"
    public static let equation = "dg/dt = −g/τ_d + h, dh/dt = −h/τ_r, h += w A at a spike; g = w A c (e^{−t/τ_d} − e^{−t/τ_r}), c = τ_d τ_r/(τ_d − τ_r), peak w"
    public static let integrator = "exact (linear): g ← e_d g + c (e_d − e_r) h, h ← e_r h"
    public let riseMS: Float
    public let decayMS: Float
    public let reversalMV: Float
    /// c = τ_d τ_r/(τ_d − τ_r) (ms) and the peak normalisation A (1/ms).
    public let c: Float
    public let normalisation: Float
    public private(set) var g: [Float]
    public private(set) var h: [Float]
    let eRise: Float
    let eDecay: Float

    public init(count: Int, dt: Double) { self.init(count: count, dt: dt, riseMS: 1, decayMS: 10, reversalMV: 0) }

    public init(count: Int, dt: Double, riseMS: Float, decayMS: Float, reversalMV: Float) {
        precondition(count >= 0 && dt > 0 && riseMS > 0 && decayMS > riseMS)
        self.riseMS = riseMS
        self.decayMS = decayMS
        self.reversalMV = reversalMV
        let r = Double(riseMS), d = Double(decayMS), cc = d * r / (d - r)
        c = Float(cc)
        let peak = Self.peakTime(riseMS: riseMS, decayMS: decayMS)
        normalisation = Float(1 / (cc * (exp(-Double(peak) / d) - exp(-Double(peak) / r))))
        eRise = Float(exp(-dt * 1000 / r))
        eDecay = Float(exp(-dt * 1000 / d))
        g = [Float](repeating: 0, count: count)
        h = g
    }

    /// t* = τ_d τ_r/(τ_d − τ_r) ln(τ_d/τ_r) (ms).
    public static func peakTime(riseMS: Float, decayMS: Float) -> Float {
        let r = Double(riseMS), d = Double(decayMS)
        return Float(d * r / (d - r) * log(d / r))
    }

    public var count: Int { g.count }
    public mutating func spike(_ i: Int, weight: Float) { h[i] += weight * normalisation }
    public mutating func step() {
        let k = c * (eDecay - eRise)
        for i in 0..<g.count {
            g[i] = eDecay * g[i] + k * h[i]
            h[i] *= eRise
        }
    }
    public func conductance(_ i: Int) -> Float { g[i] }
}
