import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One set of weights as classifier and generator (bidirectional learning, Pontes-Filho &
/// Liwicki 2019, arXiv 1805.08006; symbols in `BipropRule`).
///
/// The classifier is an `MLP` P-L-K (sigmoid hidden, softmax output, cross-entropy). Its layer
/// matrices are the paper's weights transposed: layer 0 holds W1ᵀ (L x P, row j = hidden unit
/// j's input weights), layer 1 holds W2ᵀ (K x L). The generator runs them backwards with its own
/// biases: g = σ(W2[:, y] + c2) (a one-hot y picks a row of layer 1), x̂ = σ(W1 g + c1), i.e.
/// x̂_k = σ(Σ_j layer0[j, k] g_j + c1_k): each hidden unit's input weights are also its template
/// in image space.
public struct BipropNetwork: Sendable {
    public var net: MLP
    /// The generator's biases: c2 (L entries) then c1 (P entries).
    public var generatorBias: [Float]

    public var inputs: Int { net.inputs }
    public var hidden: Int { net.sizes[1] }
    public var classes: Int { net.outputs }

    /// Weights from a normal of standard deviation `initSD` truncated at 2 sd (redrawn beyond,
    /// as TensorFlow's `truncated_normal` in the paper code), every bias 0.
    public init(inputs: Int, hidden: Int, classes: Int, initSD: Float, rng: inout RNG) {
        var net = MLP(sizes: [inputs, hidden, classes], hidden: .sigmoid, output: .softmax, rng: &rng)
        let lay = net.layout
        for l in 0..<lay.layers {
            for k in 0..<lay.weightCount(l) {
                var z = rng.normal()
                while abs(z) > 2 { z = rng.normal() }
                net.params[lay.wOffset[l] + k] = initSD * z
            }
        }
        self.init(net: net, generatorBias: [Float](repeating: 0, count: hidden + inputs))
    }

    /// A network with given weights (tests): `net` must be P-L-K with sigmoid hidden units and a
    /// softmax output; `generatorBias` is c2 then c1.
    public init(net: MLP, generatorBias: [Float]) {
        precondition(net.layers == 2 && net.hidden == .sigmoid && net.output == .softmax)
        precondition(generatorBias.count == net.sizes[1] + net.inputs)
        self.net = net
        self.generatorBias = generatorBias
    }

    @inlinable static func sigmoid(_ u: Float) -> Float { 1 / (1 + expf(-u)) }

    /// log(1 + e^u) without overflow.
    @inlinable static func softplus(_ u: Float) -> Float { max(u, 0) + log1pf(expf(-abs(u))) }

    // MARK: classifier

    /// Adds Σ_n ∂L_c(x_n, y_n)/∂θ over `rows` of `data` to `g` (laid out like `net.params`) and
    /// returns Σ_n L_c (nats).
    public mutating func addClassifierGradient(_ data: Dataset, rows: ArraySlice<Int>, into g: inout [Float]) -> Double {
        var target = [Float](repeating: 0, count: classes)
        var total = 0.0
        g.withUnsafeMutableBufferPointer { gb in
            target.withUnsafeMutableBufferPointer { tb in
                guard let gp = gb.baseAddress, let tp = tb.baseAddress else { return }
                net.withCore { c in
                    for n in rows {
                        let y = data.labels[n]
                        tp[y] = 1
                        data.x.withRow(n) { xr in
                            guard let xp = xr.baseAddress else { return }
                            c.forward(xp)
                            total += Double(c.outputDelta(tp))
                            c.backward(.backprop)
                            c.accumulateGradient(into: gp)
                        }
                        tp[y] = 0
                    }
                }
            }
        }
        return total
    }

    /// ∇_x L_c(x, y) (P entries), the gradient FGSM follows: W1 δ_1, with δ_1 the hidden error.
    public mutating func inputGradient(_ x: [Float], label: Int) -> [Float] {
        var grad = [Float](repeating: 0, count: inputs)
        var target = [Float](repeating: 0, count: classes)
        target[label] = 1
        x.withUnsafeBufferPointer { xb in
            target.withUnsafeBufferPointer { tb in
                grad.withUnsafeMutableBufferPointer { ob in
                    guard let xp = xb.baseAddress, let tp = tb.baseAddress, let op = ob.baseAddress else { return }
                    net.withCore { c in Self.inputGradient(c, xp, tp, into: op) }
                }
            }
        }
        return grad
    }

    /// Forward, output error, backward, then ∇_x L = layer0ᵀ δ_1 into `out`.
    @inlinable static func inputGradient(_ c: MLPCore, _ x: UnsafePointer<Float>, _ t: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let lay = c.layout
        c.forward(x)
        c.outputDelta(t)
        c.backward(.backprop)
        RateKernels.gemvT(c.p + lay.wOffset[0], rows: lay.sizes[1], cols: lay.sizes[0], c.w + lay.dOffset[0], into: out)
    }

    /// The FGSM image of (x, y) at ε (`FGSM`).
    public mutating func adversarial(_ x: [Float], label: Int, epsilon: Float) -> [Float] {
        FGSM.perturb(x, gradient: inputGradient(x, label: label), epsilon: epsilon)
    }

    // MARK: generator

    /// The generator's pass for class `label`: hidden g = σ(W2[:, y] + c2) and image x̂ = σ(u),
    /// u = W1 g + c1 (returned too: the loss is taken on the logits).
    public func generate(_ label: Int) -> (hidden: [Float], logits: [Float], image: [Float]) {
        let lay = net.layout
        let h = hidden, p = inputs
        var g = [Float](repeating: 0, count: h)
        let w2 = lay.wOffset[1] + label * h
        for j in 0..<h { g[j] = Self.sigmoid(net.params[w2 + j] + generatorBias[j]) }
        var u = Array(generatorBias[h..<(h + p)])
        let w1 = lay.wOffset[0]
        for j in 0..<h where g[j] != 0 {
            let gj = g[j], row = w1 + j * p
            for k in 0..<p { u[k] += net.params[row + k] * gj }
        }
        return (g, u, u.map(Self.sigmoid))
    }

    /// The generator loss L_g of a minibatch (binary cross-entropy on the logits, mean over the
    /// batch and the P pixels) and its gradient: `gWeights` (laid out like `net.params`; only
    /// weight entries are set) and `gBias` (c2 then c1), both overwritten.
    ///
    /// Every example of class c has the same x̂_c, so Σ_n over the batch collapses to the K
    /// class images: with n_c examples of class c and S_c = Σ_{y_n = c} x_n,
    /// B P L_g = Σ_c Σ_k [n_c softplus(u_ck) − S_ck u_ck] and ∂L_g/∂u_ck = (n_c x̂_ck − S_ck)/(B P);
    /// then ∂/∂c1 = ∂/∂u, ∂/∂W1[k, j] = g_j ∂/∂u_k, δg = W1ᵀ ∂/∂u, δv = δg ⊙ g(1 − g),
    /// ∂/∂c2 = δv, ∂/∂W2[j, c] = δv_j.
    public func generatorGradient(_ data: Dataset, rows: ArraySlice<Int>, gWeights: inout [Float], gBias: inout [Float]) -> Double {
        let lay = net.layout
        let h = hidden, p = inputs, k = classes
        for i in gWeights.indices { gWeights[i] = 0 }
        for i in gBias.indices { gBias[i] = 0 }
        var counts = [Int](repeating: 0, count: k)
        var sums = [Float](repeating: 0, count: k * p)
        for n in rows {
            let c = data.labels[n]
            counts[c] += 1
            data.x.withRow(n) { xr in for i in 0..<p { sums[c * p + i] += xr[i] } }
        }
        let scale = 1 / Float(max(1, rows.count) * p)
        var loss = 0.0
        var du = [Float](repeating: 0, count: p)
        let w1 = lay.wOffset[0]
        for c in 0..<k where counts[c] > 0 {
            let (g, u, image) = generate(c)
            let nc = Float(counts[c])
            for i in 0..<p {
                let s = sums[c * p + i]
                loss += Double(nc * Self.softplus(u[i]) - s * u[i])
                du[i] = (nc * image[i] - s) * scale
                gBias[h + i] += du[i]
            }
            let w2 = lay.wOffset[1] + c * h
            for j in 0..<h {
                let row = w1 + j * p
                var dg: Float = 0
                for i in 0..<p {
                    gWeights[row + i] += g[j] * du[i]
                    dg += net.params[row + i] * du[i]
                }
                let dv = dg * g[j] * (1 - g[j])
                gBias[j] += dv
                gWeights[w2 + j] += dv
            }
        }
        return loss * Double(scale)
    }

    // MARK: probes

    /// Clean, noisy and FGSM accuracy and the noise confidence of the classifier.
    public struct Probe: Sendable, Equatable {
        public var clean: Double
        public var noisy: Double
        public var fgsm: Double
        public var confidence: NoiseConfidence
    }

    /// Evaluates `test`: clean accuracy; accuracy on clip(x + level · U, 0, 1) with the fixed
    /// U[0, 1] draws `pixelNoise` (test.count x P); FGSM accuracy at ε; and `NoiseConfidence`
    /// against the pure-noise images `noiseImages` (rows of P pixels).
    public mutating func evaluate(_ test: Dataset, epsilon: Float, noiseLevel: Float, pixelNoise: [Float], noiseImages: [Float]) -> Probe {
        let p = inputs, k = classes
        precondition(pixelNoise.count >= test.count * p && noiseImages.count % p == 0)
        var buffer = [Float](repeating: 0, count: 2 * p + k)
        var testMax = [Float](), noiseMax = [Float]()
        testMax.reserveCapacity(test.count)
        var right = (clean: 0, noisy: 0, fgsm: 0)
        buffer.withUnsafeMutableBufferPointer { bb in
            guard let x = bb.baseAddress else { return }
            let grad = x + p, target = x + 2 * p
            net.withCore { c in
                let out = c.w + c.layout.aOffset[2]
                func argmax() -> Int {
                    var best = 0
                    for i in 1..<k where out[i] > out[best] { best = i }
                    return best
                }
                for n in 0..<test.count {
                    let y = test.labels[n]
                    test.x.withRow(n) { xr in
                        guard let xp = xr.baseAddress else { return }
                        c.forward(xp)
                        if argmax() == y { right.clean += 1 }
                        var m = out[0]
                        for i in 1..<k { m = max(m, out[i]) }
                        testMax.append(m)
                        for i in 0..<p { x[i] = min(1, max(0, xp[i] + noiseLevel * pixelNoise[n * p + i])) }
                        c.forward(x)
                        if argmax() == y { right.noisy += 1 }
                        target[y] = 1
                        Self.inputGradient(c, xp, target, into: grad)
                        target[y] = 0
                        FGSM.perturb(xp, gradient: grad, epsilon: epsilon, count: p, into: x)
                        c.forward(x)
                        if argmax() == y { right.fgsm += 1 }
                    }
                }
                noiseImages.withUnsafeBufferPointer { nb in
                    guard let np = nb.baseAddress else { return }
                    for n in 0..<(noiseImages.count / p) {
                        c.forward(np + n * p)
                        var m = out[0]
                        for i in 1..<k { m = max(m, out[i]) }
                        noiseMax.append(m)
                    }
                }
            }
        }
        let count = Double(max(1, test.count))
        return Probe(clean: Double(right.clean) / count, noisy: Double(right.noisy) / count, fgsm: Double(right.fgsm) / count,
                     confidence: NoiseConfidence(noiseMaxima: noiseMax, testMaxima: testMax))
    }
}
