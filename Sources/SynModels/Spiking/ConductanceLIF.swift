#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters of the conductance-based LIF neuron of Brette et al. (2007) benchmark 1 (COBA,
/// after Vogels & Abbott 2005): tauM = C/gL = 20 ms, El = -60 mV, Vt = -50 mV, Vr = -60 mV,
/// refractory 5 ms, gL = 10 nS (so the benchmark's increments 0.6 and 6.7 "in units of the
/// leak conductance" are 6 nS and 67 nS).
public struct ConductanceLIFParameters: Sendable, Equatable {
    /// Membrane capacitance C (pF).
    public var capacitancePF = 200.0
    /// Leak conductance gL (nS).
    public var leakNS = 10.0
    /// Leak reversal El (mV).
    public var restMV = -60.0
    /// Threshold Vt (mV): spike when V > Vt.
    public var thresholdMV = -50.0
    /// Reset Vr (mV); V is held there for the refractory period.
    public var resetMV = -60.0
    /// Absolute refractory period (s).
    public var refractory = 0.005
    public init() {}
}

/// Leaky integrate-and-fire neurons with conductance-based synapses (COBA):
///
///     C dV/dt = gL (El - V) + ge (Ee - V) + gi (Ei - V) + I     (unless refractory)
///     V > Vt -> spike, V = Vr, frozen for t_ref
///
/// Integrator: exponential Euler. With ge, gi frozen over the step the equation is linear in V
/// with rate a = gtot/C (gtot = gL + ge + gi), so
/// `V(t+dt) = V + dt/C I(V) (1 - e^(-a dt)) / (a dt)` — exact for constant conductances,
/// written through exprel so gtot -> 0 (negative initial gi) stays finite.
public struct ConductanceLIFGroup: ConductanceNeuronGroup {
    public static let name = "lif"
    public static let summary = "leaky integrate-and-fire, C dV/dt = gL (El - V) + I_syn (Brette et al. 2007 benchmark 1)"
    public static let equation = "C dV/dt = gL (El - V) + ge (Ee - V) + gi (Ei - V) + I; V > Vt -> V = Vr, refractory"
    public static let integrator = "exponential Euler (exact for conductances frozen over dt)"

    public let count: Int
    public let parameters: ConductanceLIFParameters
    public let dt: Double
    public let refractorySteps: Int
    public var v: [Float]
    public var current: [Float]
    /// Last step of each neuron's refractory period.
    public var refractoryUntil: [Int32]

    public init(count: Int, dt: Double) { self.init(count: count, dt: dt, parameters: ConductanceLIFParameters()) }

    public init(count: Int, dt: Double, parameters: ConductanceLIFParameters) {
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
        let p = parameters
        let dtMS = Float(dt * 1000)
        let dtC = SIMD8<Float>(repeating: dtMS / Float(p.capacitancePF))
        let gl = SIMD8<Float>(repeating: Float(p.leakNS)), el = SIMD8<Float>(repeating: Float(p.restMV))
        let ee = SIMD8<Float>(repeating: inputs.excitatoryReversalMV), ei = SIMD8<Float>(repeating: inputs.inhibitoryReversalMV)
        let de = SIMD8<Float>(repeating: inputs.decayE), di = SIMD8<Float>(repeating: inputs.decayI)
        let vt = SIMD8<Float>(repeating: Float(p.thresholdMV))
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
                let vv = vr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let g1 = ger.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let g2 = gir.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let cur = cr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let until = rr.loadUnaligned(fromByteOffset: o, as: SIMD8<Int32>.self)
                let gt = gl + g1 + g2
                let i = (gl * (el - vv)).addingProduct(g1, ee - vv).addingProduct(g2, ei - vv) + cur
                let vn = vv + dtC * i * vexprel(-dtC * gt)
                let active = (until &- t) .< zero
                let vNew = vv.replacing(with: vn, where: active)
                vr.storeBytes(of: vNew, toByteOffset: o, as: SIMD8<Float>.self)
                ger.storeBytes(of: g1 * de, toByteOffset: o, as: SIMD8<Float>.self)
                gir.storeBytes(of: g2 * di, toByteOffset: o, as: SIMD8<Float>.self)
                spikes.append(lanes: (vNew .> vt) .& active, block: c, count: n, offset: offset)
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
