/// Experience replay (ER; e.g. Chaudhry et al. 2019, the replay arm of De Lange et al. 2023):
/// each step's minibatch of the current task is joined by `replay` samples drawn uniformly from
/// the episodic memory of earlier tasks, and SGD takes the mean gradient over all of them,
/// θ ← θ − η (1/(B + R)) Σ_{new and replayed} ∂L/∂θ.
public struct ExperienceReplay: ContinualLearningRule {
    public static let name = "replay"
    public static let summary = "experience replay: SGD on the new minibatch plus samples from an episodic memory of past tasks"
    public static let eta = ContinualParameter.eta(default: 0.05)
    public static let replay = RuleParameter("replay", "memory samples replayed per step", range: .closed(1, 1024), default: 16, kind: .integer)
    public static let parameters = [eta, replay]

    public var eta: Float
    public let replayBatch: Int
    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        replayBatch = values.integer(Self.replay)
    }

    public var equation: String { "theta <- theta - eta mean(g_new, g_replay);  \(replayBatch) replayed/step, eta = \(eta)" }

    public mutating func apply(_ g: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int, task: Int) -> Int {
        sgdApply(g, theta, count: count, eta: eta)
    }
}
