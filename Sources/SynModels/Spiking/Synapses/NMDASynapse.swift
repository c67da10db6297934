#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NMDA receptor with a saturating rise and the Mg²⁺ block (BrainPy `NMDA`; block of Jahr &
/// Stevens 1990):
///
///     dg/dt = −g/τ_d + a x (1 − g),   dx/dt = −x/τ_r,   x ← x + 1 at a spike   (t in ms)
///     B(V) = 1 / (1 + e^{−0.062 V} [Mg²⁺]/3.57),   I = w g B(V) (V − E)      (V in mV)
///
/// τ_d = 100 ms, τ_r = 2 ms, a = 0.5 /ms, [Mg²⁺] = 1.2 mM, E = 0 mV. x is integrated exactly;
/// g, nonlinear through x (1 − g), by exponential Euler with x frozen at its exact mid-step
/// value x_m = x e^{−dt/(2τ_r)}: k = 1/τ_d + a x_m, g ← g∞ + (g − g∞) e^{−k dt}, g∞ = a x_m / k
/// (second order in dt, and g stays in [0, 1] at any dt).
public struct NMDASynapse: SynapseKinetics {
    public static let name = "nmda"
    public static let summary = "NMDA receptor: slow saturating conductance with the voltage-dependent Mg²⁺ block (Jahr & Stevens 1990)"
    public static let equation = "dg/dt = −g/τ_d + a x (1 − g), dx/dt = −x/τ_r, x += 1 at a spike; B(V) = 1/(1 + e^{−0.062 V} [Mg]/3.57); τ_d = 100 ms, τ_r = 2 ms, a = 0.5 /ms, [Mg] = 1.2 mM"
    public static let integrator = "x exact; g by exponential Euler with x frozen at its mid-step value (stays in [0, 1])"
    public let tauDecayMS: Float = 100
    public let tauRiseMS: Float = 2
    public let a: Float = 0.5
    public let magnesiumMM: Float
    public let reversalMV: Float = 0
    public private(set) var g: [Float]
    public private(set) var x: [Float]
    public private(set) var weight: [Float]
    let dtMS: Float
    let riseDecay: Float
    let halfRiseDecay: Float

    public init(count: Int, dt: Double) { self.init(count: count, dt: dt, magnesiumMM: 1.2) }

    public init(count: Int, dt: Double, magnesiumMM: Float) {
        precondition(count >= 0 && dt > 0 && magnesiumMM >= 0)
        self.magnesiumMM = magnesiumMM
        dtMS = Float(dt * 1000)
        riseDecay = Float(exp(-dt * 1000 / 2))
        halfRiseDecay = Float(exp(-dt * 1000 / 4))
        g = [Float](repeating: 0, count: count)
        x = g
        weight = g
    }

    public var count: Int { g.count }
    public mutating func spike(_ i: Int, weight w: Float) {
        x[i] += 1
        weight[i] = w
    }
    public mutating func step() {
        for i in 0..<g.count {
            let xm = x[i] * halfRiseDecay
            let k = 1 / tauDecayMS + a * xm, target = a * xm / k
            g[i] = target + (g[i] - target) * expf(-k * dtMS)
            x[i] *= riseDecay
        }
    }
    public func conductance(_ i: Int) -> Float { weight[i] * g[i] }
    public func block(v: Float) -> Float { 1 / (1 + expf(-0.062 * v) * magnesiumMM / 3.57) }
}
