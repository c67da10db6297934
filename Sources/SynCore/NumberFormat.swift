/// The one number formatter of the project (CLI tables, the dashboard's status bar and
/// readouts, chart axes, rule equations), without Foundation's `String(format:)`.
public enum NumberFormat {
    /// `x` rounded to `digits` decimals, always showing them ("3.10").
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return nonFinite(x) }
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

    /// `x` with at most `digits` decimals, trailing zeros (and a trailing point) removed: "12.5".
    public static func trimmed(_ x: Double, _ digits: Int) -> String {
        let s = fixed(x, digits)
        guard x.isFinite, s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t == "-0" ? "0" : String(t)
    }

    /// At most about 6 characters, for axes and sliders: "0", "12.5", "0.034", "1.2k", "3.4M",
    /// "1e-05", "-7.1".
    public static func compact(_ x: Double) -> String {
        guard x.isFinite else { return nonFinite(x) }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e9 { return trimmed(x / 1e9, 1) + "G" }
        if a >= 1e6 { return trimmed(x / 1e6, 1) + "M" }
        if a >= 1e4 { return trimmed(x / 1e3, 1) + "k" }
        if a >= 100 { return trimmed(x, 0) }
        if a >= 10 { return trimmed(x, 1) }
        if a >= 1 { return trimmed(x, 2) }
        if a >= 0.01 { return trimmed(x, 3) }
        return scientific(x, 1, trim: true)
    }

    /// A value for a readout or a table: 4 significant digits, scientific outside [1e-3, 1e5).
    public static func value(_ x: Double) -> String {
        guard x.isFinite else { return nonFinite(x) }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 { return scientific(x, 2) }
        let digits = a >= 1000 ? 1 : a >= 100 ? 2 : a >= 10 ? 3 : 4
        return fixed(x, digits)
    }

    /// Mantissa with `digits` decimals and a signed two-digit exponent: "3.10e-05" (with `trim`,
    /// trailing zeros of the mantissa dropped: "3.1e-05", "1e-05").
    public static func scientific(_ x: Double, _ digits: Int, trim: Bool = false) -> String {
        guard x.isFinite, x != 0 else { return value(x) }
        var e = 0
        var m = abs(x)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        var ms = trim ? trimmed(m, digits) : fixed(m, digits)
        if ms.hasPrefix("10") { ms = trim ? "1" : fixed(1, digits); e += 1 }  // 9.99e-3 is 1.0e-2, not 10e-3
        let es = String(abs(e))
        return (x < 0 ? "-" : "") + ms + "e" + (e < 0 ? "-" : "+") + (es.count < 2 ? "0" + es : es)
    }

    /// The shortest exact text of a parameter value: "100", "0.125", "1e-05".
    public static func shortest(_ x: Double) -> String {
        guard x.isFinite else { return nonFinite(x) }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }

    /// The shortest exact text of a Float parameter value ("0.1", not "0.10000000149").
    public static func shortest(_ x: Float) -> String {
        guard x.isFinite else { return nonFinite(Double(x)) }
        if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
        return String(x)
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

    private static func nonFinite(_ x: Double) -> String { x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
}
