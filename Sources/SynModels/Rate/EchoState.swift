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
    /// Multiplies W in the update (W_eff = scale W): rescales the spectral radius to about
    /// scale g without redrawing the weights (1 as built).
    public var scale: Float = 1
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
        Kernels.gemv(w, state, into: &drive, alpha: scale)
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
    /// solves (R^T R + lambda I) W_out^T = R^T Y with R = [states, 1] in Double (`RidgeAccumulator`).
    /// Returns false, leaving the readout as it was, when the system is not positive definite
    /// (lambda = 0 with too few or degenerate states).
    @discardableResult
    public mutating func fitReadout(states: Matrix, targets: Matrix, lambda: Double) -> Bool {
        precondition(states.rows == targets.rows && states.cols == size && targets.cols == readout.rows)
        var ridge = RidgeAccumulator(features: size, outputs: targets.cols)
        for k in 0..<states.rows { ridge.add(states.row(k), targets.row(k)) }
        guard let w = ridge.solve(lambda: lambda) else { return false }
        let m = targets.cols
        for o in 0..<m { for i in 0...size { readout[o, i] = Float(w[i * m + o]) } }
        return true
    }
}
