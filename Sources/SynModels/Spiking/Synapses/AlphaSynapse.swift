#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The alpha synapse (Rall 1967; BrainPy `Alpha`), a second-order linear filter of the spikes:
///
///     dg/dt = −g/τ + h,   dh/dt = −h/τ          (t in ms)
///     at a spike of weight w:  h ← h + w/τ
///
/// so one spike gives g(t) = w (t/τ) e^{−t/τ}: peak w/e at t = τ, area w τ. Integrated exactly
/// (the system is linear): g ← e^{−dt/τ}(g + dt h), h ← e^{−dt/τ} h.
public struct AlphaSynapse: SynapseKinetics {
    public static let name = "alpha"
    public static let summary = "alpha synapse: g(t) = w (t/τ) e^{−t/τ} per spike, peak w/e at t = τ (Rall 1967)"
    public static let equation = "dg/dt = −g/τ + h, dh/dt = −h/τ, h += w/τ at a spike; g = w (t/τ) e^{−t/τ}, peak w/e at t = τ"
    public static let integrator = "exact (linear): g ← e^{−dt/τ}(g + dt h), h ← e^{−dt/τ} h"
    /// τ (ms), E (mV).
    public let tauMS: Float
    public let reversalMV: Float
    public let dtMS: Float
    public private(set) var g: [Float]
    public private(set) var h: [Float]
    let decay: Float

    public init(count: Int, dt: Double) { self.init(count: count, dt: dt, tauMS: 5, reversalMV: 0) }

    public init(count: Int, dt: Double, tauMS: Float, reversalMV: Float) {
        precondition(count >= 0 && dt > 0 && tauMS > 0)
        self.tauMS = tauMS
        self.reversalMV = reversalMV
        dtMS = Float(dt * 1000)
        decay = Float(exp(-dt * 1000 / Double(tauMS)))
        g = [Float](repeating: 0, count: count)
        h = g
    }

    public var count: Int { g.count }
    public mutating func spike(_ i: Int, weight: Float) { h[i] += weight / tauMS }
    public mutating func step() {
        for i in 0..<g.count {
            g[i] = decay * (g[i] + dtMS * h[i])
            h[i] *= decay
        }
    }
    public func conductance(_ i: Int) -> Float { g[i] }
}
