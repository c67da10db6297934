import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Földiák (1990), sparse coding by anti-Hebbian decorrelation. Binary outputs y_i in {0, 1}
/// from the settled response y* = sigma(lambda (u + M y* - t)) (sigma the logistic function,
/// gain lambda = 10, `settleIterations` Euler steps of size 0.2 of dy*/ds = sigma(...) - y*
/// from y* = 0, then y_i = [y*_i > 0.5]); updates Delta w_ij = eta y_i (x_j - w_ij) (w_i moves
/// to the mean input when unit i fires), Delta M_ij = -lateral_eta (y_i y_j - p^2) for i != j
/// with M_ij <= 0 (co-active units inhibit each other until they co-fire at chance, p^2), and
/// Delta t_i = eta (y_i - p) (thresholds, in units of u, hold each unit's rate at p).
/// M and t are the rule's state.
public struct Foldiak: HebbianLearningRule {
    public static let name = "foldiak"
    public static let summary = "Földiák's anti-Hebbian sparse coding (Földiák 1990): independent causes"
    public static let eta = hebbianEta(default: 0.02)
    public static let lateralEta = RuleParameter("lateral_eta", "anti-Hebbian lateral learning rate",
                                                 range: .openClosed(0, 10), default: 0.1)
    public static let sparsity = RuleParameter("sparsity", "target firing probability p", range: .open(0, 1), default: 0.125)
    public static let parameters = [eta, lateralEta, sparsity]

    /// Euler steps of the settling dynamics per sample.
    public static let settleIterations = 30

    public let eta: Float
    public let lateralEta: Float
    public let sparsity: Float
    /// Lateral weights M (outputs x outputs, zero diagonal, M_ij <= 0).
    public private(set) var lateralWeights = Matrix(rows: 0, cols: 0)
    /// Thresholds t_i (units of u).
    public private(set) var thresholds: [Float] = []

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        lateralEta = values.float(Self.lateralEta)
        sparsity = values.float(Self.sparsity)
    }

    public var equation: String {
        "y = [σ(10 (W x + M y − t)) > ½];  Δw_ij = η y_i (x_j − w_ij),  ΔM_ij = −\(NumberFormat.shortest(lateralEta)) (y_i y_j − \(NumberFormat.shortest(sparsity))²),  Δt_i = η (y_i − \(NumberFormat.shortest(sparsity)))"
    }

    public var lateral: Matrix? { lateralWeights }

    public mutating func bind(inputs: Int, outputs: Int) {
        lateralWeights = Matrix(rows: outputs, cols: outputs)
        thresholds = [Float](repeating: 0, count: outputs)
    }

    public func respond(_ layer: inout HebbianLayer) {
        let k = layer.outputs
        guard lateralWeights.rows == k else {
            for i in 0..<k { layer.output[i] = layer.drive[i] > 0 ? 1 : 0 }
            return
        }
        // Euler steps (size 0.2) of dy*/ds = sigma(lambda (u + M y* - t)) - y*, then binarise.
        let gain: Float = 10, h: Float = 0.2
        for i in 0..<k { layer.output[i] = 0 }
        for _ in 0..<Self.settleIterations {
            Kernels.gemv(lateralWeights, layer.output, into: &layer.unitScratch)
            for i in 0..<k {
                let a = gain * (layer.drive[i] + layer.unitScratch[i] - thresholds[i])
                layer.output[i] += h * (1 / (1 + expf(-a)) - layer.output[i])
            }
        }
        for i in 0..<k { layer.output[i] = layer.output[i] > 0.5 ? 1 : 0 }
    }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        let k = layer.outputs
        if lateralWeights.rows != k {
            bind(inputs: layer.inputs, outputs: k)
            respond(&layer)
        }
        layer.rowUpdate(x: x, decay: nil, eta: eta)
        let y = layer.output, p = sparsity, a = lateralEta
        lateralWeights.storage.withUnsafeMutableBufferPointer { m in
            for i in 0..<k {
                for j in 0..<k where j != i {
                    m[i * k + j] = min(0, m[i * k + j] - a * (y[i] * y[j] - p * p))
                }
            }
        }
        for i in 0..<k { thresholds[i] += eta * (y[i] - p) }
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        [Factor("drive u_0", Double(layer.drive.first ?? 0)), Factor("threshold t_0", Double(thresholds.first ?? 0))]
    }
}
