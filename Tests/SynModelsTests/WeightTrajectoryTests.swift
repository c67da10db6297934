import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore
@testable import SynModels

/// The weight-trajectory PCA of the curl-descent panel (`WeightTrajectory`).
@Suite struct WeightTrajectoryTests {
    /// Snapshots on an ellipse θ(t) = c + a cos(2πt/T) e1 + b sin(2πt/T) e2 in 5 dimensions
    /// (a > b, a whole period): the covariance has eigenvalues a²/2 and b²/2 along e1 and e2, so
    /// the coordinates are ±a cos and ±b sin and the two components explain all the variance.
    @Test func ellipseProjectsOntoItsAxes() {
        var tr = WeightTrajectory(capacity: 64)
        let a = 3.0, b = 1.0, T = 32
        let c: [Float] = [0.5, -1, 2, 0.25, 7]
        for t in 0..<T {
            let ph = 2 * Double.pi * Double(t) / Double(T)
            var theta = c
            theta[1] += Float(a * cos(ph))
            theta[3] += Float(b * sin(ph))
            tr.record(theta)
        }
        #expect(tr.pc1.count == T && tr.stride == 1)
        #expect(abs(tr.explained - 1) < 1e-5)
        for t in 0..<T {
            let ph = 2 * Double.pi * Double(t) / Double(T)
            #expect(abs(abs(Double(tr.pc1[t])) - abs(a * cos(ph))) < 1e-3, "pc1[\(t)] = \(tr.pc1[t])")
            #expect(abs(abs(Double(tr.pc2[t])) - abs(b * sin(ph))) < 1e-3, "pc2[\(t)] = \(tr.pc2[t])")
        }
    }

    /// A full buffer keeps every second snapshot and records at twice the stride from then on.
    @Test func fullBufferThinsAndDoublesTheStride() {
        var tr = WeightTrajectory(capacity: 8)
        for t in 0..<8 { tr.record([Float(t), Float(t * t)]) }
        #expect(tr.snapshots.count == 8 && tr.stride == 1)
        tr.record([8, 64])
        #expect(tr.stride == 2)
        #expect(tr.snapshots.map { $0[0] } == [0, 2, 4, 6, 8])
        tr.record([9, 81])  // call 9: skipped at stride 2
        tr.record([10, 100])
        #expect(tr.snapshots.map { $0[0] } == [0, 2, 4, 6, 8, 10])
        // Points on a line: one component carries everything.
        var line = WeightTrajectory()
        for t in 0..<5 { line.record([Float(t), 2 * Float(t), -Float(t)]) }
        #expect(abs(line.explained - 1) < 1e-9)
        #expect(line.pc2.allSatisfy { abs($0) < 1e-3 })
    }
}
