import SynCore

/// The state of an `MLPLearningRule` acting on one network: accumulated estimate, optimiser
/// moments, perturbation buffer and the random stream for perturbations and weight noise.
/// `reset` clears the state (live rule switching keeps the network, resets this).
///
/// Online feedback rules with SGD (`isFusedSGD`) run `MLPCore.sgdStep` directly: the learner
/// caches their feedback mode, so a sample costs no call through the rule existential.
public struct MLPLearner: Sendable {
    public private(set) var rule: any MLPLearningRule
    var grad: [Float]
    var moments: MLPOptimizer.State
    var noise: [Float]
    /// NVRM's perturbation ε of the current update (empty when the rule has none), the mean
    /// weights θ̄ it perturbs, and whether the network currently holds θ̄ + ε.
    var epsilon: [Float] = []
    var mean: [Float] = []
    var perturbed = false
    var inBatch = 0
    var rng: RNG
    /// The sd b of NVRM's perturbation ε in use: the rule's, or what `setParameterNoise` set.
    public private(set) var parameterNoise: Float
    let paramCount: Int
    /// The fused path's settings (error feedback, curl signs, η) when it applies, else nil.
    private var fused: (mode: ErrorFeedback, useSigns: Bool, eta: Float)?
    private var batch: Int

    public init(rule: any MLPLearningRule, layout: MLPLayout, rng: RNG) {
        self.rule = rule
        paramCount = layout.paramCount
        grad = [Float](repeating: 0, count: paramCount + 1)
        moments = MLPOptimizer.State(count: paramCount + 1)
        noise = grad
        self.rng = rng
        batch = rule.batch
        parameterNoise = rule.parameterNoise
        fused = Self.fusedSettings(rule)
    }

    private static func fusedSettings(_ rule: any MLPLearningRule) -> (mode: ErrorFeedback, useSigns: Bool, eta: Float)? {
        guard rule.isFusedSGD, let mode = rule.feedback else { return nil }
        return (mode, rule.flipFraction != nil, rule.eta)
    }

    /// Puts the mean weights θ̄ back when the network holds NVRM's θ̄ + ε (before a measurement,
    /// a rule switch or an update). A later sample of the same batch re-applies the same ε, so
    /// settling never changes the numbers.
    public mutating func settle(_ net: inout MLP) {
        guard perturbed else { return }
        net.params = mean
        perturbed = false
    }

    /// Switches to `rule`, clearing accumulated gradient and optimiser moments (the random
    /// stream continues, so switching is deterministic).
    public mutating func reset(rule newRule: any MLPLearningRule) {
        rule = newRule
        batch = newRule.batch
        parameterNoise = newRule.parameterNoise
        fused = Self.fusedSettings(newRule)
        for i in 0..<grad.count { grad[i] = 0 }
        moments.reset()
        inBatch = 0
    }

    /// Changes b, the sd of the perturbation ε of a rule that perturbs its weights (NVRM), keeping
    /// its state; the next update draws its ε with it. Ignored by other rules.
    public mutating func setParameterNoise(_ b: Float) {
        precondition(b >= 0 && b.isFinite)
        guard rule.perturbsParameters else { return }
        parameterNoise = b
    }

    /// Changes the learning rate of the active rule, keeping its state.
    public mutating func setEta(_ eta: Float) {
        precondition(eta > 0)
        rule.eta = eta
        fused?.eta = eta
    }

    /// Trains on one sample (x, t) and returns its loss (before the update). Updates are applied
    /// every `rule.batch` samples.
    public mutating func train(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>) -> Float {
        if let f = fused {
            // Wide networks share each sample's passes with the thread's compute pool (same bits).
            if !f.useSigns, let pool = ComputePool.current, net.layout.paramCount >= MLPCore.parallelWeights {
                return net.withCore { $0.sgdStep(x, t, eta: f.eta, feedback: f.mode, pool: pool) }
            }
            return net.withCore { $0.sgdStep(x, t, eta: f.eta, feedback: f.mode, useSigns: f.useSigns) }
        }
        var g = grad
        grad = []
        let loss = accumulate(&net, x: x, t: t, into: &g, scale: 1)
        grad = g
        inBatch += 1
        if inBatch == batch {
            apply(&net, scale: 1 / Float(batch))
            inBatch = 0
            for i in 0..<grad.count { grad[i] = 0 }
        }
        return loss
    }

    /// Adds scale * g (this rule's estimate for sample (x, t)) to `g`; returns the clean loss.
    /// Draws perturbations from the learner's stream.
    public mutating func accumulate(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>, into g: inout [Float], scale: Float) -> Float {
        var r = rng
        var buf = noise
        noise = []
        defer { rng = r; noise = buf }
        let b = parameterNoise
        if b > 0 {
            // NVRM: one ε per update (drawn with the batch's first sample); the batch's
            // gradients are taken at θ̄ + ε, and `settle` / the update put θ̄ back exactly.
            if inBatch == 0 || epsilon.count != net.params.count {
                epsilon = [Float](repeating: 0, count: net.params.count)
                for k in epsilon.indices { epsilon[k] = b * r.normal() }
            }
            if !perturbed {
                mean = net.params
                for k in net.params.indices { net.params[k] = mean[k] + epsilon[k] }
                perturbed = true
            }
        }
        return rule.estimate(&net, x: x, t: t, into: &g, scale: scale, noise: &buf, rng: &r)
    }

    /// Applies the accumulated estimate (times `scale`) with the rule's optimiser, then the
    /// rule's weight noise.
    mutating func apply(_ net: inout MLP, scale: Float) {
        settle(&net)
        rule.optimizer.apply(&net, grad: grad, scale: scale, eta: rule.eta, state: &moments)
        let s = rule.weightNoise
        if s > 0 {
            let lay = net.layout
            for l in 0..<lay.layers {
                let o = lay.wOffset[l]
                for k in o..<(o + lay.weightCount(l)) { net.params[k] += s * rng.normal() }
            }
        }
    }
}

/// Cosine similarity of two vectors, in Double; NaN when either is zero (the angle is undefined,
/// and a chart draws a gap instead of a misleading 0).
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var ab = 0.0, aa = 0.0, bb = 0.0
    for i in 0..<a.count {
        let x = Double(a[i]), y = Double(b[i])
        ab += x * y; aa += x * x; bb += y * y
    }
    guard aa > 0, bb > 0 else { return .nan }
    return ab / (aa * bb).squareRoot()
}
