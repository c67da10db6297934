import SynCore

/// The tanh RNN of the degeneracy study (science page 35): h_t = tanh(W h_{t−1} + U u_t + b),
/// z_t = C h_t, h_0 = 0. It is a `LeakyRNN` with integration rate α = 1 whose last input
/// channel is the constant 1 of `FlipFlopTask` (its input column is b, initialised to 0).
///
/// Loss: L = (1/(C T)) Σ_{c,t} ‖z_t − ẑ_t‖² + λ ‖θ‖², θ = (W, U, b, C); the reported MSE is
/// per output (L without the penalty, divided by the number of bits).
public struct FlipFlopNetwork: Sendable, Equatable {
    public var rnn: LeakyRNN

    /// W ~ gain · N(0, 1/N), U ~ N(0, 1), b = 0, C ~ N(0, 1/N).
    public init(units: Int, task: FlipFlopTask, gain: Float, rng: inout RNG) {
        rnn = LeakyRNN(units: units, inputs: task.inputs, outputs: task.bits, alpha: 1, gain: gain, rng: &rng)
        let ni = task.inputs
        for i in 0..<units { rnn.params[rnn.bOffset + i * ni + ni - 1] = 0 }
    }

    public var units: Int { rnn.units }

    /// The recurrent matrix W (N × N, row-major: W[i, j] weighs unit j into unit i).
    public var recurrent: ArraySlice<Float> { rnn.params[0..<(units * units)] }

    /// The loss above on one batch; writes ∂L/∂θ into `grad` (BPTT) and returns the per-output MSE.
    public func lossAndGradient(inputs u: [Float], targets: [Float], sequences c: Int, l2: Float,
                                into grad: inout [Float]) -> Double {
        let steps = targets.count / (c * rnn.outputs)
        let target = LeakyRNN.Trajectory(conditions: c, steps: steps, rates: [], outputs: targets)
        let (out, _) = rnn.lossAndGradient(u, target: target, recorded: [], lambda: 0, into: &grad)
        if l2 > 0 {
            let s = 2 * l2
            rnn.params.withUnsafeBufferPointer { p in
                for i in grad.indices { grad[i] += s * p[i] }
            }
        }
        return out / Double(rnn.outputs)
    }

    /// The value of the loss (with the penalty) at the current θ, for gradient checks.
    public func loss(inputs u: [Float], targets: [Float], sequences c: Int, l2: Float) -> Double {
        let z = rnn.run(u, conditions: c).outputs
        var s = 0.0
        for i in z.indices { let e = Double(z[i] - targets[i]); s += e * e }
        var pen = 0.0
        for p in rnn.params { pen += Double(p) * Double(p) }
        return s / Double(targets.count / rnn.outputs) + Double(l2) * pen
    }

    /// Per-output MSE of the outputs on a batch.
    public func mse(inputs u: [Float], targets: [Float], sequences c: Int) -> Double {
        let z = rnn.run(u, conditions: c).outputs
        var s = 0.0
        for i in z.indices { let e = Double(z[i] - targets[i]); s += e * e }
        return s / Double(targets.count)
    }
}
