import SynCore

/// Full-batch forward and backward passes of an `MLP`'s parameters over n samples at once,
/// each layer a matrix-matrix product (`Gemm`) instead of n matrix-vector products.
///
/// Same network and loss as `MLP`/`MLPCore` (layout, activations, squared error or softmax
/// cross-entropy), averaged over the batch: L = (1/n) Σ_i ℓ(f(x_i), t_i). Row i of every buffer
/// is sample i; a_l, z_l and δ_l are the n × s_l blocks at `MLPLayout`'s offsets times n.
/// Used where the dynamics of full-batch gradient descent are the object of study (sharpness,
/// grokking), so one gradient of 1000 digits costs milliseconds.
public struct BatchMLP: Sendable {
    public let layout: MLPLayout
    public let hidden: Activation
    public let output: Activation
    /// Largest number of rows a pass may take.
    public let capacity: Int
    /// Activities, net inputs and errors of the last pass (n × width blocks).
    public private(set) var work: [Float]
    /// Rows of the last pass.
    public private(set) var rows = 0

    public init(layout: MLPLayout, hidden: Activation, output: Activation, capacity: Int) {
        precondition(capacity >= 1)
        self.layout = layout
        self.hidden = hidden
        self.output = output
        self.capacity = capacity
        work = [Float](repeating: 0, count: layout.scratch * capacity + 1)
    }

    public init(_ net: MLP, capacity: Int) {
        self.init(layout: net.layout, hidden: net.hidden, output: net.output, capacity: capacity)
    }

    /// Forward pass of `rows` samples (x: rows × inputs, row-major) with parameters θ.
    public mutating func forward(_ theta: [Float], x: Matrix) {
        precondition(x.cols == layout.inputs && x.rows <= capacity && theta.count >= layout.paramCount)
        rows = x.rows
        let lay = layout, n = x.rows, act = (hidden, output)
        theta.withUnsafeBufferPointer { tb in
            x.storage.withUnsafeBufferPointer { xb in
                work.withUnsafeMutableBufferPointer { wb in
                    guard let p = tb.baseAddress, let xp = xb.baseAddress, let w = wb.baseAddress else { return }
                    Self.forward(lay, act, p, xp, n, w)
                }
            }
        }
    }

    /// Mean loss of the last forward pass against targets t (rows × outputs), and sets the
    /// output errors δ_L = ∂L/∂z_L (with the 1/n of the mean).
    private mutating func outputError(_ t: Matrix) -> Float {
        precondition(t.rows == rows && t.cols == layout.outputs)
        let lay = layout, n = rows, out = output
        let a0 = n * lay.aOffset[lay.layers], z0 = n * lay.zOffset[lay.layers - 1], d0 = n * lay.dOffset[lay.layers - 1]
        let m = n * lay.outputs
        let inv = 1 / Float(n)
        var loss: Double = 0
        work.withUnsafeMutableBufferPointer { wb in
            t.storage.withUnsafeBufferPointer { tb in
                guard let w = wb.baseAddress, let tp = tb.baseAddress else { return }
                let a = w + a0, d = w + d0
                for k in 0..<m {
                    let e = a[k] - tp[k]
                    d[k] = e * inv
                    if out == .softmax {
                        if tp[k] != 0 { loss -= Double(tp[k]) * log(Double(max(a[k], 1e-30))) }
                    } else {
                        loss += 0.5 * Double(e * e)
                    }
                }
                if out != .softmax { out.multiplyDerivative(w + z0, a, d, m) }
            }
        }
        return Float(loss / Double(n))
    }

    /// The mean loss over the rows of x against targets t, and its gradient with respect to θ
    /// in `g` (paramCount entries: ∂L/∂W_l, ∂L/∂b_l at the layout's offsets).
    @discardableResult
    public mutating func lossAndGradient(_ theta: [Float], x: Matrix, t: Matrix, into g: inout [Float]) -> Float {
        forward(theta, x: x)
        let loss = outputError(t)
        precondition(g.count >= layout.paramCount)
        let lay = layout, n = rows, h = hidden
        theta.withUnsafeBufferPointer { tb in
            g.withUnsafeMutableBufferPointer { gb in
                work.withUnsafeMutableBufferPointer { wb in
                    guard let p = tb.baseAddress, let gp = gb.baseAddress, let w = wb.baseAddress else { return }
                    Self.backward(lay, h, p, n, w, gp)
                }
            }
        }
        return loss
    }

    /// The mean loss over the rows of x against t, without the gradient.
    public mutating func loss(_ theta: [Float], x: Matrix, t: Matrix) -> Float {
        forward(theta, x: x)
        return outputError(t)
    }

    /// Activities a_l (rows × sizes[l]) of the last pass; l = 0 is the input, `layers` the output.
    public func activity(_ l: Int) -> Matrix {
        let o = rows * layout.aOffset[l], s = layout.sizes[l]
        return Matrix(rows: rows, cols: s, storage: Array(work[o..<(o + rows * s)]))
    }

    /// Index of the largest output of sample i in the last pass.
    public func argmaxOutput(_ i: Int) -> Int {
        let k = layout.outputs, o = rows * layout.aOffset[layout.layers] + i * k
        var best = 0
        for j in 1..<k where work[o + j] > work[o + best] { best = j }
        return best
    }

    /// Fraction of rows whose largest output is `labels[i]` (last pass).
    public func accuracy(_ labels: [Int]) -> Double {
        precondition(labels.count == rows)
        guard rows > 0 else { return .nan }
        var hits = 0
        for i in 0..<rows where argmaxOutput(i) == labels[i] { hits += 1 }
        return Double(hits) / Double(rows)
    }

    // MARK: Kernels on raw buffers

    private static func forward(_ lay: MLPLayout, _ act: (Activation, Activation), _ p: UnsafePointer<Float>,
                                _ x: UnsafePointer<Float>, _ n: Int, _ w: UnsafeMutablePointer<Float>) {
        let s = lay.sizes
        (w + n * lay.aOffset[0]).update(from: x, count: n * s[0])
        for l in 0..<lay.layers {
            let a = w + n * lay.aOffset[l], z = w + n * lay.zOffset[l], next = w + n * lay.aOffset[l + 1]
            // Z = A Wᵀ + 1 bᵀ.
            Gemm.sgemm(m: n, n: s[l + 1], k: s[l], alpha: 1, a: a, lda: s[l], transA: false,
                       b: p + lay.wOffset[l], ldb: s[l], transB: true, beta: 0, c: z, ldc: s[l + 1])
            let b = p + lay.bOffset[l]
            for i in 0..<n { Kernels.axpy(s[l + 1], 1, b, z + i * s[l + 1]) }
            let f = l == lay.layers - 1 ? act.1 : act.0
            if f == .softmax {
                for i in 0..<n { f.apply(z + i * s[l + 1], next + i * s[l + 1], s[l + 1]) }
            } else {
                f.apply(z, next, n * s[l + 1])
            }
        }
    }

    private static func backward(_ lay: MLPLayout, _ h: Activation, _ p: UnsafePointer<Float>, _ n: Int,
                                 _ w: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>) {
        let s = lay.sizes
        for l in stride(from: lay.layers - 1, through: 0, by: -1) {
            let d = w + n * lay.dOffset[l], a = w + n * lay.aOffset[l]
            // ∂L/∂W_l = δ_lᵀ A_l, ∂L/∂b_l = column sums of δ_l.
            Gemm.sgemm(m: s[l + 1], n: s[l], k: n, alpha: 1, a: d, lda: s[l + 1], transA: true,
                       b: a, ldb: s[l], transB: false, beta: 0, c: g + lay.wOffset[l], ldc: s[l])
            let gb = g + lay.bOffset[l]
            gb.update(repeating: 0, count: s[l + 1])
            for i in 0..<n { Kernels.axpy(s[l + 1], 1, d + i * s[l + 1], gb) }
            if l > 0 {
                // δ_{l-1} = (δ_l W_l) ∘ f'(z_{l-1}).
                let dPrev = w + n * lay.dOffset[l - 1]
                Gemm.sgemm(m: n, n: s[l], k: s[l + 1], alpha: 1, a: d, lda: s[l + 1], transA: false,
                           b: p + lay.wOffset[l], ldb: s[l], transB: false, beta: 0, c: dPrev, ldc: s[l])
                h.multiplyDerivative(w + n * lay.zOffset[l - 1], a, dPrev, n * s[l])
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
