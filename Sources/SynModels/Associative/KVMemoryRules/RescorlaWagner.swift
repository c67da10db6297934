import SynCore

/// Rescorla–Wagner (delta-rule) storage of a key-value memory, items in a fresh random order
/// each pass (Rescorla & Wagner 1972; as the biologically plausible alternative in Qiao 2025):
///
///     M ← M + η (v − M φ) φᵀ / ‖φ‖²        (passes over all items, M starts at 0)
///
/// η dimensionless (per item); for unit keys ‖φ‖ = 1 and this is the page's M += η (v − M k) kᵀ.
/// The normalisation keeps the step stable for unnormalised (sparse) key features. Up to
/// N = d_k independent keys it converges to exact recall; beyond, no exact solution exists.
public struct RescorlaWagner: KVMemoryLearningRule {
    public static let name = "rescorla_wagner"
    public static let summary = "delta rule M += η (v − M k) kᵀ over shuffled passes (Rescorla–Wagner): exact recall up to N = d_k"
    public static let eta = RuleParameter("eta", "learning rate per presented item", range: .openClosed(0, 1.9), default: 0.5)
    public static let passes = RuleParameter("passes", "passes over all stored items", range: .closed(1, 200), default: 30, kind: .integer)
    public static let parameters = [eta, passes]

    public let eta: Float
    public let passes: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        passes = values.integer(Self.passes)
    }
    public init(eta: Float = 0.5, passes: Int = 30) {
        self.eta = eta
        self.passes = passes
    }

    public var equation: String { "M += \(eta) (v - M k) k^T / |k|^2, \(passes) shuffled passes" }

    public func store(keys: Matrix, values: Matrix, into memory: inout Matrix, rng: inout RNG) {
        precondition(keys.rows == values.rows && memory.rows == values.cols && memory.cols == keys.cols)
        let p = keys.rows, dv = values.cols, f = keys.cols
        var order = Array(0..<p)
        var err = [Float](repeating: 0, count: dv)
        memory.fill(0)
        let norms = (0..<p).map { i in keys.withRow(i) { r in r.reduce(Float(0)) { $0 + $1 * $1 } } }
        memory.storage.withUnsafeMutableBufferPointer { mb in
            values.storage.withUnsafeBufferPointer { vb in
                keys.storage.withUnsafeBufferPointer { kb in
                    err.withUnsafeMutableBufferPointer { eb in
                        guard let m = mb.baseAddress, let v = vb.baseAddress, let k = kb.baseAddress,
                              let e = eb.baseAddress else { return }
                        for _ in 0..<passes {
                            rng.shuffle(&order)
                            for i in order where norms[i] > 0 {
                                RateKernels.gemv(m, rows: dv, cols: f, k + i * f, bias: nil, into: e)
                                for c in 0..<dv { e[c] = v[i * dv + c] - e[c] }
                                RateKernels.ger(eta / norms[i], e, k + i * f, m, rows: dv, cols: f)
                            }
                        }
                    }
                }
            }
        }
    }
}
