/// Integrators of the spiking models, and the vector exponential they share.
///
/// Which scheme each model uses (the choice follows the equations, as in Brian2's `method=`):
/// - linear with constant coefficients (CUBA `LIFGroup`, exponential / alpha / dual-exponential
///   synapses, Tsodyks-Markram recovery between spikes, NMDA gating decay): **exact** — the
///   closed-form solution over one step, no truncation error;
/// - conditionally linear (COBA LIF, Hodgkin-Huxley gates and membrane, where each variable's
///   equation is linear in that variable once the others are frozen over the step):
///   **exponential Euler** `x(t+dt) = x_inf + (x - x_inf) e^(-dt/tau)`, with `x_inf`, `tau`
///   from the values at t — Brian2's `exponential_euler`, stable for any gate stiffness;
/// - genuinely nonlinear in v (exponential and quadratic integrate-and-fire): **RK2**
///   (midpoint), `Integrator.rk2`; `Integrator.rk4` is the classical 4th-order scheme used by
///   the tests as a reference.
public enum Integrator {
    /// One midpoint (RK2) step of dx/dt = f(x).
    @inline(__always)
    public static func rk2(_ x: Double, dt: Double, _ f: (Double) -> Double) -> Double {
        let k1 = f(x)
        return x + dt * f(x + 0.5 * dt * k1)
    }

    /// One classical RK4 step of the system dx/dt = f(x).
    public static func rk4(_ x: [Double], dt: Double, _ f: ([Double]) -> [Double]) -> [Double] {
        func axpy(_ a: Double, _ k: [Double]) -> [Double] { zip(x, k).map { $0 + a * $1 } }
        let k1 = f(x)
        let k2 = f(axpy(0.5 * dt, k1))
        let k3 = f(axpy(0.5 * dt, k2))
        let k4 = f(axpy(dt, k3))
        return (0..<x.count).map { x[$0] + dt / 6 * (k1[$0] + 2 * k2[$0] + 2 * k3[$0] + k4[$0]) }
    }
}

/// e^x for 8 Float lanes: Cody-Waite reduction x = k ln2 + r (|r| <= ln2/2), a degree-6
/// polynomial for e^r and the exponent built in the bits of 2^k. Relative error below 3e-7 for
/// x in [-87, 88]; inputs are clamped there (e^-87 ~ 1.6e-38, e^88 ~ 1.7e38), so no inf/NaN.
/// The HH and COBA updates call it ~10 times per neuron per step, where scalar `expf` would
/// dominate the run time.
@inline(__always)
public func vexp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let lo = SIMD8<Float>(repeating: -87), hi = SIMD8<Float>(repeating: 88)
    let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
    // Round x log2(e) to the nearest integer with the 1.5 * 2^23 trick: the integer lands in
    // the low mantissa bits of t (no generic float -> int conversion in the hot loop).
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let t = xc * 1.442_695_04 + magic
    let k = t - magic
    // ln2 split in a high part exact in Float and a low correction.
    let r = xc.addingProduct(k, SIMD8(repeating: -0.693_145_752)).addingProduct(k, SIMD8(repeating: -1.428_606_82e-6))
    var p = SIMD8<Float>(repeating: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let ki = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let bits = (ki &+ 127) &<< 23
    return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
}

/// exprel(x) = (e^x - 1) / x (1 at x = 0), for 8 lanes: the rate functions of the HH gates
/// (`a (V - V0) / (1 - e^(-(V - V0)/k))` = `a k / exprel(-(V - V0)/k)`) without the 0/0 at
/// V = V0. Near 0 it uses the series 1 + x/2 + x^2/6 (error < 1e-7 for |x| < 1e-2).
@inline(__always)
public func vexprel(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let series = 1 + x * (0.5 + x * (1.0 / 6))
    let direct = (vexp(x) - 1) / x
    // |x| < 1e-2 as one compare on the sign-cleared bits: the `.&` of two float compares
    // compiled to a per-lane loop through the stack (80 % of COBA's run time in `perf`).
    let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & SIMD8(repeating: 0x7fff_ffff), to: SIMD8<Float>.self)
    return direct.replacing(with: series, where: magnitude .< SIMD8<Float>(repeating: 1e-2))
}
