import SynCore

/// A layer of `outputs` units with feedforward weights W (outputs x inputs), the drive u = W x
/// and the output y of the last sample. Local rules (`HebbianLearningRule`) read x, u and y and
/// change W; their own state (thresholds, lateral weights, running means) lives in the rule.
/// All buffers are allocated once: responding and learning allocate nothing.
public struct HebbianLayer: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// Feedforward weights W (outputs x inputs).
    public var weights: Matrix
    /// Feedforward drive u = W x of the last sample.
    public var drive: [Float]
    /// Output y of the last sample (y = u unless the rule says otherwise).
    public var output: [Float]
    /// Scratch of count `inputs` for rules (reconstructions, residuals).
    public var inputScratch: [Float]
    /// Scratch of count `outputs` for rules (post-synaptic factors, lateral input).
    public var unitScratch: [Float]

    /// W ~ N(0, initScale^2 / inputs) from `rng`.
    public init(inputs: Int, outputs: Int, initScale: Float = 1, rng: inout RNG) {
        precondition(inputs > 0 && outputs > 0)
        self.inputs = inputs
        self.outputs = outputs
        let sd = initScale / Float(inputs).squareRoot()
        weights = Matrix(rows: outputs, cols: inputs) { _, _ in rng.normal() * sd }
        drive = [Float](repeating: 0, count: outputs)
        output = drive
        unitScratch = drive
        inputScratch = [Float](repeating: 0, count: inputs)
    }

    /// Computes u = W x and the output y of `rule` for x (count `inputs`) without learning.
    public mutating func respond(_ x: [Float], rule: some HebbianLearningRule) {
        precondition(x.count == inputs)
        Kernels.gemv(weights, x, into: &drive)
        rule.respond(&self)
    }

    /// Responds to x and applies one update of `rule`.
    public mutating func learn(_ x: [Float], rule: inout some HebbianLearningRule) {
        respond(x, rule: rule)
        rule.learn(&self, x: x)
    }

    /// w_ij += eta y_i (x_j - d_i w_ij) with d_i = decay[i] (1 when nil); rows with y_i = 0 are
    /// skipped. The shared form of Oja's, SoftHebb's and Földiák's feedforward updates.
    public mutating func rowUpdate(x: [Float], decay: [Float]?, eta: Float) {
        let n = inputs
        let y = output
        x.withUnsafeBufferPointer { x in
            weights.storage.withUnsafeMutableBufferPointer { w in
                for i in 0..<y.count where y[i] != 0 {
                    let a = eta * y[i], d = decay?[i] ?? 1
                    for j in 0..<n { w[i * n + j] += a * (x[j] - d * w[i * n + j]) }
                }
            }
        }
    }
}
