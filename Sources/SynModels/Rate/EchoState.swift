import SynCore

/// An echo-state network (Jaeger 2001, GMD Report 148): a fixed random recurrent reservoir of
/// tanh units and a trained linear readout.
///
///     r(t+1) = (1 - a) r(t) + a tanh(W r(t) + W_in u(t+1))
///     y(t)   = W_out [r(t); 1]
///
/// r: reservoir rates (dimensionless), u: inputs, a: leak rate in (0, 1], W ~ N(0, g^2 / N)
/// (its spectral radius is about g for large N by the circular law; g < 1 gives the echo-state
/// property in practice), W_in ~ U(-s, s). Only W_out is learned, by ridge regression
/// W_out = Y^T R (R^T R + lambda I)^{-1} over collected states R (`fitReadout`).
public struct EchoStateNetwork: Sendable {
    public let size: Int
    public let inputs: Int
    public let leak: Float
    public let w: Matrix
    public let wIn: Matrix
    public private(set) var state: [Float]
    /// Readout (outputs x (size + 1)), the last column is the bias.
    public var readout: Matrix
    private var drive: [Float]
    private var drive2: [Float]

    public init(size: Int, inputs: Int, outputs: Int, radius g: Float = 0.9, inputScale: Float = 1, leak: Float = 1, rng: inout RNG) {
        precondition(size > 0 && inputs > 0 && outputs > 0 && leak > 0 && leak <= 1)
        self.size = size
        self.inputs = inputs
        self.leak = leak
        let sd = g / Float(size).squareRoot()
        w = Matrix(rows: size, cols: size) { _, _ in sd * rng.normal() }
        wIn = Matrix(rows: size, cols: inputs) { _, _ in rng.uniform(-inputScale, inputScale) }
        state = [Float](repeating: 0, count: size)
        readout = Matrix(rows: outputs, cols: size + 1)
        drive = state
        drive2 = state
    }

    /// Advances the reservoir by one input.
    public mutating func step(_ u: [Float]) {
        Kernels.gemv(w, state, into: &drive)
        Kernels.gemv(wIn, u, into: &drive2)
        for i in 0..<size {
            let v = drive[i] + drive2[i]
            state[i] = (1 - leak) * state[i] + leak * RateKernels.tanh1(v)
        }
    }

    /// Resets the reservoir state to 0.
    public mutating func reset() { for i in 0..<size { state[i] = 0 } }

    /// The readout of the current state.
    public func output() -> [Float] {
        (0..<readout.rows).map { o in
            var s = readout[o, size]
            for i in 0..<size { s += readout[o, i] * state[i] }
            return s
        }
    }

    /// Fits W_out by ridge regression on `states` (T x size) and `targets` (T x outputs):
    /// solves (R^T R + lambda I) W_out^T = R^T Y with R = [states, 1], in Double (Cholesky).
    public mutating func fitReadout(states: Matrix, targets: Matrix, lambda: Double) {
        precondition(states.rows == targets.rows && states.cols == size && targets.cols == readout.rows)
        let d = size + 1, t = states.rows
        var a = [Double](repeating: 0, count: d * d)
        var b = [Double](repeating: 0, count: d * targets.cols)
        var r = [Double](repeating: 1, count: d)
        for k in 0..<t {
            for i in 0..<size { r[i] = Double(states[k, i]) }
            for i in 0..<d {
                let ri = r[i]
                for j in 0...i { a[i * d + j] += ri * r[j] }
                for o in 0..<targets.cols { b[i * targets.cols + o] += ri * Double(targets[k, o]) }
            }
        }
        for i in 0..<d { a[i * d + i] += lambda; for j in 0..<i { a[j * d + i] = a[i * d + j] } }
        // Cholesky A = L L^T (A is SPD for lambda > 0).
        for j in 0..<d {
            var s = a[j * d + j]
            for k in 0..<j { s -= a[j * d + k] * a[j * d + k] }
            let l = s > 0 ? s.squareRoot() : 1e-12
            a[j * d + j] = l
            for i in (j + 1)..<d {
                var v = a[i * d + j]
                for k in 0..<j { v -= a[i * d + k] * a[j * d + k] }
                a[i * d + j] = v / l
            }
        }
        for o in 0..<targets.cols {
            var z = [Double](repeating: 0, count: d)
            for i in 0..<d {
                var v = b[i * targets.cols + o]
                for k in 0..<i { v -= a[i * d + k] * z[k] }
                z[i] = v / a[i * d + i]
            }
            for i in stride(from: d - 1, through: 0, by: -1) {
                var v = z[i]
                for k in (i + 1)..<d { v -= a[k * d + i] * z[k] }
                z[i] = v / a[i * d + i]
            }
            for i in 0..<d { readout[o, i] = Float(z[i]) }
        }
    }
}
