#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters shared by the nonlinear integrate-and-fire models (defaults match the COBA
/// neuron: C = 200 pF, gL = 10 nS, El = -60 mV, Vr = -60 mV, refractory 5 ms):
/// `thresholdMV` is the EIF's soft threshold VT and the QIF's critical potential Vc (-50 mV),
/// `slopeMV` the EIF's ΔT (2 mV), `peakMV` where a spike is cut off and V reset (-30 mV).
public struct NonlinearIFParameters: Sendable, Equatable {
    public var capacitancePF = 200.0
    public var leakNS = 10.0
    public var restMV = -60.0
    public var thresholdMV = -50.0
    public var slopeMV = 2.0
    public var peakMV = -30.0
    public var resetMV = -60.0
    public var refractory = 0.005
    public init() {}
}

/// The intrinsic membrane current F(V) (pA) of a nonlinear integrate-and-fire model.
public protocol SpikeInitiation: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var equation: String { get }
    /// F(V) for 8 lanes.
    static func current(_ v: SIMD8<Float>, _ p: NonlinearIFParameters) -> SIMD8<Float>
}

/// Exponential integrate-and-fire (Fourcaud-Trocmé et al. 2003):
/// F(V) = gL (El - V) + gL ΔT e^((V - VT)/ΔT). Without input it fires iff I > gL (VT - El - ΔT)
/// (the saddle-node current, 80 pA at the defaults).
public enum ExponentialInitiation: SpikeInitiation {
    public static let name = "eif"
    public static let summary = "exponential integrate-and-fire (Fourcaud-Trocmé et al. 2003)"
    public static let equation = "C dV/dt = gL (El - V) + gL ΔT exp((V - VT)/ΔT) + ge (Ee - V) + gi (Ei - V) + I; V > Vpeak -> V = Vr"
    @inline(__always)
    public static func current(_ v: SIMD8<Float>, _ p: NonlinearIFParameters) -> SIMD8<Float> {
        let gl = Float(p.leakNS), dT = Float(p.slopeMV)
        return gl * (Float(p.restMV) - v) + (gl * dT) * vexp((v - Float(p.thresholdMV)) * (1 / dT))
    }
}

/// Quadratic integrate-and-fire (Ermentrout & Kopell 1986; Latham et al. 2000):
/// F(V) = k (V - El)(V - Vc), k = gL / (Vc - El), so the slope at rest is -gL. Completing the
/// square, C dV/dt = k (V - Vm)^2 + I - k D^2 with Vm = (El + Vc)/2, D = (Vc - El)/2: for
/// I > k D^2 the time from Vr to Vpeak is
/// C / sqrt(k (I - k D^2)) [atan((Vpeak - Vm) s) - atan((Vr - Vm) s)], s = sqrt(k / (I - k D^2)).
public enum QuadraticInitiation: SpikeInitiation {
    public static let name = "qif"
    public static let summary = "quadratic integrate-and-fire (Ermentrout & Kopell 1986)"
    public static let equation = "C dV/dt = k (V - El)(V - Vc) + ge (Ee - V) + gi (Ei - V) + I, k = gL/(Vc - El); V > Vpeak -> V = Vr"
    @inline(__always)
    public static func current(_ v: SIMD8<Float>, _ p: NonlinearIFParameters) -> SIMD8<Float> {
        let k = Float(p.leakNS / (p.thresholdMV - p.restMV))
        return k * (v - Float(p.restMV)) * (v - Float(p.thresholdMV))
    }
}

/// Integrate-and-fire neurons whose membrane current F(V) is nonlinear (`Initiation`: EIF or
/// QIF), with conductance synapses and injected current:
///
///     C dV/dt = F(V) + ge (Ee - V) + gi (Ei - V) + I      (unless refractory)
///     V > Vpeak -> spike, V = Vr, frozen for t_ref
///
/// Integrator: RK2 (midpoint) with ge, gi frozen over the step — V's equation is not linear, so
/// no closed form exists; the tests check it against the analytic QIF period and the EIF rheobase.
public struct NonlinearIFGroup<Initiation: SpikeInitiation>: ConductanceNeuronGroup {
    public static var name: String { Initiation.name }
    public static var summary: String { Initiation.summary }
    public static var equation: String { Initiation.equation }
    public static var integrator: String { "RK2 (midpoint), conductances frozen over dt" }

    public let count: Int
    public let parameters: NonlinearIFParameters
    public let dt: Double
    public let refractorySteps: Int
    public var v: [Float]
    public var current: [Float]
    public var refractoryUntil: [Int32]

    public init(count: Int, dt: Double) { self.init(count: count, dt: dt, parameters: NonlinearIFParameters()) }

    public init(count: Int, dt: Double, parameters: NonlinearIFParameters) {
        precondition(count >= 0 && dt > 0)
        self.count = count
        self.dt = dt
        self.parameters = parameters
        refractorySteps = Int((parameters.refractory / dt).rounded())
        let padded = (count + 7) / 8 * 8
        v = [Float](repeating: Float(parameters.restMV), count: padded)
        current = [Float](repeating: 0, count: padded)
        refractoryUntil = [Int32](repeating: -1, count: padded)
    }

    @inline(__always)
    public mutating func update(step: Int, inputs: inout ConductanceInputs, spikes: inout SpikeBuffer, offset: Int32 = 0) {
        typealias V8 = SIMD8<Float>
        let p = parameters
        let dtC = V8(repeating: Float(dt * 1000 / p.capacitancePF))
        let ee = V8(repeating: inputs.excitatoryReversalMV), ei = V8(repeating: inputs.inhibitoryReversalMV)
        let de = V8(repeating: inputs.decayE), di = V8(repeating: inputs.decayI)
        let peak = V8(repeating: Float(p.peakMV))
        let t = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: step))
        let zero = SIMD8<Int32>(repeating: 0)
        let n = count
        v.withUnsafeMutableBytes { vr in
        current.withUnsafeBytes { cr in
        refractoryUntil.withUnsafeBytes { rr in
        inputs.ge.withUnsafeMutableBytes { ger in
        inputs.gi.withUnsafeMutableBytes { gir in
            for c in 0..<(vr.count / 32) {
                let o = c &* 32
                let vv = vr.loadUnaligned(fromByteOffset: o, as: V8.self)
                let g1 = ger.loadUnaligned(fromByteOffset: o, as: V8.self)
                let g2 = gir.loadUnaligned(fromByteOffset: o, as: V8.self)
                let cur = cr.loadUnaligned(fromByteOffset: o, as: V8.self)
                @inline(__always) func f(_ x: V8) -> V8 {
                    Initiation.current(x, p).addingProduct(g1, ee - x).addingProduct(g2, ei - x) + cur
                }
                let mid = vv + 0.5 * dtC * f(vv)
                let vn = vv + dtC * f(mid)
                let active = (rr.loadUnaligned(fromByteOffset: o, as: SIMD8<Int32>.self) &- t) .< zero
                let vNew = vv.replacing(with: vn, where: active)
                vr.storeBytes(of: vNew, toByteOffset: o, as: V8.self)
                ger.storeBytes(of: g1 * de, toByteOffset: o, as: V8.self)
                gir.storeBytes(of: g2 * di, toByteOffset: o, as: V8.self)
                spikes.append(lanes: (vNew .> peak) .& active, block: c, count: n, offset: offset)
            }
        }}}}}
    }

    @inline(__always)
    public mutating func reset(_ spikes: SpikeBuffer, step: Int, offset: Int32 = 0) {
        let vr = Float(parameters.resetMV)
        let until = Int32(truncatingIfNeeded: step + refractorySteps)
        for k in 0..<spikes.count {
            let i = Int(spikes[k] &- offset)
            guard i >= 0 && i < count else { continue }
            v[i] = vr
            refractoryUntil[i] = until
        }
    }
}
