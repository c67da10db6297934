/// The Mackey-Glass delay differential equation (Mackey & Glass 1977, Science 197:287), the
/// standard chaotic benchmark series for reservoir computing (Jaeger 2001):
///
///     dx/dt = beta x(t - tau) / (1 + x(t - tau)^n) - gamma x(t)
///
/// x dimensionless, t in the equation's own time units, beta = 0.2, gamma = 0.1, n = 10; the
/// series is chaotic for tau >= 17. Integrated with the forward Euler method at a fixed step
/// `dt` (time units), keeping the last tau / dt values as the delay line; `next()` advances one
/// sample interval (`substeps` Euler steps) and returns x.
public struct MackeyGlass: Sendable {
    public let tau: Double
    public let dt: Double
    public let substeps: Int
    public let beta: Double = 0.2
    public let gamma: Double = 0.1
    /// Delay line x(t - tau) ... x(t - dt), circular; `head` is the oldest entry (x(t - tau)).
    private var history: [Double]
    private var head = 0
    public private(set) var x: Double

    /// A series starting from the constant history x = `initial` (delay tau, Euler step `dt`,
    /// `substeps` Euler steps per sample).
    public init(tau: Double = 17, dt: Double = 0.1, substeps: Int = 10, initial: Double = 1.2) {
        precondition(tau > 0 && dt > 0 && substeps >= 1)
        self.tau = tau
        self.dt = dt
        self.substeps = substeps
        history = [Double](repeating: initial, count: max(1, Int((tau / dt).rounded())))
        x = initial
    }

    /// Advances one sample interval and returns the new x.
    public mutating func next() -> Double {
        for _ in 0..<substeps {
            let delayed = history[head]
            var p = delayed
            // delayed^10 by repeated squaring (x stays positive for a positive history).
            let p2 = p * p, p4 = p2 * p2, p8 = p4 * p4
            p = p8 * p2
            let dx = beta * delayed / (1 + p) - gamma * x
            history[head] = x
            head += 1
            if head == history.count { head = 0 }
            x += dt * dx
        }
        return x
    }
}
