import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU the benchmarks run on and the one the binary was built for, printed by
/// `synaptop bench kernels`: the host's model and its vector features (from /proc/cpuinfo),
/// and the build's target (portable, the default x86-64-v3 floor, or the building machine's
/// CPU with `SYNAPTOP_NATIVE=1`).
public enum CPUFeatures {
    /// Vector features worth knowing for SGEMM, in order of width.
    public static let interesting = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
                                     "avx512_bf16", "amx_tile", "asimd", "sve"]

    /// (model name, flags) of the first CPU in /proc/cpuinfo; nil where it cannot be read.
    public static func host() -> (model: String, flags: Set<String>)? {
        guard let f = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(f) }
        var model = "", flags = Set<String>()
        var line: UnsafeMutablePointer<CChar>?
        var cap = 0
        defer { free(line) }
        while getline(&line, &cap, f) > 0, let l = line {
            let s = String(cString: l)
            guard let colon = s.firstIndex(of: ":") else { continue }
            let key = s[..<colon].trimmingCharacters(in: " \t")
            let value = s[s.index(after: colon)...].trimmingCharacters(in: " \t\n")
            if model.isEmpty && (key == "model name" || key == "Model") { model = value }
            if flags.isEmpty && (key == "flags" || key == "Features") { flags = Set(value.split(separator: " ").map(String.init)) }
            if !model.isEmpty && !flags.isEmpty { break }
        }
        return (model, flags)
    }

    /// What the compiler was told to target.
    public static var buildTarget: String {
        #if SYNAPTOP_NATIVE
        return "native (this build targets the CPU it was built on: SYNAPTOP_NATIVE=1)"
        #elseif SYNAPTOP_FMA
        return "x86-64-v3 floor (haswell: AVX2 + FMA, SIMD8<Float> in one ymm register; the default)"
        #else
        return "portable (no CPU floor: SYNAPTOP_PORTABLE=1, or not x86-64)"
        #endif
    }

    /// Two lines for the top of the kernels table.
    public static var summary: String {
        guard let h = host() else { return "cpu: unknown (no /proc/cpuinfo)\nbuild: \(buildTarget)" }
        let present = interesting.filter { h.flags.contains($0) }
        let absent = ["avx512f"].filter { !h.flags.contains($0) && h.flags.contains("avx2") }
        return "cpu: \(h.model), \(ParallelDefaults.cores) cores; features: \(present.joined(separator: " "))"
            + (absent.isEmpty ? "" : " (no \(absent.joined(separator: ", ")))") + "\nbuild: \(buildTarget)"
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
