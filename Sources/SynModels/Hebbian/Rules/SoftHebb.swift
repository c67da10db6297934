import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SoftHebb (Moraitis et al. 2022): soft winner-take-all y = softmax(u / T) (temperature T,
/// dimensionless, > 0), Delta w_ij = eta y_i (x_j - u_i w_ij). The rows converge to unit-norm
/// centres of the input clusters.
public struct SoftHebb: HebbianLearningRule {
    public static let name = "softhebb"
    public static let summary = "SoftHebb, soft winner-take-all Hebbian learning (Moraitis et al. 2022): cluster centres"
    public static let eta = hebbianEta(default: 0.02)
    public static let temperature = RuleParameter("temperature", "softmax temperature T", range: .openClosed(0, 1000), default: 1)
    public static let parameters = [eta, temperature]

    public let eta: Float
    public let temperature: Float

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        temperature = values.float(Self.temperature)
    }

    public var equation: String { "y = softmax(W x / \(NumberFormat.shortest(temperature))),  Δw_ij = η · y_i · (x_j − u_i · w_ij)        (u = W x)" }

    public func respond(_ layer: inout HebbianLayer) {
        let k = layer.outputs
        var mx = -Float.infinity
        for i in 0..<k { mx = max(mx, layer.drive[i] / temperature) }
        var s: Float = 0
        for i in 0..<k {
            let e = expf(layer.drive[i] / temperature - mx)
            layer.output[i] = e
            s += e
        }
        for i in 0..<k { layer.output[i] /= s }
    }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        layer.rowUpdate(x: x, decay: layer.drive, eta: eta)
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        [Factor("drive u_0", Double(layer.drive.first ?? 0))]
    }
}
