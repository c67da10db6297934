#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conductance-based synaptic input shared by every `ConductanceNeuronGroup`: per-neuron
/// excitatory and inhibitory conductances (nS) with exponential decay and fixed reversal
/// potentials (the COBA synapse of Brette et al. 2007, benchmarks 1 and 3):
///
///     I_syn = ge (Ee - V) + gi (Ei - V)          (pA = nS x mV)
///     tauE dge/dt = -ge        tauI dgi/dt = -gi   (decayed exactly: g *= e^(-dt/tau))
///     at a presynaptic spike: g += w             (w in nS)
///
/// The neuron group reads ge, gi at t, integrates V over the step and stores the decayed
/// conductances in the same pass (Brian2's schedule: state update, threshold, synapses, reset).
public struct ConductanceInputs: Sendable {
    /// Excitatory / inhibitory reversal potentials Ee, Ei (mV).
    public let excitatoryReversalMV: Float
    public let inhibitoryReversalMV: Float
    /// Per-step decay factors e^(-dt/tauE), e^(-dt/tauI).
    public let decayE: Float
    public let decayI: Float
    /// Conductances (nS), padded to a multiple of 8 like the neuron state.
    public var ge: [Float]
    public var gi: [Float]

    public init(count: Int, parameters p: ConductanceSynapseParameters, dt: Double) {
        precondition(count >= 0 && dt > 0)
        let padded = (count + 7) / 8 * 8
        excitatoryReversalMV = Float(p.excitatoryReversalMV)
        inhibitoryReversalMV = Float(p.inhibitoryReversalMV)
        decayE = Float(exp(-dt / p.tauE))
        decayI = Float(exp(-dt / p.tauI))
        ge = [Float](repeating: 0, count: padded)
        gi = [Float](repeating: 0, count: padded)
    }
}

/// Time constants (s) and reversal potentials (mV) of the exponential conductance synapses;
/// defaults are those of Brette et al. (2007) benchmarks 1 (COBA) and 3 (COBAHH).
public struct ConductanceSynapseParameters: Sendable, Equatable {
    public var tauE = 0.005
    public var tauI = 0.010
    public var excitatoryReversalMV = 0.0
    public var inhibitoryReversalMV = -80.0
    public init() {}
}

/// A population of point neurons driven by `ConductanceInputs`, updated in SIMD8 lanes.
/// Units throughout: mV, ms inside the updates (dt given in s), nS, pF, pA.
public protocol ConductanceNeuronGroup: Sendable {
    /// Registry name (`[network] neuron = "..."`).
    static var name: String { get }
    static var summary: String { get }
    /// The membrane equations with units (teaching panel).
    static var equation: String { get }
    /// The integration scheme and why it fits these equations.
    static var integrator: String { get }
    /// The model's documented default parameters.
    init(count: Int, dt: Double)
    var count: Int { get }
    /// Membrane potential (mV), padded to a multiple of 8.
    var v: [Float] { get set }
    /// Injected constant current per neuron (pA).
    var current: [Float] { get set }
    /// Integrates one step from the state at `step` (conductances read and decayed in the same
    /// pass) and appends the indices (+ `offset`) of the neurons that crossed threshold.
    mutating func update(step: Int, inputs: inout ConductanceInputs, spikes: inout SpikeBuffer, offset: Int32)
    /// Reset and refractoriness of the neurons that spiked at `step`.
    mutating func reset(_ spikes: SpikeBuffer, step: Int, offset: Int32)
}

/// The registry entry of one neuron model for conductance networks.
public struct ConductanceNeuronModel: Sendable {
    public let name: String
    public let summary: String
    public let equation: String
    public let integrator: String
    private let build: @Sendable (ConductanceNetworkConfig, UInt64) -> any Simulation

    public init<N: ConductanceNeuronGroup>(_ type: N.Type) {
        name = N.name
        summary = N.summary
        equation = N.equation
        integrator = N.integrator
        build = { ConductanceNetworkSimulation<N>(config: $0, seed: $1) }
    }

    /// The network of `config` with this neuron model.
    public func makeNetwork(_ config: ConductanceNetworkConfig, seed: UInt64) -> any Simulation { build(config, seed) }
}

/// Neuron models a conductance network may use, found by name (an unknown name is an error).
public enum ConductanceNeurons {
    public static let registry: [ConductanceNeuronModel] = [
        ConductanceNeuronModel(ConductanceLIFGroup.self),
        ConductanceNeuronModel(TraubMilesHHGroup.self),
        ConductanceNeuronModel(NonlinearIFGroup<ExponentialInitiation>.self),
        ConductanceNeuronModel(NonlinearIFGroup<QuadraticInitiation>.self),
    ]

    public static var names: [String] { registry.map(\.name) }

    public static func named(_ name: String) -> ConductanceNeuronModel? { registry.first { $0.name == name } }
}

extension SpikeBuffer {
    /// Appends `block * 8 + lane` (+ `offset`) for each set lane of `mask` below `count`.
    @inline(__always)
    public mutating func append(lanes mask: SIMDMask<SIMD8<Int32>>, block: Int, count: Int, offset: Int32) {
        guard LIFGroup.anyLane(mask) else { return }
        for l in 0..<8 where mask[l] {
            let k = block &* 8 &+ l
            if k < count { append(Int32(k) &+ offset) }
        }
    }
}
