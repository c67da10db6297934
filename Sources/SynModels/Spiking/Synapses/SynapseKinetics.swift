/// Kinetics of a population of synapses (BrainPy's synapse models, science page 11): each
/// synapse i carries a conductance g_i (nS per unit weight, or the open fraction for the
/// receptor schemes) that a presynaptic spike kicks and the equations relax, one step of dt at
/// a time; the postsynaptic current is I_i = w g_i B(V) (V − E) with B = 1 except for NMDA's
/// Mg²⁺ block. Each model documents its equations (t in ms, V in mV) and its integrator.
public protocol SynapseKinetics: Sendable {
    /// Registry name.
    static var name: String { get }
    static var summary: String { get }
    /// The equations with units (teaching panel, `describe`).
    static var equation: String { get }
    /// The integration scheme and why it fits.
    static var integrator: String { get }
    /// `count` synapses at rest with the model's documented default parameters, step dt (s).
    init(count: Int, dt: Double)
    var count: Int { get }
    /// Reversal potential E (mV).
    var reversalMV: Float { get }
    /// A presynaptic spike reaches synapse i at the current step (weight w, dimensionless).
    mutating func spike(_ i: Int, weight: Float)
    /// Advances every synapse by dt.
    mutating func step()
    /// g_i now.
    func conductance(_ i: Int) -> Float
    /// Voltage dependence B(V) of the conductance (1 unless the channel is blocked).
    func block(v: Float) -> Float
}

extension SynapseKinetics {
    public func block(v: Float) -> Float { 1 }
    /// The current of synapse i into a membrane at v (mV): g_i B(v) (v − E); positive is outward.
    public func current(_ i: Int, v: Float) -> Float { conductance(i) * block(v: v) * (v - reversalMV) }
}

/// The registry entry of one synapse model.
public struct SynapseKineticsModel: Sendable {
    public let name: String
    public let summary: String
    public let equation: String
    public let integrator: String
    private let build: @Sendable (Int, Double) -> any SynapseKinetics

    public init<S: SynapseKinetics>(_ type: S.Type) {
        name = S.name
        summary = S.summary
        equation = S.equation
        integrator = S.integrator
        build = { S(count: $0, dt: $1) }
    }

    /// `count` synapses of this model with its default parameters, step dt (s).
    public func make(count: Int, dt: Double) -> any SynapseKinetics { build(count, dt) }
}

/// Synapse models found by name (an unknown name is nil: callers report the valid names).
public enum SynapseModels {
    public static let registry: [SynapseKineticsModel] = [
        SynapseKineticsModel(AlphaSynapse.self),
        SynapseKineticsModel(DualExponentialSynapse.self),
        SynapseKineticsModel(AMPASynapse.self),
        SynapseKineticsModel(GABAASynapse.self),
        SynapseKineticsModel(NMDASynapse.self),
    ]

    public static var names: [String] { registry.map(\.name) }

    public static func named(_ name: String) -> SynapseKineticsModel? { registry.first { $0.name == name } }
}
