/// Compact number formatting for axis labels and readouts.
public enum NumberFormat {
    /// At most about 6 characters: "0", "12.5", "0.034", "1.2k", "3.4M", "1e-05", "-7.1".
    public static func compact(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        let a = abs(v), sign = v < 0 ? "-" : ""
        if a >= 1e9 { return sign + trimmed(a / 1e9, 1) + "G" }
        if a >= 1e6 { return sign + trimmed(a / 1e6, 1) + "M" }
        if a >= 1e4 { return sign + trimmed(a / 1e3, 1) + "k" }
        if a >= 100 { return sign + trimmed(a, 0) }
        if a >= 10 { return sign + trimmed(a, 1) }
        if a >= 1 { return sign + trimmed(a, 2) }
        if a >= 0.01 { return sign + trimmed(a, 3) }
        return sign + scientific(a)
    }

    /// `v` with `digits` decimals, trailing zeros (and a trailing point) removed.
    static func trimmed(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (v * scale).rounded() / scale
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) - 1 > digits {
            s = String(s[..<s.index(dot, offsetBy: digits + 1)])
        }
        return s
    }

    /// "1e-05" style with one significant digit (two if it is not an integer mantissa).
    static func scientific(_ a: Double) -> String {
        var exponent = 0
        var m = a
        while m < 1 { m *= 10; exponent -= 1 }
        while m >= 10 { m /= 10; exponent += 1 }
        var mantissa = (m * 10).rounded() / 10
        if mantissa >= 10 {  // 9.96e-03 rounds to 1e-02, not 10e-03
            mantissa /= 10
            exponent += 1
        }
        let mText = mantissa == mantissa.rounded() ? String(Int(mantissa)) : trimmed(mantissa, 1)
        let eText = exponent < 0 ? "-" + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
                                 : String(exponent)
        return mText + "e" + eText
    }
}
