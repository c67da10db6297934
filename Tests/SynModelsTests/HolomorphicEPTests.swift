import Foundation
import Testing
import SynCore
@testable import SynModels

/// Page 22: holomorphic EP's N-point neural error against recurrent backprop, the Jacobian
/// homeostasis gradient and the symmetry index, on a tiny 4-5-5-3 network.
@Suite struct HolomorphicEPTests {
    typealias Net = HolomorphicEPNetwork

    static func tiny(alphaDeg: Double, seed: UInt64 = 3) -> (Net, Matrix, Matrix) {
        var rng = RNG(seed: seed)
        var net = Net(sizes: [4, 5, 5, 3], scale: 1.2, alpha: alphaDeg * Double.pi / 180, rng: &rng)
        for l in 1...3 { for j in net.bias[l].indices { net.bias[l][j] = 0.3 * rng.normal() } }
        let x = Matrix(rows: 3, cols: 4) { _, _ in rng.uniform(0, 1) }
        let y = Matrix(rows: 3, cols: 3) { i, c in i == c ? 1 : 0 }
        return (net, x, y)
    }

    /// Free fixed point, then the rates at every point k = 0 ... N/2 of an N-point circle.
    static func estimate(_ net: Net, _ x: Matrix, _ y: Matrix, points n: Int, beta: Float) -> (free: Net.State, delta: [Matrix], mu: [Matrix]) {
        var res = [Float]()
        var u = net.zeroState(batch: x.rows)
        let drive = net.drive(x)
        let free = net.relax(&u, drive: drive, target: y, beta: (0, 0), steps: 600, gamma: 0.5, residuals: &res)
        let nudged = (0...(n / 2)).map { k -> Net.State in
            var s = u
            return net.relax(&s, drive: drive, target: y, beta: Net.point(k, of: n, modulus: beta), steps: 600, gamma: 0.5, residuals: &res)
        }
        let delta = Net.neuralError(points: n, modulus: beta, ratesAt: { nudged[$0] }, free: free)
        let mu = net.recurrentBackpropError(free: free, target: y, steps: 600, gamma: 0.5)
        return (free, delta, mu)
    }

    static func cos(_ delta: Matrix, _ mu: Matrix) -> Double { cosineSimilarity(delta.storage.map { -$0 }, mu.storage) }

    @Test func complexSigmoidExtendsTheRealOneHolomorphically() {
        for a: Float in [-0.7, 0.2, 0.5, 1.3] {
            let (re, im) = Net.sigma(a, 0)
            #expect(abs(re - Net.sigma(a)) < 1e-6 && im == 0)
            // sigma(a + ih) ≈ sigma(a) + i h sigma'(a), sigma' = 4 sigma (1 - sigma).
            let h: Float = 1e-3, s = Net.sigma(a)
            let (_, di) = Net.sigma(a, h)
            #expect(abs(di / h - 4 * s * (1 - s)) < 1e-3)
            let (cr, ci) = Net.sigma(a, -0.2), (pr, pi) = Net.sigma(a, 0.2)
            #expect(cr == pr && ci == -pi)
        }
    }

    @Test func onePointIsAForwardAndTwoPointsACentralDifference() {
        let (net, x, y) = Self.tiny(alphaDeg: 45)
        var res = [Float]()
        var u = net.zeroState(batch: 3)
        let drive = net.drive(x)
        let free = net.relax(&u, drive: drive, target: y, beta: (0, 0), steps: 400, gamma: 0.5, residuals: &res)
        var sp = u, sm = u
        let plus = net.relax(&sp, drive: drive, target: y, beta: (0.3, 0), steps: 400, gamma: 0.5, residuals: &res)
        let minus = net.relax(&sm, drive: drive, target: y, beta: (-0.3, 0), steps: 400, gamma: 0.5, residuals: &res)
        let one = Net.neuralError(points: 1, modulus: 0.3, ratesAt: { _ in plus }, free: free)
        let two = Net.neuralError(points: 2, modulus: 0.3, ratesAt: { $0 == 0 ? plus : minus }, free: free)
        for l in 0..<3 {
            for k in 0..<one[l].storage.count {
                #expect(abs(one[l].storage[k] - (plus.re[l].storage[k] - free.re[l].storage[k]) / 0.3) < 1e-5)
                #expect(abs(two[l].storage[k] - (plus.re[l].storage[k] - minus.re[l].storage[k]) / 0.6) < 1e-5)
            }
        }
    }

    @Test func recurrentBackpropIsTheGradientOfTheFixedPointLoss() {
        // d l / d W_2[1, 2] by central differences of the relaxed loss, asymmetric weights.
        let (net, x, y) = Self.tiny(alphaDeg: 90)
        func loss(_ n: Net) -> Double {
            var res = [Float]()
            var u = n.zeroState(batch: 3)
            let r = n.relax(&u, drive: n.drive(x), target: y, beta: (0, 0), steps: 800, gamma: 0.5, residuals: &res)
            return zip(r.re[2].storage, y.storage).reduce(0.0) { $0 + 0.5 * Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / 3
        }
        let (free, _, mu) = Self.estimate(net, x, y, points: 1, beta: 0.1)
        let g = net.parameterGradient(error: mu, free: free, input: x, sign: 1)
        let eps: Float = 1e-2
        for (l, i, j, feedback) in [(2, 1, 2, false), (3, 0, 4, false), (2, 3, 0, true)] {
            var p = net, m = net
            if feedback {
                p.b[l].storage[i * p.b[l].cols + j] += eps; m.b[l].storage[i * m.b[l].cols + j] -= eps
            } else {
                p.w[l].storage[i * p.w[l].cols + j] += eps; m.w[l].storage[i * m.w[l].cols + j] -= eps
            }
            let fd = (loss(p) - loss(m)) / Double(2 * eps)
            let exact = Double(feedback ? g.b[l][i, j] : g.w[l][i, j])
            #expect(abs(fd - exact) < 1e-3 + 0.02 * abs(exact), "\(feedback ? "B" : "W")_\(l)[\(i), \(j)]: \(fd) vs \(exact)")
        }
    }

    @Test func symmetricWeightsAlignAsPointsGrowAsymmetricDoNot() {
        let (sym, x, y) = Self.tiny(alphaDeg: 0)
        let coarse = Self.estimate(sym, x, y, points: 1, beta: 0.5)
        let fine = Self.estimate(sym, x, y, points: 8, beta: 0.5)
        for l in 0..<3 {
            #expect(Self.cos(fine.delta[l], fine.mu[l]) > 0.999)
            #expect(Self.cos(fine.delta[l], fine.mu[l]) > Self.cos(coarse.delta[l], coarse.mu[l]))
        }
        let (asym, _, _) = Self.tiny(alphaDeg: 90)
        let biased = Self.estimate(asym, x, y, points: 8, beta: 0.5)
        #expect(Self.cos(biased.delta[2], biased.mu[2]) > 0.99)  // the output error stays aligned
        #expect(Self.cos(biased.delta[0], biased.mu[0]) < 0.9)   // the first hidden layer's does not
    }

    @Test func homeostasisGradientAndSymmetryIndex() {
        var (net, _, _) = Self.tiny(alphaDeg: 60)
        var g = net.zeroGradient()
        net.addHomeostasis(lambda: 1, into: &g)
        // Central differences of L_homeo for one W and one B entry.
        let eps: Float = 1e-3
        for feedback in [false, true] {
            var p = net, m = net
            if feedback { p.b[3].storage[2] += eps; m.b[3].storage[2] -= eps } else { p.w[2].storage[7] += eps; m.w[2].storage[7] -= eps }
            let fd = (p.homeostaticLoss - m.homeostaticLoss) / Double(2 * eps)
            let exact = Double(feedback ? g.b[3].storage[2] : g.w[2].storage[7])
            #expect(abs(fd - exact) < 1e-4 + 1e-3 * abs(exact))
        }
        #expect(net.symmetryIndex > 0.5 && net.symmetryIndex < 1)
        for l in 2...3 { net.b[l] = Matrix(rows: net.w[l].cols, cols: net.w[l].rows) { i, j in net.w[l][j, i] } }
        #expect(net.symmetryIndex == 1 && net.homeostaticLoss == 0)
        for l in 2...3 { net.b[l].storage = net.b[l].storage.map { -$0 } }
        #expect(net.symmetryIndex == 0)
    }
}
