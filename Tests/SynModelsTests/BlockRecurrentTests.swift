import Testing
import SynCore
@testable import SynModels

/// The block-recurrence scene's pieces: the residual MLP's backward pass against finite
/// differences (with and without drop-path factors), the drop-path identity, the phase search
/// on matrices with a known answer, and the two arms agreeing when both have p = 0.
@Suite struct BlockRecurrentTests {
    static let labels = [0, 2, 1, 2, 0]

    static func smallNet() -> (ResidualMLP, [Float], Matrix) {
        let net = ResidualMLP(inputs: 3, width: 4, hidden: 5, blocks: 3, classes: 3, capacity: 5)
        var rng = RNG(seed: 11)
        var theta = net.initialParameters(rng: &rng)
        for i in theta.indices { theta[i] += 0.2 * rng.normal() }  // nonzero biases too
        let x = Matrix(rows: 5, cols: 3) { _, _ in rng.normal() }
        return (net, theta, x)
    }

    /// Every entry of the backward gradient matches the central difference of the loss
    /// (Float32, step 1e-2: agreement to a few 1e-3 relative to the largest entry).
    @Test(arguments: [false, true])
    func gradientMatchesFiniteDifferences(_ dropped: Bool) {
        var (net, theta, x) = Self.smallNet()
        // Block-major factors: block 1 drops sample 0 and 3, others scaled as with p = 0.5.
        let keep: [Float]? = dropped ? [2, 2, 0, 2, 2, 0, 2, 2, 0, 2, 2, 2, 0, 2, 2] : nil
        net.forward(theta, x: x, keep: keep)
        var g = [Float](repeating: 0, count: net.paramCount)
        let loss = net.backward(theta, x: x, labels: Self.labels, into: &g)
        #expect(loss > 0)
        let h: Float = 1e-2
        var worst: Float = 0
        let scale = g.map(abs).max() ?? 1
        for i in 0..<net.paramCount {
            var p = theta, m = theta
            p[i] += h
            m[i] -= h
            net.forward(p, x: x, keep: keep)
            let lp = net.loss(Self.labels)
            net.forward(m, x: x, keep: keep)
            let lm = net.loss(Self.labels)
            worst = max(worst, abs(Float((lp - lm) / Double(2 * h)) - g[i]))
        }
        #expect(scale > 0.01)
        #expect(worst < 3e-3 * max(1, scale), "largest deviation \(worst) (largest gradient \(scale))")
    }

    /// A block whose drop factors are all 0 passes the residual state through unchanged (its
    /// branch is still computed, only not added), while the block before it moves the state.
    @Test func droppedBlockIsTheIdentity() {
        let (start, theta, x) = Self.smallNet()
        var net = start
        var keep = [Float](repeating: 1, count: 15)
        for i in 5..<10 { keep[i] = 0 }
        net.forward(theta, x: x, keep: keep)
        #expect(net.state(2).storage == net.state(1).storage)
        #expect(net.state(1).storage != net.state(0).storage)
        #expect(net.relativeUpdate(1) > 0)  // the branch is computed, only not added
    }

    /// Layer norm: each row of u has mean 0 and variance 1 (up to the 1e-5 regulariser).
    @Test func layerNormStandardisesEachRow() {
        let h: [Float] = [1, 2, 3, 6, -1, 0, 0, 1]
        var u = [Float](repeating: 0, count: 8), s = [Float](repeating: 0, count: 2)
        h.withUnsafeBufferPointer { hb in
            u.withUnsafeMutableBufferPointer { ub in
                s.withUnsafeMutableBufferPointer { sb in
                    guard let hp = hb.baseAddress, let up = ub.baseAddress, let sp = sb.baseAddress else { return }
                    ResidualMLP.layerNorm(2, 4, hp, up, sp)
                }
            }
        }
        // Row 0: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
        #expect(abs(s[0] - 1 / (3.5 + 1e-5).squareRoot()) < 1e-6)
        #expect(abs(u[3] - 3 / Float(3.5).squareRoot()) < 1e-5)
        for r in 0..<2 {
            let row = u[(4 * r)..<(4 * r + 4)]
            #expect(abs(row.reduce(0, +)) < 1e-5)
            #expect(abs(row.map { $0 * $0 }.reduce(0, +) / 4 - 1) < 1e-4)
        }
    }

    /// Two blocks of layers with 0.9 inside and 0.2 across: the best 2-phase cut is between
    /// them, with score 0.9; three groups are found with k = 3.
    @Test func phaseSearchFindsTheBlocks() {
        func sim(_ groups: [Int]) -> [Double] {
            let l = groups.count
            return (0..<(l * l)).map { k in
                let i = k / l, j = k % l
                return i == j ? 1 : groups[i] == groups[j] ? 0.9 : 0.2
            }
        }
        let two = LayerPhases.best(sim([0, 0, 0, 0, 0, 1, 1, 1]), layers: 8, phases: 2)
        #expect(two.cuts == [5])
        #expect(abs(two.score - 0.9) < 1e-12)
        let three = LayerPhases.best(sim([0, 0, 1, 1, 1, 2, 2, 2]), layers: 8, phases: 3)
        #expect(three.cuts == [2, 5])
        // One phase: everything; the pooled mean of all off-diagonal entries.
        let one = LayerPhases.best(sim([0, 0, 1, 1]), layers: 4, phases: 1)
        #expect(one.cuts.isEmpty)
        // Pairs inside: 2 + 2 (0.9 each), across: 8 (0.2 each) → (3.6 + 1.6) / 12.
        #expect(abs(one.score - 5.2 / 12) < 1e-12)
        #expect(abs(LayerPhases.offDiagonalMean(sim([0, 0, 1, 1]), layers: 4) - 5.2 / 12) < 1e-12)
        #expect(abs(LayerPhases.adjacentMean(sim([0, 0, 1, 1]), layers: 4) - (0.9 + 0.2 + 0.9) / 3) < 1e-12)
    }

    /// With p = 0 in both arms the two networks are the same network: same metrics bit for bit;
    /// with p > 0 in the second they differ after one epoch.
    @Test func armsAgreeWithoutDropPath() {
        func run(_ p: Float) -> [Double] {
            let cfg = BlockRecurrentSimulation.Config(width: 8, hidden: 8, blocks: 4, batch: 16, samples: 32, baseDrop: 0,
                                                      drop: p, phases: 2, rules: [GradientDescent(eta: 0.1)])
            var sim = BlockRecurrentSimulation(config: cfg, seed: 3)
            sim.advance(2)
            return sim.measure()
        }
        let names = BlockRecurrentSimulation.metricSpecs.map(\.name)
        let same = run(0), differ = run(0.5)
        func pair(_ m: [Double], _ a: String) -> (Double, Double) {
            (m[names.firstIndex(of: a) ?? 0], m[names.firstIndex(of: a + "_drop") ?? 0])
        }
        #expect(same[names.firstIndex(of: "epochs") ?? 0] == 1)
        for a in ["loss", "test_acc", "cka_offdiag_mean", "cka_adjacent_mean"] {
            let s = pair(same, a)
            #expect(s.0 == s.1, "\(a)")
        }
        #expect(pair(differ, "loss").0 != pair(differ, "loss").1)
        #expect(pair(differ, "loss").0 == pair(same, "loss").0)  // the first arm does not see the second
    }
}
