import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters of a leaky integrate-and-fire group with current-based exponential synapses and
/// optional spike-triggered adaptation (adaptive LIF).
///
/// Sub-threshold dynamics (all potentials in mV, times in seconds):
///
///     tauM dv/dt = (El + bias_i - v) + s ge + gi - a      (held at Vr while refractory)
///     tauE dge/dt = -ge          tauI dgi/dt = -gi          tauA da/dt = -a
///
/// - `v` membrane potential (mV); `El` resting potential (mV); `bias_i` constant drive R*I (mV)
/// - `ge`, `gi` excitatory / inhibitory synaptic currents in voltage units (mV): a spike through
///   a synapse of weight w (mV) adds w to `ge` (w > 0) or `gi` (w < 0)
/// - `s` = `geScaleMV`: 1 when ge is in mV; (Ee - Vr) when ge is a dimensionless conductance
///   as in Brian2's STDP example, `dv/dt = (ge (Ee - vr) + El - v) / taum`
/// - `a` adaptation (mV), incremented by `adaptationMV` (b) at each spike (0 = plain LIF)
/// - spike when `v > Vt + theta_i` (theta_i: per-neuron threshold offset, 0 unless intrinsic
///   plasticity moves it); then `v = Vr` and v is frozen for `refractory` seconds
/// - optional white noise: `noiseMV` is the stationary SD (mV) of the free membrane
///   (Ornstein-Uhlenbeck, integrated exactly).
///
/// The linear system is integrated exactly over one step dt (as Brian2's `method='exact'`):
///
///     v(t+dt) = vinf + (v - vinf) e^(-dt/tauM) + sum_x k_x x(t),  x in {ge, gi, -a}
///     k_x = tauX / (tauX - tauM) * (e^(-dt/tauX) - e^(-dt/tauM))   (dt/tauM e^(-dt/tauM) if equal)
public struct LIFParameters: Sendable, Equatable {
    /// Membrane time constant tauM (s).
    public var tauM: Double
    /// Excitatory synaptic time constant tauE (s).
    public var tauE: Double
    /// Inhibitory synaptic time constant tauI (s).
    public var tauI: Double
    /// Resting (leak reversal) potential El (mV).
    public var restMV: Double
    /// Threshold Vt (mV): spike when v > Vt.
    public var thresholdMV: Double
    /// Reset Vr (mV).
    public var resetMV: Double
    /// Absolute refractory period (s); v is held at Vr for round(refractory/dt) steps.
    public var refractory: Double
    /// Adaptation time constant tauA (s).
    public var tauA: Double
    /// Adaptation increment b per spike (mV); 0 disables adaptation.
    public var adaptationMV: Double
    /// Stationary SD of membrane noise (mV); 0 disables noise.
    public var noiseMV: Double
    /// Scale s of ge in the membrane equation (mV per unit of ge).
    public var geScaleMV: Double

    public init(tauM: Double = 0.020, tauE: Double = 0.005, tauI: Double = 0.010, restMV: Double = -49,
                thresholdMV: Double = -50, resetMV: Double = -60, refractory: Double = 0.005,
                tauA: Double = 0.1, adaptationMV: Double = 0, noiseMV: Double = 0, geScaleMV: Double = 1) {
        self.tauM = tauM
        self.tauE = tauE
        self.tauI = tauI
        self.restMV = restMV
        self.thresholdMV = thresholdMV
        self.resetMV = resetMV
        self.refractory = refractory
        self.tauA = tauA
        self.adaptationMV = adaptationMV
        self.noiseMV = noiseMV
        self.geScaleMV = geScaleMV
    }

    /// The Vogels & Abbott (2005) CUBA neuron as in Brian2's `examples/CUBA.py`.
    public static let cuba = LIFParameters()

    /// Coefficient of an exponentially decaying input with time constant `tau` in the exact
    /// one-step solution of `tauM dv/dt = -v + x(t)`, `x(t) = x0 e^(-t/tau)`.
    public static func inputCoefficient(tau: Double, tauM: Double, dt: Double) -> Double {
        if abs(tau - tauM) < 1e-12 * tauM { return dt / tauM * exp(-dt / tauM) }
        return tau / (tau - tauM) * (exp(-dt / tau) - exp(-dt / tauM))
    }

    /// The closed-form firing rate (Hz) of this neuron under a constant drive R*I = `driveMV`
    /// (no synaptic input, no adaptation, no noise):
    /// f = 1 / (t_ref + tauM ln((RI - (Vr - El)) / (RI - (Vt - El)))), 0 when RI <= Vt - El.
    public func rateHz(driveMV: Double) -> Double {
        let above = driveMV - (thresholdMV - restMV)
        guard above > 0 else { return 0 }
        return 1 / (refractory + tauM * log((driveMV - (resetMV - restMV)) / above))
    }
}

/// A group of LIF neurons as structure-of-arrays Float32 state (see `LIFParameters` for the
/// equations). Arrays are padded to a multiple of 8 so the update runs in SIMD8 lanes.
public struct LIFGroup: Sendable {
    public let count: Int
    public let parameters: LIFParameters
    /// Seconds per step.
    public let dt: Double
    public let refractorySteps: Int
    /// Membrane potential (mV), `paddedCount` entries.
    public var v: [Float]
    /// Excitatory / inhibitory synaptic currents (mV) entering the next update. Stored scaled
    /// (see `geScaled`); this accessor materialises them (O(n): for views and tests, not for
    /// hot loops, which add through `excitatoryInputScale`).
    public var ge: [Float] {
        get { let s = powE[nextStep - epoch]; return geScaled.map { $0 * s } }
        set { let s = invPowE[nextStep - epoch]; geScaled = newValue.map { $0 * s } }
    }
    public var gi: [Float] {
        get { let s = powI[nextStep - epoch]; return giScaled.map { $0 * s } }
        set { let s = invPowI[nextStep - epoch]; giScaled = newValue.map { $0 * s } }
    }
    /// Lazily decayed currents: the value entering the update of step t is
    /// `geScaled[i] * e^(-(t - epoch) dt / tauE)`, so the per-step decay costs no store; a jump
    /// w arriving for step t is added as `w * e^(+(t - epoch) dt / tauE)`. Every
    /// `epochLength` steps (a fixed grid of steps, so runs stay chunk-invariant) the factor is
    /// folded back into the values.
    var geScaled: [Float]
    var giScaled: [Float]
    var epoch = 0
    /// The step whose input the stored state represents (the next update's step).
    public private(set) var nextStep = 0
    let epochLength: Int
    let powE: [Float], powI: [Float], invPowE: [Float], invPowI: [Float]
    /// Adaptation variable (mV).
    public var a: [Float]
    /// Last step of each neuron's refractory period (v frozen in updates of steps <= it).
    public var refractoryUntil: [Int32]
    /// Constant drive R*I per neuron (mV).
    public var bias: [Float] { didSet { hasBias = true } }
    /// False until `bias` is first written (skips its loads in the hot loop).
    var hasBias = false
    /// Per-neuron threshold offset (mV), moved by intrinsic plasticity.
    public var theta: [Float] { didSet { hasThreshold = true } }
    /// False until `theta` is first written (skips its loads in the hot loop).
    var hasThreshold = false
    let paddedCount: Int
    // Exact one-step factors.
    let decayM: Float, decayA: Float
    let coefE: Float, coefI: Float, coefA: Float
    let noiseScale: Float

    public init(count: Int, parameters: LIFParameters, dt: Double) {
        precondition(count >= 0 && dt > 0)
        self.count = count
        self.parameters = parameters
        self.dt = dt
        paddedCount = (count + 7) / 8 * 8
        refractorySteps = Int((parameters.refractory / dt).rounded())
        let p = parameters
        decayM = Float(exp(-dt / p.tauM))
        decayA = Float(exp(-dt / p.tauA))
        coefE = Float(p.geScaleMV * LIFParameters.inputCoefficient(tau: p.tauE, tauM: p.tauM, dt: dt))
        coefI = Float(LIFParameters.inputCoefficient(tau: p.tauI, tauM: p.tauM, dt: dt))
        coefA = p.adaptationMV == 0 ? 0 : -Float(LIFParameters.inputCoefficient(tau: p.tauA, tauM: p.tauM, dt: dt))
        noiseScale = Float(p.noiseMV * (1 - exp(-2 * dt / p.tauM)).squareRoot())
        // Epochs short enough that the scale stays within e^(+-20) (far from Float limits).
        epochLength = max(1, min(256, Int(20 * min(p.tauE, p.tauI) / dt)))
        powE = (0...epochLength).map { Float(exp(-Double($0) * dt / p.tauE)) }
        powI = (0...epochLength).map { Float(exp(-Double($0) * dt / p.tauI)) }
        invPowE = (0...epochLength).map { Float(exp(Double($0) * dt / p.tauE)) }
        invPowI = (0...epochLength).map { Float(exp(Double($0) * dt / p.tauI)) }
        let n = paddedCount
        v = [Float](repeating: Float(p.resetMV), count: n)
        geScaled = [Float](repeating: 0, count: n)
        giScaled = [Float](repeating: 0, count: n)
        a = [Float](repeating: 0, count: n)
        refractoryUntil = [Int32](repeating: -1, count: n)
        bias = [Float](repeating: 0, count: n)
        theta = [Float](repeating: 0, count: n)
    }

    /// State update and threshold of step `step` in one pass over the SIMD lanes: integrates
    /// v, ge, gi, a exactly over dt (v frozen while refractory), then appends the indices
    /// (plus `offset`) of non-refractory neurons with v > Vt + theta to `spikes`. `noise`
    /// supplies N(0, 1) draws only when the group has membrane noise.
    @inline(__always)
    public mutating func update(step: Int, noise: inout RNG, spikes: inout SpikeBuffer, offset: Int32 = 0) {
        if step != nextStep || step - epoch >= epochLength {
            // Fold the decay into the stored values; a jump in `step` keeps the values as they are.
            foldDecay()
            epoch = step
            nextStep = step
        }
        defer { nextStep = step + 1 }
        if noiseScale != 0 {
            integrate(step: step, spikes: &spikes, offset: offset, detect: false)
            let s = noiseScale
            let t = Int32(truncatingIfNeeded: step)
            for i in 0..<count where refractoryUntil[i] &- t < 0 { v[i] += s * noise.normal() }
            threshold(step: step, into: &spikes, offset: offset)
        } else if !hasThreshold && !hasBias && parameters.adaptationMV == 0 && parameters.resetMV < parameters.thresholdMV {
            integrateFast(step: step, spikes: &spikes, offset: offset)
        } else {
            integrate(step: step, spikes: &spikes, offset: offset, detect: true)
        }
    }

    /// Multiplier for jumps added to `geScaled` / `giScaled` now (for the next update).
    public var excitatoryInputScale: Float { invPowE[nextStep - epoch] }
    public var inhibitoryInputScale: Float { invPowI[nextStep - epoch] }

    /// Materialises the currents for `nextStep` and restarts the epoch there.
    mutating func foldDecay() {
        let se = powE[nextStep - epoch], si = powI[nextStep - epoch]
        if se != 1 || si != 1 {
            for i in 0..<paddedCount {
                geScaled[i] *= se
                giScaled[i] *= si
            }
        }
        epoch = nextStep
    }

    /// The common case (no bias, adaptation, threshold offsets or noise; Vr < Vt, so frozen
    /// neurons cannot cross): v' = El (1 - dm) + v dm + ce ge + ci gi as three FMAs, two blocks
    /// of 8 neurons per iteration with one mask reduction.
    @inline(__always)
    mutating func integrateFast(step: Int, spikes: inout SpikeBuffer, offset: Int32) {
        let n8 = paddedCount / 8
        let n = count
        let dm = SIMD8<Float>(repeating: decayM)
        let lag = step - epoch
        let ce = SIMD8<Float>(repeating: coefE * powE[lag]), ci = SIMD8<Float>(repeating: coefI * powI[lag])
        let k = SIMD8<Float>(repeating: Float(parameters.restMV * (1 - Double(decayM))))
        let vt = SIMD8<Float>(repeating: Float(parameters.thresholdMV))
        let t = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: step))
        let zero = SIMD8<Int32>(repeating: 0)
        v.withUnsafeMutableBufferPointer { vp in
        geScaled.withUnsafeBufferPointer { gep in
        giScaled.withUnsafeBufferPointer { gip in
        refractoryUntil.withUnsafeBufferPointer { rp in
            let vr = UnsafeMutableRawBufferPointer(vp)
            let ger = UnsafeRawBufferPointer(gep)
            let gir = UnsafeRawBufferPointer(gip)
            let rr = UnsafeRawBufferPointer(rp)
            @inline(__always) func block(_ o: Int) -> SIMDMask<SIMD8<Int32>> {
                let vv = vr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let g1 = ger.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let g2 = gir.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let until = rr.loadUnaligned(fromByteOffset: o, as: SIMD8<Int32>.self)
                let vn = k.addingProduct(vv, dm).addingProduct(g1, ce).addingProduct(g2, ci)
                let vNew = vv.replacing(with: vn, where: (until &- t) .< zero)
                vr.storeBytes(of: vNew, toByteOffset: o, as: SIMD8<Float>.self)
                return vNew .> vt
            }
            func collect(_ c: Int, _ m: SIMDMask<SIMD8<Int32>>) {
                for l in 0..<8 where m[l] {
                    let i = c &* 8 &+ l
                    if i < n { spikes.append(Int32(i) &+ offset) }
                }
            }
            var c = 0
            while c &+ 1 < n8 {
                let m0 = block(c &* 32)
                let m1 = block((c &+ 1) &* 32)
                if Self.anyLane(m0 .| m1) {
                    collect(c, m0)
                    collect(c &+ 1, m1)
                }
                c &+= 2
            }
            if c < n8 {
                let m0 = block(c &* 32)
                if Self.anyLane(m0) { collect(c, m0) }
            }
        }}}}
    }

    @inline(__always)
    mutating func integrate(step: Int, spikes: inout SpikeBuffer, offset: Int32, detect: Bool) {
        let n8 = paddedCount / 8
        let n = count
        let el = Float(parameters.restMV)
        let dm = SIMD8<Float>(repeating: decayM), da = SIMD8<Float>(repeating: decayA)
        let lag = step - epoch
        let ce = SIMD8<Float>(repeating: coefE * powE[lag]), ci = SIMD8<Float>(repeating: coefI * powI[lag])
        let ca = SIMD8<Float>(repeating: coefA)
        let elv = SIMD8<Float>(repeating: el)
        let vt = SIMD8<Float>(repeating: Float(parameters.thresholdMV))
        let t = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: step))
        let zero = SIMD8<Int32>(repeating: 0)
        let adapt = parameters.adaptationMV != 0
        let thetaOn = hasThreshold
        v.withUnsafeMutableBufferPointer { vp in
        geScaled.withUnsafeBufferPointer { gep in
        giScaled.withUnsafeBufferPointer { gip in
        a.withUnsafeMutableBufferPointer { ap in
        refractoryUntil.withUnsafeBufferPointer { rp in
        theta.withUnsafeBufferPointer { tp in
        bias.withUnsafeBufferPointer { bp in
            let vr = UnsafeMutableRawBufferPointer(vp)
            let ger = UnsafeRawBufferPointer(gep)
            let gir = UnsafeRawBufferPointer(gip)
            let ar = UnsafeMutableRawBufferPointer(ap)
            let rr = UnsafeRawBufferPointer(rp)
            let tr = UnsafeRawBufferPointer(tp)
            let br = UnsafeRawBufferPointer(bp)
            for c in 0..<n8 {
                let o = c &* 32
                let vv = vr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let g1 = ger.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let g2 = gir.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                let until = rr.loadUnaligned(fromByteOffset: o, as: SIMD8<Int32>.self)
                let vinf = elv + br.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                var vn = vinf.addingProduct(vv - vinf, dm).addingProduct(g1, ce).addingProduct(g2, ci)
                if adapt {
                    let aa = ar.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                    vn = vn.addingProduct(aa, ca)
                    ar.storeBytes(of: aa * da, toByteOffset: o, as: SIMD8<Float>.self)
                }
                // Frozen while step <= refractoryUntil (wrapping difference, so Int32 steps roll over safely).
                let active = (until &- t) .< zero
                let vNew = vv.replacing(with: vn, where: active)
                vr.storeBytes(of: vNew, toByteOffset: o, as: SIMD8<Float>.self)
                if detect {
                    let th = thetaOn ? vt + tr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) : vt
                    let m = (vNew .> th) .& active
                    if Self.anyLane(m) {
                        for l in 0..<8 where m[l] {
                            let i = c * 8 + l
                            if i < n { spikes.append(Int32(i) + offset) }
                        }
                    }
                }
            }
        }}}}}}}
    }

    /// True when any lane of the mask is set (a lane OR-reduction; the standard `any` is not
    /// always inlined and then costs a call per 8 neurons).
    @inline(__always)
    static func anyLane(_ m: SIMDMask<SIMD8<Int32>>) -> Bool {
        let bits = unsafeBitCast(m, to: SIMD8<Int32>.self)
        let h = bits.lowHalf | bits.highHalf
        let q = h.lowHalf | h.highHalf
        return (q[0] | q[1]) != 0
    }

    /// Threshold alone (used after noise): appends non-refractory neurons with v > Vt + theta.
    @inline(__always)
    public func threshold(step: Int, into spikes: inout SpikeBuffer, offset: Int32 = 0) {
        let vt = Float(parameters.thresholdMV)
        let t = Int32(truncatingIfNeeded: step)
        for i in 0..<count where v[i] > vt + theta[i] && refractoryUntil[i] &- t < 0 {
            spikes.append(Int32(i) + offset)
        }
    }

    /// True while neuron i is refractory at step `step`.
    public func isRefractory(_ i: Int, at step: Int) -> Bool {
        refractoryUntil[i] &- Int32(truncatingIfNeeded: step) >= 0
    }

    /// Reset of the neurons that spiked (indices `spikes[k] - offset`): v = Vr, refractory,
    /// adaptation increment.
    @inline(__always)
    public mutating func reset(_ spikes: SpikeBuffer, step: Int, offset: Int32 = 0) {
        let vr = Float(parameters.resetMV)
        let until = Int32(truncatingIfNeeded: step + refractorySteps)
        let b = Float(parameters.adaptationMV)
        for k in 0..<spikes.count {
            let i = Int(spikes[k] - offset)
            v[i] = vr
            refractoryUntil[i] = until
            if b != 0 { a[i] += b }
        }
    }
}

/// A reusable list of spiking neuron indices for one step (no allocation after warm-up).
public struct SpikeBuffer: Sendable {
    public private(set) var indices: [Int32]
    public private(set) var count: Int = 0

    public init(capacity: Int) {
        indices = [Int32](repeating: 0, count: max(1, capacity))
    }

    @inline(__always) public mutating func append(_ i: Int32) {
        if count == indices.count { indices.append(contentsOf: [Int32](repeating: 0, count: indices.count)) }
        indices[count] = i
        count += 1
    }

    @inline(__always) public mutating func removeAll() { count = 0 }

    @inline(__always) public subscript(k: Int) -> Int32 { indices[k] }

    /// The current spikes as an array (allocates; for tests and views).
    public var array: [Int32] { Array(indices[0..<count]) }
}
