import SynModels

/// A validated scene: metadata, the model configuration, the panels and the run schedule.
public struct SceneSpec: Sendable {
    /// File path used in messages.
    public var file: String
    /// Bare scene name (file stem), e.g. `oja`.
    public var name: String
    public var title: String
    /// Short teaching text shown in the dashboard.
    public var description: String
    public var seed: UInt64
    /// Default number of steps for `synaptop run` without `--steps`.
    public var steps: Int
    /// Metrics are measured every `metricsEvery` steps (and at step 0).
    public var metricsEvery: Int
    public var model: any SceneModel
    public var panels: [PanelSpec]
    /// Things the loader adjusted and the user should know (e.g. a panel metric another task
    /// produces, dropped); `check`, `run` and `describe` print them as `note:` lines.
    public var notes: [String] = []
    /// The dashboard's starting speed in steps per second (`speed = N`), chosen so the scene's
    /// effect is watchable; nil means as fast as possible.
    public var speed: Double?
    /// Every settable key of the file as a dotted path (`rule.eta`, `network.outputs`, `seed`),
    /// plus the parameters of the scene's rules: what the dashboard's `:set` completes.
    public var keys: [String] = []
    /// The exact text the scene was parsed from (before overrides): what a checkpoint embeds,
    /// so it resumes even when the file changed or moved.
    public var source: [UInt8] = []
    /// The guided tour (`[[tour]]`), in order; empty when the scene has none.
    public var tour: [TourStop] = []

    /// Builds the simulation with `seed` (default: the scene's).
    public func makeSimulation(seed: UInt64? = nil) throws(SceneError) -> any Simulation {
        try model.makeSimulation(seed: seed ?? self.seed)
    }
}

/// One dashboard panel declared by a scene (`[[panel]]`).
public struct PanelSpec: Sendable, Equatable {
    /// What the panel shows.
    public enum Content: Sendable, Equatable {
        /// A line chart of metric series.
        case chart(metrics: [String], logY: Bool, range: ClosedRange<Double>?)
        /// A named view of the simulation (raster, weights, spectrum, ...).
        case view(String)
        /// The scene description and the active rule's equation (and probe values when paused).
        case teaching
        /// Sparklines of several metrics with their latest values.
        case sparklines([String])
    }
    public var title: String
    public var content: Content
    /// Relative size in its row (1 = default).
    public var weight: Int
    /// Row of the layout this panel goes in (panels with the same row share it, left to right).
    public var row: Int

    public init(title: String, content: Content, weight: Int = 1, row: Int) {
        self.title = title
        self.content = content
        self.weight = weight
        self.row = row
    }
}
