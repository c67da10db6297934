/// The fast gradient sign method (Goodfellow, Shlens & Szegedy 2015), the adversarial probe of
/// bidirectional learning: x_adv = clip(x + ε sign(∇_x L), 0, 1) per pixel, with sign(0) = 0,
/// ε in pixel units (pixels in [0, 1]). One step along the loss's steepest L∞ direction.
public enum FGSM {
    /// Writes x_adv for `count` pixels into `out` (may alias `x`).
    @inlinable public static func perturb(_ x: UnsafePointer<Float>, gradient: UnsafePointer<Float>, epsilon: Float, count: Int,
                                          into out: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let g = gradient[i]
            let s: Float = g > 0 ? 1 : (g < 0 ? -1 : 0)
            out[i] = min(1, max(0, x[i] + epsilon * s))
        }
    }

    /// x_adv for an image and its loss gradient (allocates; tests and views).
    public static func perturb(_ x: [Float], gradient: [Float], epsilon: Float) -> [Float] {
        precondition(x.count == gradient.count)
        var out = x
        x.withUnsafeBufferPointer { xb in
            gradient.withUnsafeBufferPointer { gb in
                out.withUnsafeMutableBufferPointer { ob in
                    guard let xp = xb.baseAddress, let gp = gb.baseAddress, let op = ob.baseAddress else { return }
                    perturb(xp, gradient: gp, epsilon: epsilon, count: x.count, into: op)
                }
            }
        }
        return out
    }
}
