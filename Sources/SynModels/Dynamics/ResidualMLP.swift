#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// A deep residual MLP, the "ViT-lite" of the block-recurrence scene (Jacobs et al. 2025, page 37):
/// a transformer's residual stream without attention or tokens,
///
///     h_0 = W_e x + b_e,
///     h_{l+1} = h_l + m_l f_l(LN(h_l)),   f_l(u) = W2_l gelu(W1_l u + b1_l) + b2_l,   l = 0..L−1,
///     logits = W_h h_L + b_h,   L = −(1/n) Σ log softmax(logits)_y,
///
/// LN the per-sample layer norm without gain or bias (pre-LN, eps 1e-5), m_l the drop-path
/// (stochastic-depth) factor: 0 with probability p, else 1/(1 − p), drawn per sample and block
/// by the caller (1 at evaluation). Parameters are one flat Float32 vector so any
/// `DynamicsRule` can update them; forward and backward passes take a whole batch through `Gemm`.
public struct ResidualMLP: Sendable {
    public let inputs: Int
    public let width: Int
    public let hidden: Int
    public let blocks: Int
    public let classes: Int
    /// Offsets of W_e, b_e, the first block, W_h, b_h in the flat parameter vector.
    public let embedW = 0
    public let embedB: Int
    public let blockStart: Int
    public let blockSize: Int
    public let headW: Int
    public let headB: Int
    public let paramCount: Int
    /// Largest batch a pass may take.
    public let capacity: Int

    /// Activations of the last pass (row = sample): residual states h_0..h_L, normalised inputs
    /// u_l, inverse standard deviations, pre-activations z_l, hidden a_l, branch outputs f_l,
    /// drop factors m_l, output probabilities; then the backward scratch.
    private var work: [Float]
    private let off: Offsets
    /// Rows of the last pass.
    public private(set) var rows = 0

    private struct Offsets: Sendable {
        var h = 0, u = 0, s = 0, z = 0, a = 0, f = 0, keep = 0, prob = 0, dh = 0, df = 0, da = 0, du = 0, total = 0
    }

    public init(inputs: Int, width: Int, hidden: Int, blocks: Int, classes: Int, capacity: Int) {
        precondition(inputs >= 1 && width >= 2 && hidden >= 1 && blocks >= 1 && classes >= 2 && capacity >= 1)
        self.inputs = inputs
        self.width = width
        self.hidden = hidden
        self.blocks = blocks
        self.classes = classes
        self.capacity = capacity
        embedB = width * inputs
        blockStart = embedB + width
        blockSize = 2 * hidden * width + hidden + width
        headW = blockStart + blocks * blockSize
        headB = headW + classes * width
        paramCount = headB + classes
        let n = capacity, d = width, hd = hidden, b = blocks
        var o = Offsets()
        o.u = o.h + (b + 1) * n * d
        o.s = o.u + b * n * d
        o.z = o.s + b * n
        o.a = o.z + b * n * hd
        o.f = o.a + b * n * hd
        o.keep = o.f + b * n * d
        o.prob = o.keep + b * n
        o.dh = o.prob + n * classes
        o.df = o.dh + n * d
        o.da = o.df + n * d
        o.du = o.da + n * hd
        o.total = o.du + n * d
        off = o
        work = [Float](repeating: 0, count: o.total)
    }

    /// Offsets of W1_l, b1_l, W2_l, b2_l of block l.
    public func w1(_ l: Int) -> Int { blockStart + l * blockSize }
    public func b1(_ l: Int) -> Int { w1(l) + hidden * width }
    public func w2(_ l: Int) -> Int { b1(l) + hidden }
    public func b2(_ l: Int) -> Int { w2(l) + width * hidden }

    /// Parameters drawn the usual way: every weight U(±1/√fan_in), biases 0.
    public func initialParameters(rng: inout RNG) -> [Float] {
        var p = [Float](repeating: 0, count: paramCount)
        func fill(_ o: Int, _ count: Int, fanIn: Int) {
            let r = 1 / Float(fanIn).squareRoot()
            for i in o..<(o + count) { p[i] = rng.uniform(-r, r) }
        }
        fill(embedW, width * inputs, fanIn: inputs)
        for l in 0..<blocks {
            fill(w1(l), hidden * width, fanIn: width)
            fill(w2(l), width * hidden, fanIn: hidden)
        }
        fill(headW, classes * width, fanIn: width)
        return p
    }

    /// Forward pass of the rows of x (rows × inputs) with parameters θ; `keep` holds the drop
    /// factors m_l per block and sample (blocks × rows, block-major), nil for all 1.
    public mutating func forward(_ theta: [Float], x: Matrix, keep: [Float]? = nil) {
        precondition(x.cols == inputs && x.rows <= capacity && theta.count >= paramCount)
        precondition(keep.map { $0.count == blocks * x.rows } ?? true)
        rows = x.rows
        let n = rows, d = width, hd = hidden, o = off, me = self
        theta.withUnsafeBufferPointer { tb in
            x.storage.withUnsafeBufferPointer { xb in
                work.withUnsafeMutableBufferPointer { wb in
                    guard let p = tb.baseAddress, let xp = xb.baseAddress, let w = wb.baseAddress else { return }
                    let cap = me.capacity
                    if let keep {
                        for l in 0..<me.blocks { for i in 0..<n { w[o.keep + l * cap + i] = keep[l * n + i] } }
                    } else {
                        (w + o.keep).update(repeating: 1, count: me.blocks * cap)
                    }
                    let h0 = w + o.h
                    Self.gemm(n, d, me.inputs, xp, false, p + me.embedW, true, h0)
                    Self.addRows(n, d, p + me.embedB, h0)
                    for l in 0..<me.blocks {
                        let h = w + o.h + l * cap * d, next = h + cap * d
                        let u = w + o.u + l * cap * d, s = w + o.s + l * cap
                        let z = w + o.z + l * cap * hd, a = w + o.a + l * cap * hd, f = w + o.f + l * cap * d
                        let m = w + o.keep + l * cap
                        Self.layerNorm(n, d, h, u, s)
                        Self.gemm(n, hd, d, u, false, p + me.w1(l), true, z)
                        Self.addRows(n, hd, p + me.b1(l), z)
                        Activation.gelu.apply(z, a, n * hd)
                        Self.gemm(n, d, hd, a, false, p + me.w2(l), true, f)
                        Self.addRows(n, d, p + me.b2(l), f)
                        for i in 0..<n {
                            let k = m[i]
                            for j in 0..<d { next[i * d + j] = h[i * d + j] + k * f[i * d + j] }
                        }
                    }
                    let logits = w + o.prob
                    Self.gemm(n, me.classes, d, w + o.h + me.blocks * cap * d, false, p + me.headW, true, logits)
                    Self.addRows(n, me.classes, p + me.headB, logits)
                    for i in 0..<n { Activation.softmax.apply(logits + i * me.classes, logits + i * me.classes, me.classes) }
                }
            }
        }
    }

    /// Mean cross-entropy of the last forward pass against `labels`, and its gradient with
    /// respect to θ in g (paramCount entries, overwritten).
    @discardableResult
    public mutating func backward(_ theta: [Float], x: Matrix, labels: [Int], into g: inout [Float]) -> Float {
        precondition(labels.count == rows && x.rows == rows && g.count >= paramCount)
        let n = rows, d = width, hd = hidden, c = classes, o = off, me = self
        var loss = 0.0
        theta.withUnsafeBufferPointer { tb in
            x.storage.withUnsafeBufferPointer { xb in
                g.withUnsafeMutableBufferPointer { gb in
                    work.withUnsafeMutableBufferPointer { wb in
                        guard let p = tb.baseAddress, let xp = xb.baseAddress, let gp = gb.baseAddress,
                              let w = wb.baseAddress else { return }
                        let cap = me.capacity
                        // δ_logits = (softmax − onehot) / n, written over the probabilities.
                        let dz = w + o.prob
                        let inv = 1 / Float(n)
                        for i in 0..<n {
                            loss -= log(Double(max(dz[i * c + labels[i]], 1e-30)))
                            dz[i * c + labels[i]] -= 1
                            for k in 0..<c { dz[i * c + k] *= inv }
                        }
                        let hL = w + o.h + me.blocks * cap * d
                        Self.gemm(c, d, n, dz, true, hL, false, gp + me.headW)
                        Self.columnSums(n, c, dz, gp + me.headB)
                        let dh = w + o.dh, df = w + o.df, da = w + o.da, du = w + o.du
                        Self.gemm(n, d, c, dz, false, p + me.headW, false, dh)
                        for l in stride(from: me.blocks - 1, through: 0, by: -1) {
                            let u = w + o.u + l * cap * d, s = w + o.s + l * cap
                            let z = w + o.z + l * cap * hd, a = w + o.a + l * cap * hd, m = w + o.keep + l * cap
                            for i in 0..<n { for j in 0..<d { df[i * d + j] = m[i] * dh[i * d + j] } }
                            Self.gemm(d, hd, n, df, true, a, false, gp + me.w2(l))
                            Self.columnSums(n, d, df, gp + me.b2(l))
                            Self.gemm(n, hd, d, df, false, p + me.w2(l), false, da)
                            Activation.gelu.multiplyDerivative(z, a, da, n * hd)
                            Self.gemm(hd, d, n, da, true, u, false, gp + me.w1(l))
                            Self.columnSums(n, hd, da, gp + me.b1(l))
                            Self.gemm(n, d, hd, da, false, p + me.w1(l), false, du)
                            Self.layerNormBackward(n, d, u, s, du, dh)
                        }
                        Self.gemm(d, me.inputs, n, dh, true, xp, false, gp + me.embedW)
                        Self.columnSums(n, d, dh, gp + me.embedB)
                    }
                }
            }
        }
        return Float(loss / Double(n))
    }

    /// The residual state h_l (rows × width) of the last pass, l = 0 (embedding) ... blocks.
    public func state(_ l: Int) -> Matrix {
        precondition((0...blocks).contains(l))
        let o = off.h + l * capacity * width
        return Matrix(rows: rows, cols: width, storage: Array(work[o..<(o + rows * width)]))
    }

    /// Mean over the rows of the last pass of ‖f_l‖ / ‖h_l‖: how far block l moves the residual
    /// stream, relative to its size (the branch output before the drop factor).
    public func relativeUpdate(_ l: Int) -> Double {
        precondition((0..<blocks).contains(l) && rows > 0)
        let d = width, h = off.h + l * capacity * d, f = off.f + l * capacity * d
        var sum = 0.0
        for i in 0..<rows {
            var ff = 0.0, hh = 0.0
            for j in 0..<d {
                ff += Double(work[f + i * d + j]) * Double(work[f + i * d + j])
                hh += Double(work[h + i * d + j]) * Double(work[h + i * d + j])
            }
            sum += hh > 0 ? (ff / hh).squareRoot() : 0
        }
        return sum / Double(rows)
    }

    /// Fraction of the last pass's rows whose most probable class is `labels[i]`.
    public func accuracy(_ labels: [Int]) -> Double {
        precondition(labels.count == rows)
        guard rows > 0 else { return .nan }
        var hits = 0
        for i in 0..<rows {
            let o = off.prob + i * classes
            var best = 0
            for k in 1..<classes where work[o + k] > work[o + best] { best = k }
            if best == labels[i] { hits += 1 }
        }
        return Double(hits) / Double(rows)
    }

    /// Mean cross-entropy of the last pass (before `backward`, which overwrites the probabilities).
    public func loss(_ labels: [Int]) -> Double {
        precondition(labels.count == rows)
        var s = 0.0
        for i in 0..<rows { s -= log(Double(max(work[off.prob + i * classes + labels[i]], 1e-30))) }
        return rows > 0 ? s / Double(rows) : .nan
    }

    // MARK: Kernels on raw buffers

    /// C (m × n) = op(A) op(B), op(A) m × k, op(B) k × n, all contiguous.
    private static func gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ ta: Bool,
                             _ b: UnsafePointer<Float>, _ tb: Bool, _ c: UnsafeMutablePointer<Float>) {
        Gemm.sgemm(m: m, n: n, k: k, alpha: 1, a: a, lda: ta ? m : k, transA: ta, b: b, ldb: tb ? k : n, transB: tb,
                   beta: 0, c: c, ldc: n)
    }

    /// Adds the vector b (n entries) to each of the m rows of c.
    private static func addRows(_ m: Int, _ n: Int, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        for i in 0..<m { Kernels.axpy(n, 1, b, c + i * n) }
    }

    /// out (n entries) = column sums of the m × n matrix a.
    private static func columnSums(_ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: n)
        for i in 0..<m { Kernels.axpy(n, 1, a + i * n, out) }
    }

    /// u = (h − mean) / √(var + ε) per row; s = 1 / √(var + ε).
    static func layerNorm(_ n: Int, _ d: Int, _ h: UnsafePointer<Float>, _ u: UnsafeMutablePointer<Float>,
                          _ s: UnsafeMutablePointer<Float>) {
        for i in 0..<n {
            let r = h + i * d
            var mean = 0.0
            for j in 0..<d { mean += Double(r[j]) }
            mean /= Double(d)
            var v = 0.0
            for j in 0..<d { let e = Double(r[j]) - mean; v += e * e }
            let inv = 1 / (v / Double(d) + 1e-5).squareRoot()
            s[i] = Float(inv)
            for j in 0..<d { u[i * d + j] = Float((Double(r[j]) - mean) * inv) }
        }
    }

    /// dh += ∂L/∂h from du = ∂L/∂u through the layer norm: s (du − mean(du) − u mean(du ∘ u)).
    static func layerNormBackward(_ n: Int, _ d: Int, _ u: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
                                  _ du: UnsafePointer<Float>, _ dh: UnsafeMutablePointer<Float>) {
        for i in 0..<n {
            var m1 = 0.0, m2 = 0.0
            for j in 0..<d {
                m1 += Double(du[i * d + j])
                m2 += Double(du[i * d + j]) * Double(u[i * d + j])
            }
            let a = Float(m1 / Double(d)), b = Float(m2 / Double(d))
            for j in 0..<d { dh[i * d + j] += s[i] * (du[i * d + j] - a - u[i * d + j] * b) }
        }
    }
}
