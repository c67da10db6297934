import SynCore

/// A learning rule of an `MLP` (`model = "mlp"`): an estimate g of the loss gradient dL/dθ for
/// one sample, averaged over `batch` samples and applied by the rule's optimiser
/// (`MLPOptimizer`). `MLPLearner` holds the state (accumulated estimate, optimiser moments,
/// random stream); a live switch resets it and keeps the network.
///
/// Symbols shared by the rules' equations (all dimensionless): x input (a_0 = x), t target,
/// z_l = W_{l-1} a_{l-1} + b_{l-1} net input and a_l = f(z_l) activity of layer l (L the output
/// layer), L loss (softmax output: cross-entropy −Σ t_k log a_L,k; otherwise ½ |a_L − t|²),
/// δ_l = ∂L/∂z_l error, δ_L = a_L − t (times f′(z_L) for squared error), θ every weight and
/// bias, g the rule's estimate of ∂L/∂θ for one sample, ḡ its mean over `batch` samples,
/// η the learning rate (every rule's `eta`).
public protocol MLPLearningRule: LearningRule {
    /// Learning rate η (dimensionless; live control "eta").
    var eta: Float { get set }
    /// Samples per update (1 = online); the update uses the mean estimate ḡ.
    var batch: Int { get }
    /// How ḡ changes θ (default: SGD, θ ← θ − η ḡ).
    var optimizer: MLPOptimizer { get }
    /// Standard deviation of the Gaussian noise added to every weight after each update
    /// (default 0: none).
    var weightNoise: Float { get }
    /// NVRM: the standard deviation b of a perturbation ε ~ N(0, b²) of every weight and bias,
    /// redrawn every update, at which the gradient is taken (θ̄ + ε); the network keeps the
    /// mean θ̄ (default 0: none).
    var parameterNoise: Float { get }
    /// True when the rule takes its gradient at perturbed weights θ̄ + ε, so its b may be changed
    /// live (the `noise_scale` control), zero included (default false).
    var perturbsParameters: Bool { get }
    /// The error feedback when the estimate is g_W_l = δ_{l+1} a_lᵀ with δ sent back by it
    /// (`MLPFeedbackRule`): such a rule with SGD, batch 1 and no weight noise runs the fused,
    /// allocation-free `MLPCore.sgdStep`. nil for perturbation rules.
    var feedback: ErrorFeedback? { get }
    /// Curl descent: the initial fraction of presynaptic units whose outgoing gradient terms
    /// are sign-flipped (D = diag(±1), `MLP.presynapticSign`); nil when the rule ignores D.
    var flipFraction: Double? { get }
    /// Adds scale · g (this rule's estimate for sample (x, t)) to `g` (parameter-shaped, one
    /// spare element); `noise` is scratch of the same size and `rng` draws the perturbations.
    /// Returns the loss of the clean forward pass.
    func estimate(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>, into g: inout [Float], scale: Float,
                  noise: inout [Float], rng: inout RNG) -> Float
}

extension MLPLearningRule {
    public var optimizer: MLPOptimizer { .sgd }
    public var weightNoise: Float { 0 }
    public var parameterNoise: Float { 0 }
    public var perturbsParameters: Bool { false }
    public var feedback: ErrorFeedback? { nil }
    public var flipFraction: Double? { nil }

    /// True when the fused allocation-free SGD path applies.
    var isFusedSGD: Bool {
        feedback != nil && optimizer == .sgd && batch == 1 && weightNoise == 0 && parameterNoise == 0 && !perturbsParameters
    }

    /// The equation line of the teaching panel: update; estimate; η (and batch, noise).
    func equationLine(update: String? = nil, estimate: String) -> String {
        var s = "\(update ?? optimizer.equation);  \(estimate);  eta = \(eta)"
        if batch > 1 { s += ", batch \(batch)" }
        if weightNoise > 0 { s += ", w += \(weightNoise) N(0,1)" }
        return s
    }
}

/// An MLP rule whose estimate is g_W_l = δ_{l+1} (D a_l)ᵀ, g_b_l = δ_{l+1}, with δ sent back
/// by `errorFeedback` (backprop, feedback alignment, direct feedback alignment) and D = I unless
/// the rule flips signs (`flipFraction` non-nil: curl descent).
public protocol MLPFeedbackRule: MLPLearningRule {
    static var errorFeedback: ErrorFeedback { get }
}

extension MLPFeedbackRule {
    public var feedback: ErrorFeedback? { Self.errorFeedback }

    public func estimate(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>, into g: inout [Float], scale: Float,
                         noise: inout [Float], rng: inout RNG) -> Float {
        let mode = Self.errorFeedback
        let useSigns = flipFraction != nil
        return g.withUnsafeMutableBufferPointer { gb in
            net.withCore { c in
                c.forward(x)
                let loss = c.outputDelta(t)
                c.backward(mode)
                if let gp = gb.baseAddress { c.accumulateGradient(into: gp, scale: scale, useSigns: useSigns) }
                return loss
            }
        }
    }
}

/// Parameters shared by the MLP rules.
enum MLPParameter {
    /// The learning rate every MLP rule declares (`eta`), with the rule's own default.
    static func eta(default value: Double) -> RuleParameter {
        RuleParameter("eta", "learning rate η per update", range: .openClosed(0, 10), default: value)
    }

    /// Samples per update, every MLP rule's `batch`.
    static let batch = RuleParameter("batch", "samples per update (1 = online); the update uses the mean estimate",
                                     range: .closed(1, 65_536), default: 1, kind: .integer)

    /// Perturbation size of node and weight perturbation.
    static func sigma(default value: Double) -> RuleParameter {
        RuleParameter("sigma", "standard deviation σ of the random perturbation", range: .openClosed(0, 10), default: value)
    }
}
