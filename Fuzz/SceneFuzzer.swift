// libFuzzer entry point for the scene decoder and validator: bytes -> SceneLoader.parse.
// Built by Fuzz/run.sh (not part of the SwiftPM package). Any input must give a spec or a
// one-line SceneError; a trap, a crash or a multi-line error is a finding.
import SynScenes

@_cdecl("LLVMFuzzerTestOneInput")
public func sceneFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let spec = try SceneLoader.parse(bytes: bytes, file: "fuzz.toml")
        _ = CostEstimate.of(spec)
    } catch {
        let line = error.description
        if line.contains("\n") { fatalError("multi-line scene error: \(line)") }
    }
    return 0
}
