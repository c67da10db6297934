import Testing
import SynCore
@testable import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct RateLocalRuleTests {
    /// Zero-mean low-rank data in 8 dimensions with planted eigenvalues 1, 0.25, 0.0625 (+ 0.0025).
    static func data(_ n: Int) -> (x: Matrix, u: Matrix) {
        var rng = RNG(seed: 12)
        let u = Tasks.randomOrthonormalColumns(rows: 8, cols: 3, rng: &rng)
        var x = Matrix(rows: n, cols: 8)
        for i in 0..<n {
            var s: Float = 1
            for k in 0..<3 {
                let z = rng.normal() * s
                for j in 0..<8 { x[i, j] += u[j, k] * z }
                s *= 0.5
            }
            for j in 0..<8 { x[i, j] += 0.05 * rng.normal() }
        }
        return (x, u)
    }

    static func run(_ layer: inout HebbianLayer, _ rule: LocalRule, eta: Float, x: Matrix, epochs: Int = 1) {
        for _ in 0..<epochs { for i in 0..<x.rows { layer.learn(x.row(i), rule: rule, eta: eta) } }
    }

    static func cosine(_ w: Matrix, row: Int, _ u: Matrix, col: Int) -> Double {
        abs(cosineSimilarity(w.row(row), u.column(col)))
    }

    @Test func ojaFindsTheUnitNormFirstPrincipalComponent() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 8, outputs: 1, rng: &rng)
        Self.run(&layer, .oja, eta: 0.01, x: x)
        #expect(Self.cosine(layer.w, row: 0, u, col: 0) > 0.99)
        let norm = layer.w.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 0.05)
    }

    @Test func plainHebbGrowsWithoutBound() {
        let (x, _) = Self.data(300)
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 8, outputs: 1, rng: &rng)
        let n0 = layer.w.storage.reduce(0) { $0 + $1 * $1 }
        Self.run(&layer, .hebb, eta: 0.01, x: x)
        #expect(layer.w.storage.reduce(0) { $0 + $1 * $1 } > 10 * n0)
    }

    @Test func sangerFindsTheOrderedLeadingComponents() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 2)
        var layer = HebbianLayer(inputs: 8, outputs: 3, rng: &rng)
        Self.run(&layer, .sanger, eta: 0.02, x: x, epochs: 3)
        #expect(Self.cosine(layer.w, row: 0, u, col: 0) > 0.99)
        #expect(Self.cosine(layer.w, row: 1, u, col: 1) > 0.95)
        #expect(Self.cosine(layer.w, row: 2, u, col: 2) > 0.9)
    }

    /// Földiák: anti-Hebbian lateral weights decorrelate the outputs (|corr| < 0.1) while Oja
    /// feedforward learning keeps them in the principal subspace.
    @Test func foldiakLateralInhibitionDecorrelatesOutputs() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 3)
        var layer = HebbianLayer(inputs: 8, outputs: 2, rng: &rng)
        let rule = LocalRule.foldiak(lateralEta: 0.02)
        Self.run(&layer, rule, eta: 0.01, x: x, epochs: 2)
        var s00 = 0.0, s11 = 0.0, s01 = 0.0
        for i in 0..<1000 {
            layer.respond(x.row(i), rule: rule)
            let a = Double(layer.y[0]), b = Double(layer.y[1])
            s00 += a * a; s11 += b * b; s01 += a * b
        }
        #expect(abs(s01 / (s00 * s11).squareRoot()) < 0.1)
        // Each feedforward row lies in the span of the top-2 components.
        for r in 0..<2 {
            let w = layer.w.row(r)
            var inSpan = 0.0
            for k in 0..<2 { let c = cosineSimilarity(w, u.column(k)); inSpan += c * c }
            #expect(inSpan > 0.9)
        }
    }

    /// BCM with two alternating input patterns: the sliding threshold makes the unit respond to
    /// one pattern and not the other (selectivity 1 - min/max > 0.9).
    @Test func bcmBecomesSelectiveToOnePattern() {
        let p1: [Float] = [1, 0.2, 0.6, 0], p2: [Float] = [0.1, 1, 0.4, 0.3]
        var rng = RNG(seed: 4)
        var layer = HebbianLayer(inputs: 4, outputs: 1, initScale: 0.5, rng: &rng)
        for i in 0..<20000 { layer.learn(i % 2 == 0 ? p1 : p2, rule: .bcm(tau: 50), eta: 0.01) }
        layer.respond(p1, rule: .hebb); let r1 = abs(layer.y[0])
        layer.respond(p2, rule: .hebb); let r2 = abs(layer.y[0])
        #expect(max(r1, r2) > 0.1)
        #expect(1 - min(r1, r2) / max(r1, r2) > 0.9)
    }

    /// SoftHebb on three well-separated unit-norm clusters, six units (competitive learning
    /// can leave units unused or shared, so there are more units than clusters): each cluster
    /// centre is matched by a unit whose weight vector points at it (cosine > 0.95).
    @Test func softHebbFindsClusterCentres() {
        var rng = RNG(seed: 5)
        let centres = Tasks.randomOrthonormalColumns(rows: 6, cols: 3, rng: &rng)
        var layer = HebbianLayer(inputs: 6, outputs: 6, rng: &rng)
        for _ in 0..<6000 {
            let c = rng.int(below: 3)
            var x = (0..<6).map { centres[$0, c] + 0.05 * rng.normal() }
            let n = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            x = x.map { $0 / n }
            layer.learn(x, rule: .softHebb(temperature: 0.1), eta: 0.02)
        }
        for c in 0..<3 {
            let best = (0..<6).map { abs(cosineSimilarity(layer.w.row($0), centres.column(c))) }.max() ?? 0
            #expect(best > 0.95, "centre \(c): best cosine \(best)")
        }
    }
}

@Suite struct RateEchoStateTests {
    /// Delayed recall y(t) = u(t - 5) of i.i.d. inputs u ~ U(-0.5, 0.5): a 100-unit reservoir
    /// (g = 0.9) with a ridge readout recalls it on held-out data with NRMSE < 0.2 (chance: 1).
    @Test func reservoirWithRidgeReadoutRecallsDelayedInput() {
        var rng = RNG(seed: 8)
        var esn = EchoStateNetwork(size: 100, inputs: 1, outputs: 1, radius: 0.9, rng: &rng)
        let total = 1700, washout = 100, delay = 5
        let u = (0..<total).map { _ in rng.uniform(-0.5, 0.5) }
        var states = Matrix(rows: total, cols: 100)
        for t in 0..<total {
            esn.step([u[t]])
            for i in 0..<100 { states[t, i] = esn.state[i] }
        }
        let trainRange = washout..<1200
        let rTrain = Matrix(rows: trainRange.count, cols: 100) { r, c in states[washout + r, c] }
        let yTrain = Matrix(rows: trainRange.count, cols: 1) { r, _ in u[washout + r - delay] }
        esn.fitReadout(states: rTrain, targets: yTrain, lambda: 1e-6)
        var se = 0.0, variance = 0.0
        for t in 1200..<total {
            var y = esn.readout[0, 100]
            for i in 0..<100 { y += esn.readout[0, i] * states[t, i] }
            let e = Double(y - u[t - delay])
            se += e * e
            variance += Double(u[t - delay] * u[t - delay])
        }
        let nrmse = (se / variance).squareRoot()
        #expect(nrmse < 0.2, "NRMSE \(nrmse)")
    }
}
