import SynModels

/// The typed, validated configuration of one kind of model (`model = "oja"`), decoded from a
/// scene file. It knows its metrics, views and rules before anything is built, so `check` can
/// validate panels without allocating a network.
public protocol SceneModel: Sendable {
    /// The value of the scene's `model` key that selects this type.
    static var kind: String { get }
    /// One-line summary for `synaptop list --models` and error hints.
    static var summary: String { get }
    /// Reads and validates this model's keys (e.g. `[network]`, `[rule]`, `[task]`) from the
    /// top-level table. Unknown keys inside tables it reads must be rejected (`finish()`).
    init(reading scene: inout SceneReader) throws(SceneError)
    /// Metric names this configuration reports (snake_case).
    var metricNames: [String] { get }
    /// Panel views the built simulation provides.
    var viewNames: [String] { get }
    /// Rules a user may switch between (the first entry is not necessarily the start rule).
    var ruleNames: [String] { get }
    /// The metrics of this configuration with units and meanings (`metricNames` order).
    var metrics: [MetricSpec] { get }
    /// Every metric any configuration of this model kind can report (a panel naming one that
    /// the current task does not produce is dropped with a note instead of failing to load).
    static var metricCatalog: [MetricSpec] { get }
    /// The views with what they show (`viewNames` order).
    var views: [ViewSpec] { get }
    /// The rules with their parameters as configured, for `synaptop describe`.
    var ruleSummaries: [RuleSummary] { get }
    /// The rule family (`RuleCatalog` name) whose registry this model's `[rule]` table reads.
    static var ruleFamily: String { get }
    /// Memory and work of this configuration, estimated from its sizes before anything is
    /// allocated; `SceneLoader` refuses a scene over `CostEstimate.maxBytes`.
    func cost(metricsEvery: Int) -> CostEstimate
    /// Builds the simulation state from a seed; must not fail for a validated configuration,
    /// except when loading external data (e.g. an IDX file that vanished).
    func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation
}

extension SceneModel {
    public var metrics: [MetricSpec] { metricNames.map { MetricSpec($0, "") } }
    public static var metricCatalog: [MetricSpec] { [] }
    public var views: [ViewSpec] { viewNames.map { ViewSpec($0, "") } }
    public var ruleSummaries: [RuleSummary] { ruleNames.map { RuleSummary(name: $0, summary: "", parameters: []) } }
}

/// A rule as a scene configures it: name, summary and each parameter with its value.
public struct RuleSummary: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [(parameter: RuleParameter, value: Double)]

    public init(name: String, summary: String, parameters: [(parameter: RuleParameter, value: Double)]) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
    }
}

/// Every model kind a scene file may name. Add new `SceneModel` types here.
public enum SceneModels {
    public static let all: [any SceneModel.Type] = [
        HebbianSceneModel.self,
        MLPSceneModel.self, HopfieldSceneModel.self, EqPropSceneModel.self,
        LIFNetworkSceneModel.self, STDPNeuronSceneModel.self, IzhikevichNetworkSceneModel.self,
        AdExSceneModel.self, ReservoirSceneModel.self,
        AdaptiveReservoirSceneModel.self, GainControlSceneModel.self, SKASceneModel.self,
        TauGateSceneModel.self, FusionSceneModel.self,
        EdgeOfStabilitySceneModel.self, GrokkingSceneModel.self, CoupledLearnersSceneModel.self,
        BlockRecurrentSceneModel.self,
        LogDiffusionSceneModel.self, DaleMLPSceneModel.self,
        ContinualSceneModel.self, ContinualPlasticitySceneModel.self,
        ConductanceNetworkSceneModel.self,
        STDPWTASceneModel.self, SurrogateSNNSceneModel.self, PSPMSceneModel.self,
        KVMemorySceneModel.self, StochasticBinarySceneModel.self, MultitaskHopfieldSceneModel.self,
        G2GSceneModel.self, NoiseMaskSceneModel.self, HardConstraintSceneModel.self,
        EchoMemorySceneModel.self,
        BrunelNetworkSceneModel.self,
        SymSTDPSceneModel.self, UltraLIFSceneModel.self,
        HolomorphicEPSceneModel.self,
        BipropSceneModel.self,
        BinaryContinualSceneModel.self,
        NHLSceneModel.self,
        SparseRecordingSceneModel.self,
        WhatWhenSceneModel.self,
        TernaryQATSceneModel.self,
        DeepEISceneModel.self,
        DegeneracySceneModel.self,
    ]

    public static func named(_ kind: String) -> (any SceneModel.Type)? {
        all.first { $0.kind == kind }
    }
}
