import SynModels

/// A rough, deliberately simple estimate of what a scene costs before anything is allocated:
/// the memory of its largest arrays (weights, optimizer state, batches, data sets, delay rings,
/// covariance matrices) and the arithmetic of its setup and of one step. It counts the terms
/// that grow with the scene's sizes, not constants, so it is a lower bound that is good to a
/// factor of about 2 for the big cases it exists for. `SceneLoader.decode` refuses scenes whose
/// memory estimate exceeds `maxBytes`; `run` prints a setup line when the setup is long.
public struct CostEstimate: Sendable, Equatable {
    /// Bytes of the big arrays.
    public var bytes: Double = 0
    /// Floating-point operations before the first step (data generation, eigen decompositions).
    public var setupFlops: Double = 0
    /// Floating-point operations of one step (including the amortised metrics).
    public var stepFlops: Double = 0

    /// Largest memory estimate accepted: 8 GiB.
    public static let maxBytes = 8.0 * 1024 * 1024 * 1024

    /// "1.2 GiB" style.
    public static func bytesText(_ b: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var x = b, u = 0
        while x >= 1024 && u < units.count - 1 { x /= 1024; u += 1 }
        return u == 0 ? "\(Int(x)) bytes" : "\((x * 10).rounded() / 10) \(units[u])"
    }

    /// Rough seconds for `flops` at a conservative 1 GFLOP/s (one core, mixed kernels).
    public static func seconds(_ flops: Double) -> Double { flops / 1e9 }

    /// The estimate of a decoded scene (zero for model kinds without one).
    public static func of(_ spec: SceneSpec) -> CostEstimate {
        of(spec.model, metricsEvery: spec.metricsEvery)
    }

    static func of(_ model: any SceneModel, metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        switch model {
        case let m as RateMLPSceneModel:
            let (i, o) = m.task.shape
            let sizes = [i] + m.hidden + [o]
            let params = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
            let units = Double(sizes.reduce(0, +))
            let batch = Double(m.selection.rules.map { $0.batch }.max() ?? 1)
            // Weights, gradient, two optimizer moments, a noise buffer; activations and deltas
            // (a batch is accumulated sample by sample); the data set; the spectral window.
            c.bytes = params * f * 5 + units * f * 3 + Double(m.task.count) * Double(i + o) * f
                + (m.spectra ? Double(2 * m.window * (m.hidden.first ?? 0)) * f : 0)
            c.stepFlops = 6 * params * batch
            // Metrics: the test set through the network, and a covariance spectrum of the first
            // hidden layer (n^2 samples + n^3 / 3), every `metricsEvery` steps.
            let h = Double(m.hidden.first ?? 0)
            let metrics = 2 * params * Double(min(m.task.count, 2000)) + h * h * Double(m.spectra ? m.window : 500) + h * h * h
            c.stepFlops += metrics / Double(max(1, metricsEvery))
            c.setupFlops = metrics
        case let m as RateEqPropSceneModel:
            let (i, o) = m.task.shape
            let sizes = [i] + m.hidden + [o]
            let params = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
            c.bytes = params * f * 3 + Double(m.task.count) * Double(i + o) * f
            // Two relaxation phases of relax_steps sweeps, each a forward and a backward product.
            c.stepFlops = 4 * params * Double(m.relaxSteps) + 2 * params
            let metrics = 4 * params * Double(m.relaxSteps) * Double(min(m.task.count, 1000))
            c.stepFlops += metrics / Double(max(1, metricsEvery))
            c.setupFlops = metrics
        case let m as HebbianSceneModel:
            let d: Double
            switch m.task {
            case .gaussian(let v): d = Double(v.count)
            case .digits: d = Double(HebbianSceneModel.digitsFeatures)
            case .bars(let side, _): d = Double(side * side)
            case .idx: d = Double(HebbianSceneModel.maxFeatures)  // not known before reading the header
            }
            // Covariance, eigenvectors and (Gaussian task) a random orthonormal basis: d x d
            // doubles each; their construction is ~10 d^3.
            c.bytes = 3 * d * d * 8 + Double(m.outputs) * d * f * 2
            c.setupFlops = 10 * d * d * d
            c.stepFlops = 4 * Double(m.outputs) * d + Double(m.outputs) * d * Double(m.outputs) / Double(max(1, metricsEvery))
        case let m as RateHopfieldSceneModel:
            let n = Double(m.config.n)
            c.bytes = n * n * f + Double(m.config.maxPatterns) * n * f * 2
            c.setupFlops = Double(m.config.maxPatterns) * n * n
            c.stepFlops = n * n * Double(m.config.sweeps)
        case let m as ReservoirSceneModel:
            let n = Double(m.config.units)
            // Recurrent weights, the RLS inverse correlation matrix, the spectrum's n x n product.
            c.bytes = n * n * f + n * n * 8 * 2 + Double(m.config.window) * n * f
            c.setupFlops = 10 * n * n * n
            c.stepFlops = 2 * n * n + 4 * n * n + 10 * n * n * n / Double(max(1, metricsEvery))
        case let m as SpikingIzhikevichModel:
            let n = Double(m.config.excitatory + m.config.inhibitory)
            let synapses = n * (m.config.outDegree == 0 ? n : min(n, Double(m.config.outDegree)))
            let ringSteps = Double(m.config.delayMaxMs) / (m.config.dt * 1000) + 2
            // Weight, target, delay, pre index and STDP state per synapse; the delay ring.
            c.bytes = synapses * 16 + n * ringSteps * f
            c.stepFlops = synapses * 0.05 + n * 20
        case let m as SpikingLIFNetworkModel:
            let n = Double(m.config.excitatory + m.config.inhibitory)
            let synapses = n * n * m.config.connectionProbability
            c.bytes = synapses * 12 + n * 64
            c.stepFlops = synapses * 0.05 + n * 20
        case let m as SpikingSTDPModel:
            let synapses = Double(m.config.inputs * m.config.outputs)
            c.bytes = synapses * 16 + Double(m.config.inputs) * 64
            c.stepFlops = synapses * 0.1 + Double(m.config.inputs) * 10
        default:
            break
        }
        return c
    }
}

extension RateTaskSpec {
    /// Samples in the task's data set (the built-in digits: 1797).
    fileprivate var count: Int {
        switch kind {
        case .digits: 1797
        case .xor(let n, _), .spirals(let n, _), .moons(let n, _): n
        case .blobs(let n, _, _, _), .teacher(let n, _, _, _, _, _), .lowRank(let n, _, _, _, _), .bars(let n, _, _): n
        }
    }
}
