/// The LIF node of the deep E-I network (spikingjelly `LIFNode`, `decay_input = False`,
/// `v_reset = None`, `detach_reset = True`), run for T steps over a block of R = T·B rows
/// (row t·B + b is sample b at step t) with V = 0 at the start of each sample:
///
///     H[t] = V[t−1] − V[t−1]/τ + I[t]      (τ in steps; the input is not decayed)
///     S[t] = 1[H[t] ≥ V_th],  V[t] = H[t] − S[t] V_th   (soft reset: subtract the threshold)
///
/// Backward, ∂S/∂H is the surrogate's pseudo-derivative at H − V_th and the reset is detached
/// (∂V/∂H = 1): dL/dH[t] = dL/dS[t] S'(H[t]) + (1 − 1/τ) dL/dH[t+1], dL/dI[t] = dL/dH[t].
public struct SoftResetLIF: Sendable, Equatable {
    /// Membrane time constant in steps (≥ 1).
    public var tau: Float
    /// Threshold V_th (dimensionless, the unit of the input current).
    public var threshold: Float

    public init(tau: Float = 2, threshold: Float = 1) {
        precondition(tau >= 1 && threshold > 0)
        self.tau = tau
        self.threshold = threshold
    }

    /// H and S (both R x n) for the input current I (R x n), T steps of `current.count / (T n)` samples.
    public func forward(_ current: [Float], steps T: Int, width n: Int) -> (h: [Float], s: [Float]) {
        let rowsPerStep = current.count / max(1, T * n) * n
        let decay = 1 - 1 / tau, th = threshold
        var h = [Float](repeating: 0, count: current.count), s = h
        var v = [Float](repeating: 0, count: rowsPerStep)
        for t in 0..<T {
            let o = t * rowsPerStep
            for k in 0..<rowsPerStep {
                let hk = decay * v[k] + current[o + k]
                let sk: Float = hk >= th ? 1 : 0
                h[o + k] = hk
                s[o + k] = sk
                v[k] = hk - sk * th
            }
        }
        return (h, s)
    }

    /// dL/dI (R x n) from dL/dS (R x n) and the forward pass's H.
    public func backward(_ gS: [Float], h: [Float], steps T: Int, width n: Int, surrogate: any SurrogateGradient) -> [Float] {
        let rowsPerStep = gS.count / max(1, T * n) * n
        let decay = 1 - 1 / tau
        var gI = [Float](repeating: 0, count: gS.count)
        var gV = [Float](repeating: 0, count: rowsPerStep)
        for t in stride(from: T - 1, through: 0, by: -1) {
            let o = t * rowsPerStep
            for k in 0..<rowsPerStep {
                let gH = gS[o + k] * surrogate.derivative(h[o + k] - threshold) + gV[k]
                gI[o + k] = gH
                gV[k] = decay * gH
            }
        }
        return gI
    }
}
