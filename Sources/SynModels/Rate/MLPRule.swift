import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an MLP rule gets its estimate g of the loss gradient dL/dtheta for one sample.
///
/// - `feedback(mode)`: g_W_l = delta_{l+1} a_l^T, g_b_l = delta_{l+1} with delta propagated by
///   backprop, feedback alignment or direct feedback alignment (see `ErrorFeedback`).
/// - `nodePerturbation(sigma)`: add xi ~ N(0, sigma^2) to every net input z_l, measure the loss
///   change against the clean pass (the baseline), dL = L(z + xi) - L(z), and set
///   g_W_l = (dL / sigma^2) xi_{l+1} a_l^T (Williams 1992; Fiete & Seung 2006).
/// - `weightPerturbation(sigma)`: add xi ~ N(0, sigma^2) to every parameter, dL = L(theta + xi)
///   - L(theta) (clean baseline), g = (dL / sigma^2) xi (Jabri & Flower 1992). Its expected
///   cosine with the true gradient is about sqrt(2 / (pi n)) for n parameters.
public enum GradientEstimate: Sendable, Equatable {
    case feedback(ErrorFeedback)
    case nodePerturbation(sigma: Float)
    case weightPerturbation(sigma: Float)
}

/// How an estimate g changes the parameters theta (learning rate eta > 0, dimensionless).
///
/// - `sgd`: theta <- theta - eta g
/// - `momentum(mu)`: v <- mu v + g, theta <- theta - eta v (heavy ball, Polyak 1964)
/// - `adam(beta1, beta2, epsilon)`: m <- b1 m + (1-b1) g, v <- b2 v + (1-b2) g^2,
///   theta <- theta - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon) (Kingma & Ba 2015)
/// - `exponentiated`: w <- w exp(-eta sign(w) g) for weights (biases: SGD). A multiplicative
///   update that never changes a weight's sign, so excitatory and inhibitory synapses stay so
///   (Dale's law); it makes weight distributions log-normal (Cornford et al. 2024, "Brain-like
///   learning with exponentiated gradients").
public enum Optimizer: Sendable, Equatable {
    case sgd
    case momentum(mu: Float)
    case adam(beta1: Float, beta2: Float, epsilon: Float)
    case exponentiated
}

/// A learning rule for an MLP: a gradient estimate, an optimiser and options, as one validated
/// value. `MLPLearner` holds its state.
public struct MLPRule: Sendable, Equatable {
    /// Display name (`backprop`, `feedback_alignment`, ...).
    public var name: String
    public var estimate: GradientEstimate
    public var optimizer: Optimizer
    /// Learning rate eta (dimensionless).
    public var eta: Float
    /// Samples per update (1 = online); the update uses the mean estimate over the batch.
    public var batch: Int
    /// Standard deviation of Gaussian noise added to every weight after each update
    /// (w <- w + weightNoise * N(0, 1)); 0 disables it.
    public var weightNoise: Float
    /// Curl descent (Ninou, Kadmon & Cayco-Gajic 2025): g_W_l = delta_{l+1} (D a_l)^T with
    /// D = diag(+-1) over presynaptic units (`MLP.presynapticSign`), so a chosen fraction of
    /// units have the sign of their outgoing gradient terms flipped. The resulting flow is no
    /// longer a gradient (it has curl).
    public var curl: Bool

    public init(name: String, estimate: GradientEstimate, optimizer: Optimizer = .sgd, eta: Float, batch: Int = 1,
                weightNoise: Float = 0, curl: Bool = false) {
        precondition(eta > 0 && batch >= 1 && weightNoise >= 0)
        self.name = name
        self.estimate = estimate
        self.optimizer = optimizer
        self.eta = eta
        self.batch = batch
        self.weightNoise = weightNoise
        self.curl = curl
    }

    /// The update equation in plain text (teaching panel).
    public var equation: String {
        var g: String
        switch estimate {
        case .feedback(.backprop): g = curl ? "g = delta_post * D a_pre, D = diag(+-1) (curl)" : "g = delta_post * a_pre, delta = (W^T delta_next) f'(z)"
        case .feedback(.feedbackAlignment): g = "g = delta_post * a_pre, delta = (B^T delta_next) f'(z), B fixed random"
        case .feedback(.directFeedbackAlignment): g = "g = delta_post * a_pre, delta_l = (D_l e) f'(z_l), D_l fixed random"
        case .nodePerturbation(let s): g = "g = (L(z+xi) - L(z)) / sigma^2 * xi * a_pre, xi ~ N(0, \(s)^2)"
        case .weightPerturbation(let s): g = "g = (L(w+xi) - L(w)) / sigma^2 * xi, xi ~ N(0, \(s)^2)"
        }
        let u: String
        switch optimizer {
        case .sgd: u = "w <- w - eta g"
        case .momentum(let mu): u = "v <- \(mu) v + g; w <- w - eta v"
        case .adam: u = "w <- w - eta m_hat / (sqrt(v_hat) + eps)"
        case .exponentiated: u = "w <- w exp(-eta sign(w) g)"
        }
        var s = "\(u);  \(g);  eta = \(eta)"
        if batch > 1 { s += ", batch \(batch)" }
        if weightNoise > 0 { s += ", w += \(weightNoise) N(0,1)" }
        return s
    }

    /// True when the fused allocation-free SGD path applies.
    var isFusedSGD: Bool {
        if case .feedback = estimate, optimizer == .sgd, batch == 1, weightNoise == 0 { return true }
        return false
    }
}

/// The state of an `MLPRule` acting on one network: gradient accumulator, optimiser moments,
/// perturbation buffers and the random stream for perturbations and weight noise.
/// `reset` clears the state (live rule switching keeps the network, resets this).
public struct MLPLearner: Sendable {
    public private(set) var rule: MLPRule
    var grad: [Float]
    var m: [Float]
    var v: [Float]
    var noise: [Float]
    var adamSteps = 0
    var inBatch = 0
    var rng: RNG
    let paramCount: Int

    public init(rule: MLPRule, layout: MLPLayout, rng: RNG) {
        self.rule = rule
        paramCount = layout.paramCount
        grad = [Float](repeating: 0, count: paramCount + 1)
        m = grad
        v = grad
        noise = grad
        self.rng = rng
    }

    /// Switches to `rule`, clearing accumulated gradient and optimiser moments (the random
    /// stream continues, so switching is deterministic).
    public mutating func reset(rule newRule: MLPRule) {
        rule = newRule
        for i in 0..<grad.count { grad[i] = 0; m[i] = 0; v[i] = 0 }
        adamSteps = 0
        inBatch = 0
    }

    /// Changes the learning rate of the active rule, keeping its state.
    public mutating func setEta(_ eta: Float) {
        precondition(eta > 0)
        rule.eta = eta
    }

    /// Trains on one sample (x, t) and returns its loss (before the update). Updates are applied
    /// every `rule.batch` samples.
    public mutating func train(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>) -> Float {
        if rule.isFusedSGD, case .feedback(let mode) = rule.estimate {
            let eta = rule.eta, curl = rule.curl
            return net.withCore { $0.sgdStep(x, t, eta: eta, feedback: mode, useSigns: curl) }
        }
        var g = grad
        grad = []
        let loss = accumulate(&net, x: x, t: t, into: &g, scale: 1)
        grad = g
        inBatch += 1
        if inBatch == rule.batch {
            apply(&net, scale: 1 / Float(rule.batch))
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
        return Self.estimate(rule, &net, x: x, t: t, into: &g, scale: scale, noise: &buf, rng: &r)
    }

    /// The estimate of `rule` for one sample added (times `scale`) to `g`, using `noise` as
    /// scratch and `rng` for perturbations. Returns the clean loss.
    public static func estimate(_ rule: MLPRule, _ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>,
                                into g: inout [Float], scale: Float, noise: inout [Float], rng: inout RNG) -> Float {
        let curl = rule.curl
        switch rule.estimate {
        case .feedback(let mode):
            return g.withUnsafeMutableBufferPointer { gb in
                net.withCore { c in
                    c.forward(x)
                    let loss = c.outputDelta(t)
                    c.backward(mode)
                    if let gp = gb.baseAddress { c.accumulateGradient(into: gp, scale: scale, useSigns: curl) }
                    return loss
                }
            }
        case .nodePerturbation(let sigma):
            let lay = net.layout
            let zCount = lay.sizes.dropFirst().reduce(0, +)
            for i in 0..<zCount { noise[i] = sigma * rng.normal() }
            return noise.withUnsafeBufferPointer { nb in
                g.withUnsafeMutableBufferPointer { gb in
                    net.withCore { c in
                        guard let np = nb.baseAddress, let gp = gb.baseAddress else { return 0 }
                        c.forward(x)
                        let clean = c.outputDelta(t)
                        c.forward(x, nodeNoise: np)
                        let noisy = c.outputDelta(t)
                        let k = (noisy - clean) / (sigma * sigma)
                        var o = 0
                        for l in 0..<lay.layers {
                            let d = c.w + lay.dOffset[l]
                            for i in 0..<lay.sizes[l + 1] { d[i] = k * np[o + i] }
                            o += lay.sizes[l + 1]
                        }
                        c.accumulateGradient(into: gp, scale: scale, useSigns: curl)
                        return clean
                    }
                }
            }
        case .weightPerturbation(let sigma):
            // The perturbed parameters are built in `noise` and swapped in (O(1)), so the
            // network's own parameters are restored exactly; xi is then the perturbation
            // actually applied, (theta + xi) - theta.
            let n = net.layout.paramCount
            precondition(noise.count == net.params.count, "noise buffer must match the parameter buffer")
            let clean = net.loss(x, t)
            for i in 0..<n { noise[i] = net.params[i] + sigma * rng.normal() }
            swap(&net.params, &noise)
            let noisy = net.loss(x, t)
            swap(&net.params, &noise)
            let k = scale * (noisy - clean) / (sigma * sigma)
            for i in 0..<n {
                noise[i] -= net.params[i]
                g[i] += k * noise[i]
            }
            return clean
        }
    }

    /// Applies the accumulated estimate (times `scale`) with the rule's optimiser.
    mutating func apply(_ net: inout MLP, scale: Float) {
        let eta = rule.eta
        let n = paramCount
        switch rule.optimizer {
        case .sgd:
            for i in 0..<n { net.params[i] -= eta * scale * grad[i] }
        case .momentum(let mu):
            for i in 0..<n {
                m[i] = mu * m[i] + scale * grad[i]
                net.params[i] -= eta * m[i]
            }
        case .adam(let b1, let b2, let eps):
            adamSteps += 1
            let c1 = 1 / (1 - powf(b1, Float(adamSteps))), c2 = 1 / (1 - powf(b2, Float(adamSteps)))
            for i in 0..<n {
                let gi = scale * grad[i]
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                net.params[i] -= eta * (m[i] * c1) / ((v[i] * c2).squareRoot() + eps)
            }
        case .exponentiated:
            let lay = net.layout
            for l in 0..<lay.layers {
                let o = lay.wOffset[l]
                for k in o..<(o + lay.weightCount(l)) {
                    let w = net.params[k]
                    let sgn: Float = w > 0 ? 1 : (w < 0 ? -1 : 0)
                    net.params[k] = w * expf(-eta * sgn * scale * grad[k])
                }
                let b = lay.bOffset[l]
                for k in b..<(b + lay.sizes[l + 1]) { net.params[k] -= eta * scale * grad[k] }
            }
        }
        if rule.weightNoise > 0 {
            let lay = net.layout
            let s = rule.weightNoise
            for l in 0..<lay.layers {
                let o = lay.wOffset[l]
                for k in o..<(o + lay.weightCount(l)) { net.params[k] += s * rng.normal() }
            }
        }
    }

    /// The direction a rule moves the parameters for estimate g: g itself, or |w| g for the
    /// exponentiated update (its first-order step is -eta |w| g on weights).
    public static func updateDirection(_ rule: MLPRule, net: MLP, estimate g: [Float]) -> [Float] {
        guard rule.optimizer == .exponentiated else { return Array(g.prefix(net.layout.paramCount)) }
        var d = Array(g.prefix(net.layout.paramCount))
        let lay = net.layout
        for l in 0..<lay.layers {
            let o = lay.wOffset[l]
            for k in o..<(o + lay.weightCount(l)) { d[k] *= abs(net.params[k]) }
        }
        return d
    }
}

/// Cosine similarity of two vectors (0 when either is zero), in Double.
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var ab = 0.0, aa = 0.0, bb = 0.0
    for i in 0..<a.count {
        let x = Double(a[i]), y = Double(b[i])
        ab += x * y; aa += x * x; bb += y * y
    }
    guard aa > 0, bb > 0 else { return 0 }
    return ab / (aa * bb).squareRoot()
}
