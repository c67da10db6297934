/// The excitatory layer of the STDP winner-take-all network (Tavanaei et al. 2019, Diehl & Cook
/// 2015 in the review's discrete form): LIF neurons with an adaptive threshold,
///
///     V_j ← V_j + (dt/τ_m)(V_rest − V_j) + I_j        (mV; I_j = Σ_i w_ij S_i, mV per input spike)
///     spike when V_j ≥ V_th + θ_j,  then V_j ← V_reset, refractory t_ref;  θ_j ← θ_j + θ₊
///
/// With winner-take-all on (the review's stand-in for Diehl & Cook's inhibitory population),
/// only the neuron furthest above its threshold spikes in a step and every neuron is reset.
/// With the adaptive threshold off, θ is neither used nor grown.
public struct WTALayer: Sendable, Equatable {
    public var v: [Float]
    /// Threshold shift θ_j (mV).
    public var theta: [Float]
    var refractory: [Int32]
    /// dt/τ_m.
    public let leak: Float
    public let restMV: Float
    public let resetMV: Float
    public let thresholdMV: Float
    public let refractorySteps: Int32
    public let thetaPlusMV: Float

    public init(neurons: Int, leak: Float, restMV: Float, resetMV: Float, thresholdMV: Float, refractorySteps: Int, thetaPlusMV: Float) {
        v = [Float](repeating: restMV, count: neurons)
        theta = [Float](repeating: 0, count: neurons)
        refractory = [Int32](repeating: 0, count: neurons)
        self.leak = leak
        self.restMV = restMV
        self.resetMV = resetMV
        self.thresholdMV = thresholdMV
        self.refractorySteps = Int32(refractorySteps)
        self.thetaPlusMV = thetaPlusMV
    }

    public var count: Int { v.count }

    /// Back to rest between presentations (θ is kept).
    public mutating func rest() {
        for j in 0..<v.count { v[j] = restMV; refractory[j] = 0 }
    }

    /// One step under input `current` (mV this step); appends the spiking neurons to `spikes`.
    public mutating func step(current: [Float], wta: Bool, adaptive: Bool, spikes: inout SpikeBuffer) {
        var best = -1
        var bestMargin: Float = 0
        for j in 0..<v.count {
            if refractory[j] > 0 {
                refractory[j] -= 1
                v[j] = resetMV
                continue
            }
            v[j] += leak * (restMV - v[j]) + current[j]
            let margin = v[j] - thresholdMV - (adaptive ? theta[j] : 0)
            guard margin >= 0 else { continue }
            if wta {
                if best < 0 || margin > bestMargin { best = j; bestMargin = margin }
            } else {
                fire(j, adaptive: adaptive, spikes: &spikes)
            }
        }
        if best >= 0 {
            for j in 0..<v.count { v[j] = resetMV }
            fire(best, adaptive: adaptive, spikes: &spikes)
        }
    }

    @inline(__always) mutating func fire(_ j: Int, adaptive: Bool, spikes: inout SpikeBuffer) {
        v[j] = resetMV
        refractory[j] = refractorySteps
        if adaptive { theta[j] += thetaPlusMV }
        spikes.append(Int32(j))
    }
}
