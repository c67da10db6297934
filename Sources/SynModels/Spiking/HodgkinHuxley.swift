#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters of the Traub-Miles Hodgkin-Huxley neuron of Brette et al. (2007) benchmark 3
/// (COBAHH), as in Brian2's `examples/COBAHH.py`: a 20000 um^2 patch with Cm = 1 uF/cm^2
/// (200 pF), gL = 5e-5 S/cm^2 (10 nS), gNa = 100 mS/cm^2 (20 uS), gK = 30 mS/cm^2 (6 uS),
/// El = -60 mV, EK = -90 mV, ENa = 50 mV, VT = -63 mV; a spike is counted when V > -20 mV,
/// at most once per 3 ms (no reset: the spike is the ion channels' own dynamics).
public struct TraubMilesParameters: Sendable, Equatable {
    public var capacitancePF = 200.0
    public var leakNS = 10.0
    public var sodiumNS = 20_000.0
    public var potassiumNS = 6_000.0
    public var restMV = -60.0
    public var potassiumReversalMV = -90.0
    public var sodiumReversalMV = 50.0
    /// VT (mV): shifts every rate function.
    public var shiftMV = -63.0
    /// Spike detection threshold (mV) and dead time after a detection (s).
    public var detectMV = -20.0
    public var refractory = 0.003
    public init() {}

    /// Gate rate functions (1/ms) at V (mV), with VT = `shiftMV` (Traub & Miles 1991):
    /// alpha_m = 0.32 (13 - V + VT) / (e^((13 - V + VT)/4) - 1), beta_m = 0.28 (V - VT - 40) / (e^((V - VT - 40)/5) - 1),
    /// alpha_h = 0.128 e^((17 - V + VT)/18), beta_h = 4 / (1 + e^((40 - V + VT)/5)),
    /// alpha_n = 0.032 (15 - V + VT) / (e^((15 - V + VT)/5) - 1), beta_n = 0.5 e^((10 - V + VT)/40).
    /// Double precision, scalar: the reference for tests.
    public func rates(_ v: Double) -> (am: Double, bm: Double, ah: Double, bh: Double, an: Double, bn: Double) {
        let u = v - shiftMV
        func exprel(_ x: Double) -> Double { abs(x) < 1e-8 ? 1 + x / 2 : expm1(x) / x }
        return (1.28 / exprel((13 - u) / 4), 1.4 / exprel((u - 40) / 5),
                0.128 * exp((17 - u) / 18), 4 / (1 + exp((40 - u) / 5)),
                0.16 / exprel((15 - u) / 5), 0.5 * exp((10 - u) / 40))
    }

    /// dV/dt (mV/ms) and the gate derivatives (1/ms) at state (V, m, h, n) with injected current
    /// `currentPA` and no synaptic input (the reference right-hand side for tests).
    public func derivatives(_ s: [Double], currentPA: Double) -> [Double] {
        let (v, m, h, n) = (s[0], s[1], s[2], s[3])
        let r = rates(v)
        let i = leakNS * (restMV - v) + sodiumNS * m * m * m * h * (sodiumReversalMV - v)
            + potassiumNS * n * n * n * n * (potassiumReversalMV - v) + currentPA
        return [i / capacitancePF, r.am * (1 - m) - r.bm * m, r.ah * (1 - h) - r.bh * h, r.an * (1 - n) - r.bn * n]
    }
}

/// Hodgkin-Huxley neurons with Traub-Miles sodium / potassium channels and conductance
/// synapses (all potentials in mV, times in ms, conductances in nS, C in pF):
///
///     C dV/dt = gL (El - V) + gNa m^3 h (ENa - V) + gK n^4 (EK - V) + ge (Ee - V) + gi (Ei - V) + I
///     dx/dt = alpha_x(V) (1 - x) - beta_x(V) x,   x in {m, h, n}   (rates: `TraubMilesParameters.rates`)
///
/// Integrator: exponential Euler (Brian2's `exponential_euler`, as in its COBAHH example). Each
/// equation is linear in its own variable once the others are frozen at t, with rate
/// a_x = alpha_x + beta_x for a gate and a_V = (gL + gNa m^3 h + gK n^4 + ge + gi)/C for V, so
/// `x(t+dt) = x + dt f(x) (1 - e^(-a dt)) / (a dt)`: unconditionally stable for the stiff
/// sodium activation (1/a_m ~ 0.1 ms at the spike peak, the size of dt).
public struct TraubMilesHHGroup: ConductanceNeuronGroup {
    public static let name = "hh"
    public static let summary = "Hodgkin-Huxley with Traub-Miles channels (Brette et al. 2007 benchmark 3)"
    public static let equation = "C dV/dt = gL (El - V) + gNa m^3 h (ENa - V) + gK n^4 (EK - V) + ge (Ee - V) + gi (Ei - V) + I; dx/dt = alpha_x (1 - x) - beta_x x"
    public static let integrator = "exponential Euler on V, m, h, n (each linear in itself over dt)"

    public let count: Int
    public let parameters: TraubMilesParameters
    public let dt: Double
    public let refractorySteps: Int
    public var v: [Float]
    public var m: [Float]
    public var h: [Float]
    public var n: [Float]
    public var current: [Float]
    /// Step of each neuron's last detected spike (Int32.min / 2: none yet).
    public var lastSpike: [Int32]

    public init(count: Int, dt: Double) { self.init(count: count, dt: dt, parameters: TraubMilesParameters()) }

    /// Gates start at 0 (as in Brian2's COBAHH example, which leaves them unset).
    public init(count: Int, dt: Double, parameters: TraubMilesParameters) {
        precondition(count >= 0 && dt > 0)
        self.count = count
        self.dt = dt
        self.parameters = parameters
        refractorySteps = Int((parameters.refractory / dt).rounded())
        let padded = (count + 7) / 8 * 8
        v = [Float](repeating: Float(parameters.restMV), count: padded)
        m = [Float](repeating: 0, count: padded)
        h = [Float](repeating: 0, count: padded)
        n = [Float](repeating: 0, count: padded)
        current = [Float](repeating: 0, count: padded)
        lastSpike = [Int32](repeating: Int32.min / 2, count: padded)
    }

    @inline(__always)
    public mutating func update(step: Int, inputs: inout ConductanceInputs, spikes: inout SpikeBuffer, offset: Int32 = 0) {
        let p = parameters
        typealias V8 = SIMD8<Float>
        let dtMS = Float(dt * 1000)
        let dtv = V8(repeating: dtMS)
        let dtC = V8(repeating: dtMS / Float(p.capacitancePF))
        let gl = V8(repeating: Float(p.leakNS)), el = V8(repeating: Float(p.restMV))
        let gna = V8(repeating: Float(p.sodiumNS)), ena = V8(repeating: Float(p.sodiumReversalMV))
        let gk = V8(repeating: Float(p.potassiumNS)), ek = V8(repeating: Float(p.potassiumReversalMV))
        let ee = V8(repeating: inputs.excitatoryReversalMV), ei = V8(repeating: inputs.inhibitoryReversalMV)
        let de = V8(repeating: inputs.decayE), di = V8(repeating: inputs.decayI)
        let vt = V8(repeating: Float(p.shiftMV))
        let detect = V8(repeating: Float(p.detectMV))
        let ready = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: step - refractorySteps))
        let count = self.count
        v.withUnsafeMutableBytes { vr in
        m.withUnsafeMutableBytes { mr in
        h.withUnsafeMutableBytes { hr in
        n.withUnsafeMutableBytes { nr in
        current.withUnsafeBytes { cr in
        lastSpike.withUnsafeBytes { lr in
        inputs.ge.withUnsafeMutableBytes { ger in
        inputs.gi.withUnsafeMutableBytes { gir in
            for c in 0..<(vr.count / 32) {
                let o = c &* 32
                let vv = vr.loadUnaligned(fromByteOffset: o, as: V8.self)
                let mm = mr.loadUnaligned(fromByteOffset: o, as: V8.self)
                let hh = hr.loadUnaligned(fromByteOffset: o, as: V8.self)
                let nn = nr.loadUnaligned(fromByteOffset: o, as: V8.self)
                let g1 = ger.loadUnaligned(fromByteOffset: o, as: V8.self)
                let g2 = gir.loadUnaligned(fromByteOffset: o, as: V8.self)
                let u = vv - vt
                let am = 1.28 / vexprel((13 - u) * 0.25)
                let bm = 1.4 / vexprel((u - 40) * 0.2)
                let ah = 0.128 * vexp((17 - u) * (1.0 / 18))
                let bh = 4 / (1 + vexp((40 - u) * 0.2))
                let an = 0.16 / vexprel((15 - u) * 0.2)
                let bn = 0.5 * vexp((10 - u) * 0.025)
                let m3h = mm * mm * mm * hh
                let n2 = nn * nn
                let gNa = gna * m3h, gK = gk * n2 * n2
                let gt = gl + gNa + gK + g1 + g2
                var i = gl * (el - vv)
                i = i.addingProduct(gNa, ena - vv).addingProduct(gK, ek - vv)
                i = i.addingProduct(g1, ee - vv).addingProduct(g2, ei - vv)
                i += cr.loadUnaligned(fromByteOffset: o, as: V8.self)
                let vNew = vv + dtC * i * vexprel(-dtC * gt)
                @inline(__always) func gate(_ x: V8, _ a: V8, _ b: V8) -> V8 {
                    let s = a + b
                    return x + dtv * (a - s * x) * vexprel(-dtv * s)
                }
                vr.storeBytes(of: vNew, toByteOffset: o, as: V8.self)
                mr.storeBytes(of: gate(mm, am, bm), toByteOffset: o, as: V8.self)
                hr.storeBytes(of: gate(hh, ah, bh), toByteOffset: o, as: V8.self)
                nr.storeBytes(of: gate(nn, an, bn), toByteOffset: o, as: V8.self)
                ger.storeBytes(of: g1 * de, toByteOffset: o, as: V8.self)
                gir.storeBytes(of: g2 * di, toByteOffset: o, as: V8.self)
                let last = lr.loadUnaligned(fromByteOffset: o, as: SIMD8<Int32>.self)
                spikes.append(lanes: (vNew .> detect) .& (last .<= ready), block: c, count: count, offset: offset)
            }
        }}}}}}}}
    }

    /// No reset: only the detection dead time starts.
    @inline(__always)
    public mutating func reset(_ spikes: SpikeBuffer, step: Int, offset: Int32 = 0) {
        let s = Int32(truncatingIfNeeded: step)
        for k in 0..<spikes.count {
            let i = Int(spikes[k] &- offset)
            guard i >= 0 && i < count else { continue }
            lastSpike[i] = s
        }
    }
}
