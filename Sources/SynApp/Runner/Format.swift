/// Number formatting for the status bar and panels without Foundation's `String(format:)`.
public enum Format {
    /// `x` rounded to `digits` decimals, always showing them ("3.10").
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var p = 1.0
        for _ in 0..<max(0, digits) { p *= 10 }
        let scaled = (abs(x) * p).rounded()
        guard scaled < 9e15 else { return String(x) }
        let whole = Int(scaled / p)
        let frac = Int(scaled - Double(whole) * p)
        var s = (x < 0 && scaled != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
        }
        return s
    }

    /// A short human number: 950, 1.2k, 35k, 1.5M, 0.012, 3.1e-05.
    public static func compact(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e9 { return fixed(x / 1e9, a >= 1e10 ? 0 : 1) + "G" }
        if a >= 1e6 { return fixed(x / 1e6, a >= 1e7 ? 0 : 1) + "M" }
        if a >= 1e4 { return fixed(x / 1e3, a >= 1e5 ? 0 : 1) + "k" }
        if a >= 100 { return fixed(x, 0) }
        if a >= 10 { return trim(fixed(x, 1)) }
        if a >= 0.01 { return trim(fixed(x, a >= 1 ? 2 : 3)) }
        return scientific(x, 1)
    }

    /// A value for a readout: 4 significant digits, scientific outside [1e-3, 1e5).
    public static func value(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 { return scientific(x, 2) }
        let digits = a >= 1000 ? 1 : a >= 100 ? 2 : a >= 10 ? 3 : 4
        return fixed(x, digits)
    }

    /// Mantissa with `digits` decimals and a signed two-digit exponent: "3.10e-05".
    public static func scientific(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite, x != 0 else { return value(x) }
        var e = 0
        var m = abs(x)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        var ms = fixed(m, digits)
        if ms.hasPrefix("10") { ms = fixed(1, digits); e += 1 }
        let es = String(abs(e))
        return (x < 0 ? "-" : "") + ms + "e" + (e < 0 ? "-" : "+") + (es.count < 2 ? "0" + es : es)
    }

    /// Simulated time: "850 ms", "12.35 s", "3 min 05 s".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        if seconds < 1 { return fixed(seconds * 1000, 0) + " ms" }
        if seconds < 120 { return fixed(seconds, 2) + " s" }
        let total = Int(seconds)
        let s = total % 60
        return String(total / 60) + " min " + (s < 10 ? "0" : "") + String(s) + " s"
    }

    private static func trim(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return String(t)
    }
}
