/// A learning rule of a `ContinualSimulation` (`model = "continual"`): how the mean gradient ḡ of
/// one step (a minibatch of the current task, plus replayed samples when the rule replays) changes
/// the parameters θ of the network, with the rule's own state (accumulators), which a live switch
/// resets. The network, the episodic memory and the lateral subspaces belong to the simulation and
/// are kept across switches, so a switch compares arms on the same weights.
///
/// Symbols shared by the equations (dimensionless): θ_i one weight or bias, g_i its gradient
/// ∂L/∂θ_i averaged over the step's samples (cross-entropy loss L), η the learning rate, t the
/// task being trained (1-based).
public protocol ContinualLearningRule: LearningRule {
    /// Learning rate η (live control "eta").
    var eta: Float { get set }
    /// Samples replayed from the episodic memory per step (0: none).
    var replayBatch: Int { get }
    /// Whether updates of each layer are projected onto the orthogonal complement of the lateral
    /// subspaces stored for earlier tasks (HLOP), done by the simulation before `apply`.
    var projectsUpdates: Bool { get }
    /// Allocates the rule's state, zeroed, for `count` parameters (at the start and on a switch).
    mutating func bind(parameterCount count: Int)
    /// Changes θ (`count` values) by the mean gradient g of one step while task `task` (0-based)
    /// trains; returns how many parameters changed.
    mutating func apply(_ g: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int, task: Int) -> Int
    /// The per-parameter accumulator that consolidates weights (CLASSP, AdaGrad), else nil.
    var accumulator: [Float]? { get }
}

extension ContinualLearningRule {
    public var replayBatch: Int { 0 }
    public var projectsUpdates: Bool { false }
    public mutating func bind(parameterCount count: Int) {}
    public var accumulator: [Float]? { nil }
}

/// θ ← θ − η g, the step of the SGD-based arms (fine-tuning, replay, HLOP).
@inlinable func sgdApply(_ g: UnsafePointer<Float>, _ theta: UnsafeMutablePointer<Float>, count: Int, eta: Float) -> Int {
    var changed = 0
    for i in 0..<count where g[i] != 0 {
        theta[i] -= eta * g[i]
        changed += 1
    }
    return changed
}

/// Parameters shared by the continual rules.
enum ContinualParameter {
    static func eta(default value: Double) -> RuleParameter {
        RuleParameter("eta", "learning rate η per step", range: .openClosed(0, 10), default: value)
    }
}

/// The registry of continual-learning rules (`model = "continual"`). A new rule is one file in
/// `Continual/Rules/` and one line below.
public enum ContinualRules {
    public static let registry = RuleRegistry<any ContinualLearningRule>(
        family: "continual", summary: "how a task sequence is learned: fine-tuning, replay, HLOP, CLASSP, AdaGrad (model = \"continual\")", [
            .init(FineTune.self) { $0 },
            .init(ExperienceReplay.self) { $0 },
            .init(HLOP.self) { $0 },
            .init(CLASSP.self) { $0 },
            .init(AdaGrad.self) { $0 },
        ])
}
