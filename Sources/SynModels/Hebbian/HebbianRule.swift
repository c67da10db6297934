import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local (unsupervised) learning rules of a `HebbianLayer`: each update uses only the
/// presynaptic input x, the postsynaptic output y and, for some rules, a per-unit variable
/// (BCM threshold, Földiák threshold and lateral weights) kept in the layer as rule state.
///
/// Symbols: x_j input j (data units), W (outputs x inputs) feedforward weights with row w_i,
/// u_i = sum_j w_ij x_j the feedforward drive, y_i the output (y = u unless the rule says
/// otherwise), eta the feedforward learning rate (per sample, dimensionless).
public enum HebbianRule: Sendable, Equatable {
    /// Plain Hebb (Hebb 1949): Delta w_ij = eta y_i x_j, y = W x. The norm grows without bound
    /// (it aligns with the first principal component while exploding).
    case hebb
    /// Oja (1982): Delta w_ij = eta y_i (x_j - y_i w_ij), y = W x. Each unit converges to the
    /// unit-norm leading eigenvector of the input second-moment matrix (all units to the same).
    case oja
    /// Oja's subspace rule (Oja 1989): Delta W = eta (y x^T - y y^T W), y = W x. The rows
    /// converge to an orthonormal basis of the top-k principal subspace, in no particular
    /// rotation.
    case subspace
    /// Sanger's generalized Hebbian algorithm (Sanger 1989):
    /// Delta w_ij = eta y_i (x_j - sum_{k<=i} y_k w_kj), y = W x. Row i converges to the i-th
    /// principal component, in order.
    case sanger
    /// Bienenstock, Cooper & Munro (1982): Delta w_ij = eta x_j y_i (y_i - theta_i), y = W x,
    /// with a sliding threshold theta_i <- theta_i + (y_i^2 - theta_i) / tau that tracks
    /// E[y_i^2] over about tau samples (tau in samples, >= 1; theta starts at 0). Activity
    /// above theta potentiates, below depresses: units become selective to one input pattern.
    case bcm(tau: Float)
    /// Földiák (1990), sparse coding by anti-Hebbian decorrelation. Binary outputs y_i in
    /// {0, 1} from the settled response y* = sigma(lambda (u + M y* - t)) (sigma the logistic
    /// function, gain lambda = 10, `HebbianLayer.settleIterations` Euler steps of
    /// dy*/ds = sigma(...) - y* from y* = 0, then y_i = [y*_i > 0.5]); updates
    /// Delta w_ij = eta y_i (x_j - w_ij) (Hebbian feedforward, w_i -> mean input when unit i
    /// fires), Delta M_ij = -lateralEta (y_i y_j - p^2) for i != j with M_ij <= 0 (anti-Hebbian
    /// lateral inhibition: co-active units inhibit each other until they co-fire at chance,
    /// p^2), Delta t_i = eta (y_i - p) (thresholds t hold each unit's firing rate at the target
    /// sparsity p). M and t are rule state, reset (to 0) on a live rule switch.
    case foldiak(lateralEta: Float, sparsity: Float)
    /// SoftHebb (Moraitis et al. 2022): soft winner-take-all y = softmax(u / temperature)
    /// (temperature dimensionless, > 0), Delta w_ij = eta y_i (x_j - u_i w_ij). The rows
    /// converge to unit-norm centres of the input clusters.
    case softHebb(temperature: Float)

    /// Every rule name a scene may use, in documentation order.
    public static let names = ["hebb", "oja", "subspace", "sanger", "bcm", "foldiak", "softhebb"]

    /// The rule's name in scene files (`[rule] name`).
    public var name: String {
        switch self {
        case .hebb: "hebb"
        case .oja: "oja"
        case .subspace: "subspace"
        case .sanger: "sanger"
        case .bcm: "bcm"
        case .foldiak: "foldiak"
        case .softHebb: "softhebb"
        }
    }

    /// The update equation shown in the teaching panel.
    public var equation: String {
        switch self {
        case .hebb: "Δw_ij = η · y_i · x_j        (y = W x; no decay: |w| grows)"
        case .oja: "Δw_ij = η · y_i · (x_j − y_i · w_ij)        (y = W x)"
        case .subspace: "ΔW = η · (y xᵀ − y yᵀ W)        (y = W x)"
        case .sanger: "Δw_ij = η · y_i · (x_j − Σ_{k≤i} y_k · w_kj)        (y = W x)"
        case .bcm(let tau): "Δw_ij = η · x_j · y_i · (y_i − θ_i),  θ_i += (y_i² − θ_i) / \(Self.fmt(tau))        (y = W x)"
        case .foldiak(let a, let p):
            "y = [σ(10 (W x + M y − t)) > ½];  Δw_ij = η y_i (x_j − w_ij),  ΔM_ij = −\(Self.fmt(a)) (y_i y_j − \(Self.fmt(p))²),  Δt_i = η (y_i − \(Self.fmt(p)))"
        case .softHebb(let temp): "y = softmax(W x / \(Self.fmt(temp))),  Δw_ij = η · y_i · (x_j − u_i · w_ij)        (u = W x)"
        }
    }

    static func fmt(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(x)
    }
}

/// A layer of `outputs` units with feedforward weights W (outputs x inputs) learning with a
/// `HebbianRule`, plus the rule state some rules need: thresholds (BCM theta_i or Földiák t_i)
/// and lateral weights M (outputs x outputs, zero diagonal, Földiák only). All buffers are
/// allocated once: `respond` and `learn` allocate nothing.
public struct HebbianLayer: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// Feedforward weights W (outputs x inputs).
    public var weights: Matrix
    /// Lateral weights M (outputs x outputs, zero diagonal, M_ij <= 0); rule state of `foldiak`.
    public private(set) var lateral: Matrix
    /// Per-unit thresholds: BCM's theta_i (units of y^2) or Földiák's t_i (units of u).
    public private(set) var thresholds: [Float]
    /// Feedforward drive u = W x and output y of the last sample.
    public private(set) var drive: [Float]
    public private(set) var output: [Float]
    /// Euler steps of the Földiák settling dynamics per sample.
    public let settleIterations: Int
    /// Scratch (count `inputs`): the subspace residual x - W^T y or Sanger's running reconstruction.
    private var reconstruction: [Float]
    /// Scratch (count `outputs`): the Földiák lateral input M y*, or BCM's phi_i = y_i (y_i - theta_i).
    private var unitScratch: [Float]

    /// W ~ N(0, initScale^2 / inputs) from `rng`; M = 0, thresholds = 0.
    public init(inputs: Int, outputs: Int, initScale: Float = 1, settleIterations: Int = 30, rng: inout RNG) {
        precondition(inputs > 0 && outputs > 0)
        self.inputs = inputs
        self.outputs = outputs
        self.settleIterations = settleIterations
        let sd = initScale / Float(inputs).squareRoot()
        weights = Matrix(rows: outputs, cols: inputs) { _, _ in rng.normal() * sd }
        lateral = Matrix(rows: outputs, cols: outputs)
        thresholds = [Float](repeating: 0, count: outputs)
        drive = thresholds
        output = thresholds
        unitScratch = thresholds
        reconstruction = [Float](repeating: 0, count: inputs)
    }

    /// Resets the rule state (thresholds, lateral weights) and keeps W: what a live rule
    /// switch does.
    public mutating func resetRuleState() {
        for i in 0..<outputs { thresholds[i] = 0 }
        for i in 0..<lateral.storage.count { lateral.storage[i] = 0 }
    }

    /// Computes u = W x and the output y of `rule` for x (count `inputs`) without learning.
    public mutating func respond(_ x: [Float], rule: HebbianRule) {
        precondition(x.count == inputs)
        Kernels.gemv(weights, x, into: &drive)
        let k = outputs
        switch rule {
        case .softHebb(let temperature):
            var mx = -Float.infinity
            for i in 0..<k { mx = max(mx, drive[i] / temperature) }
            var s: Float = 0
            for i in 0..<k {
                let e = expf(drive[i] / temperature - mx)
                output[i] = e
                s += e
            }
            for i in 0..<k { output[i] /= s }
        case .foldiak:
            // Euler steps (size 0.2) of dy*/ds = sigma(lambda (u + M y* - t)) - y*, then binarise.
            let gain: Float = 10, h: Float = 0.2
            for i in 0..<k { output[i] = 0 }
            for _ in 0..<settleIterations {
                Kernels.gemv(lateral, output, into: &unitScratch)
                for i in 0..<k {
                    let a = gain * (drive[i] + unitScratch[i] - thresholds[i])
                    output[i] += h * (1 / (1 + expf(-a)) - output[i])
                }
            }
            for i in 0..<k { output[i] = output[i] > 0.5 ? 1 : 0 }
        default:
            for i in 0..<k { output[i] = drive[i] }
        }
    }

    /// Responds to x and applies one update of `rule` with feedforward learning rate `eta`.
    public mutating func learn(_ x: [Float], rule: HebbianRule, eta: Float) {
        respond(x, rule: rule)
        let n = inputs, k = outputs
        switch rule {
        case .hebb:
            Kernels.ger(eta, output, x, &weights)
        case .oja:
            Self.rowUpdate(&weights, x: x, y: output, decay: output, eta: eta)
        case .softHebb:
            Self.rowUpdate(&weights, x: x, y: output, decay: drive, eta: eta)
        case .subspace:
            // e = x - W^T y (the residual of the reconstruction from all outputs, before any row
            // changes), then Delta W = eta y e^T.
            Kernels.gemvT(weights, output, into: &reconstruction)
            for j in 0..<n { reconstruction[j] = x[j] - reconstruction[j] }
            Kernels.ger(eta, output, reconstruction, &weights)
        case .sanger:
            // Running reconstruction r_j = sum_{k<=i} y_k w_kj from the rows before their own
            // update (row i's old value enters r before row i changes; later rows are unchanged).
            let y = output
            x.withUnsafeBufferPointer { x in
                reconstruction.withUnsafeMutableBufferPointer { r in
                    for j in 0..<n { r[j] = 0 }
                    weights.storage.withUnsafeMutableBufferPointer { w in
                        for i in 0..<k {
                            let yi = y[i], a = eta * y[i]
                            for j in 0..<n { r[j] += yi * w[i * n + j] }
                            for j in 0..<n { w[i * n + j] += a * (x[j] - r[j]) }
                        }
                    }
                }
            }
        case .bcm(let tau):
            // Delta W = eta phi x^T with phi_i = y_i (y_i - theta_i), then the threshold update.
            for i in 0..<k { unitScratch[i] = output[i] * (output[i] - thresholds[i]) }
            Kernels.ger(eta, unitScratch, x, &weights)
            for i in 0..<k { thresholds[i] += (output[i] * output[i] - thresholds[i]) / tau }
        case .foldiak(let lateralEta, let p):
            Self.rowUpdate(&weights, x: x, y: output, decay: nil, eta: eta)
            let y = output
            lateral.storage.withUnsafeMutableBufferPointer { m in
                for i in 0..<k {
                    for j in 0..<k where j != i {
                        m[i * k + j] = min(0, m[i * k + j] - lateralEta * (y[i] * y[j] - p * p))
                    }
                }
            }
            for i in 0..<k { thresholds[i] += eta * (y[i] - p) }
        }
    }

    /// w_ij += eta y_i (x_j - d_i w_ij), d_i = decay[i] (1 when nil); rows with y_i = 0 are skipped.
    private static func rowUpdate(_ weights: inout Matrix, x: [Float], y: [Float], decay: [Float]?, eta: Float) {
        let n = weights.cols
        x.withUnsafeBufferPointer { x in
            weights.storage.withUnsafeMutableBufferPointer { w in
                for i in 0..<y.count where y[i] != 0 {
                    let a = eta * y[i], d = decay?[i] ?? 1
                    for j in 0..<n { w[i * n + j] += a * (x[j] - d * w[i * n + j]) }
                }
            }
        }
    }
}
