import Foundation
import SynCore

/// A classifier with one layer of stochastic binary units (Bengio, Léonard & Courville 2013,
/// arXiv 1308.3432): a = W1 x + b1, p = σ(a), h_i ~ Bernoulli(p_i), logits z = W2 h + b2,
/// L = −log softmax(z)_y (nats). Weights row-major: W1 is H x I, W2 is C x H.
public struct StochasticBinaryNet: Sendable {
    public let inputs: Int, hidden: Int, classes: Int
    public var w1: [Float], b1: [Float], w2: [Float], b2: [Float]

    /// W1 ~ N(0, 1/I), W2 ~ N(0, 1/H), biases 0.
    public init(inputs: Int, hidden: Int, classes: Int, rng: inout RNG) {
        self.inputs = inputs; self.hidden = hidden; self.classes = classes
        let s1 = 1 / Float(inputs).squareRoot(), s2 = 1 / Float(hidden).squareRoot()
        w1 = (0..<(hidden * inputs)).map { _ in rng.normal() * s1 }
        w2 = (0..<(classes * hidden)).map { _ in rng.normal() * s2 }
        b1 = .init(repeating: 0, count: hidden)
        b2 = .init(repeating: 0, count: classes)
    }

    /// p = σ(W1 x + b1).
    public func probabilities(_ x: UnsafePointer<Float>) -> [Float] {
        var a = [Float](repeating: 0, count: hidden)
        w1.withUnsafeBufferPointer { w in
            b1.withUnsafeBufferPointer { b in
                a.withUnsafeMutableBufferPointer { y in
                    guard let w = w.baseAddress, let y = y.baseAddress else { return }
                    RateKernels.gemv(w, rows: hidden, cols: inputs, x, bias: b.baseAddress, into: y)
                }
            }
        }
        for i in a.indices { a[i] = 1 / (1 + Foundation.exp(-a[i])) }
        return a
    }

    /// softmax(W2 h + b2).
    public func softmax(_ h: [Float]) -> [Float] {
        var z = b2
        for c in 0..<classes {
            var s: Float = 0
            for i in 0..<hidden where h[i] != 0 { s += w2[c * hidden + i] * h[i] }
            z[c] += s
        }
        return Self.softmax(logits: z)
    }

    static func softmax(logits z: [Float]) -> [Float] {
        let m = z.max() ?? 0
        var e = z.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        for i in e.indices { e[i] /= s }
        return e
    }

    /// Cross-entropy −log q_y (nats), floored at q = 1e-12.
    static func loss(_ q: [Float], _ y: Int) -> Float { -Foundation.log(max(q[y], 1e-12)) }

    /// dL/dh = W2ᵀ (q − onehot(y)).
    func hiddenError(_ q: [Float], _ y: Int) -> [Float] {
        var d = [Float](repeating: 0, count: hidden)
        for c in 0..<classes {
            let e = q[c] - (c == y ? 1 : 0)
            for i in 0..<hidden { d[i] += w2[c * hidden + i] * e }
        }
        return d
    }

    /// One Bernoulli sample of h from p.
    static func sample(_ p: [Float], rng: inout RNG) -> [Float] { p.map { rng.uniform() < $0 ? 1 : 0 } }

    /// The exact gradient of the expected loss with respect to a, estimated per unit from the
    /// identity ∂E[L]/∂a_i = p_i (1 − p_i) E[L(h_i = 1) − L(h_i = 0)] with the other units
    /// sampled `samples` times (flipping h_i only shifts the logits by W2[:, i]).
    func referenceHiddenGradient(p: [Float], y: Int, samples: Int, rng: inout RNG) -> [Float] {
        var diff = [Float](repeating: 0, count: hidden)
        for _ in 0..<max(1, samples) {
            let h = Self.sample(p, rng: &rng)
            var z = b2
            for c in 0..<classes { for i in 0..<hidden where h[i] != 0 { z[c] += w2[c * hidden + i] } }
            var z1 = z
            let lHere = Self.loss(Self.softmax(logits: z), y)
            for i in 0..<hidden {
                // z1 = logits with h_i = 1, z0 with h_i = 0.
                let sign: Float = h[i] == 0 ? 1 : -1
                for c in 0..<classes { z1[c] = z[c] + sign * w2[c * hidden + i] }
                let lFlip = Self.loss(Self.softmax(logits: z1), y)
                diff[i] += h[i] == 0 ? lFlip - lHere : lHere - lFlip
            }
        }
        let s = Float(max(1, samples))
        return (0..<hidden).map { p[$0] * (1 - p[$0]) * diff[$0] / s }
    }

    /// Test accuracy with the mean softmax of `samples` draws per example (Bengio et al.'s
    /// stochastic evaluation).
    func accuracy(_ data: Dataset, samples: Int, rng: inout RNG) -> Double {
        var correct = 0
        for n in 0..<data.count {
            let p = data.x.withRow(n) { r in r.baseAddress.map { probabilities($0) } ?? [] }
            var mean = [Float](repeating: 0, count: classes)
            for _ in 0..<max(1, samples) {
                let q = softmax(Self.sample(p, rng: &rng))
                for c in 0..<classes { mean[c] += q[c] }
            }
            var best = 0
            for c in 1..<classes where mean[c] > mean[best] { best = c }
            if best == data.labels[n] { correct += 1 }
        }
        return data.count > 0 ? Double(correct) / Double(data.count) : .nan
    }
}
