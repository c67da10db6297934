import SynCore

/// How a frozen foundation network is switched into a task "mode" (`model = "taugate"`,
/// science page 12): which of a `GatedMLP`'s parameters one SGD step on the target mode's
/// cross-entropy L changes, with step size η (dimensionless, per minibatch). Every arm of the
/// scene starts from the same trained foundation; the rule decides what moves.
public protocol ModeTuningRule: LearningRule {
    /// Whether the hidden units' threshold gates are used (soft while training, the scene's
    /// inference gate when evaluated); otherwise the units are plain ReLUs.
    var usesGates: Bool { get }
    /// Prepares the arm's own state on the frozen foundation (e.g. LoRA adapters).
    func bind(_ net: inout GatedMLP, rng: inout RNG)
    /// Number of parameters this rule trains on `net`.
    func trainableCount(_ net: GatedMLP) -> Int
    /// One step: θ ← θ − η ∂L/∂θ for the parameters this rule trains.
    func apply(_ g: GatedMLP.Gradients, to net: inout GatedMLP)
}

extension ModeTuningRule {
    public var usesGates: Bool { false }
    public func bind(_ net: inout GatedMLP, rng: inout RNG) {}

    /// x ← x − η g elementwise.
    func descend(_ x: inout [Float], _ g: [Float], _ eta: Float) {
        for k in x.indices { x[k] -= eta * g[k] }
    }
}

/// The shared step-size parameter of the mode-tuning rules.
enum ModeTuningParameter {
    static let eta = RuleParameter("eta", "SGD step on the target mode's cross-entropy, per minibatch",
                                   range: .closed(1e-5, 2), default: 0.05)
}

/// The registry of mode-tuning rules: scenes and `--rule` find them here by name.
public enum ModeTuningRules {
    public static let registry = RuleRegistry<any ModeTuningRule>(
        family: "mode_tuning",
        summary: "switching a frozen network into a task mode: which parameters train (model taugate)", [
            .init(FoundationMode.self) { $0 },
            .init(BiasOnlyMode.self) { $0 },
            .init(TauGateMode.self) { $0 },
            .init(LoRAMode.self) { $0 },
            .init(FullFineTuneMode.self) { $0 },
        ])
}
