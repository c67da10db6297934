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

    /// The estimate of a decoded scene (each model kind declares its own, `SceneModel.cost`).
    public static func of(_ spec: SceneSpec) -> CostEstimate {
        of(spec.model, metricsEvery: spec.metricsEvery)
    }

    static func of(_ model: any SceneModel, metricsEvery: Int) -> CostEstimate {
        model.cost(metricsEvery: metricsEvery)
    }
}

extension RateTaskSpec {
    /// Samples in the task's data set (the built-in digits: 1797).
    var count: Int {
        switch kind {
        case .digits: 1797
        case .xor(let n, _), .spirals(let n, _), .moons(let n, _): n
        case .blobs(let n, _, _, _), .teacher(let n, _, _, _, _, _), .lowRank(let n, _, _, _, _), .bars(let n, _, _): n
        }
    }
}
