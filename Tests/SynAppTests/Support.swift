import SynScenes

/// The package root, found from this file's path (tests never depend on the working directory).
let packageRoot: String = {
    let path = #filePath
    guard let r = path.range(of: "/Tests/SynAppTests/") else { return "." }
    return String(path[..<r.lowerBound])
}()

/// Loads `scenes/<name>.toml` from the package with optional overrides.
func loadScene(_ name: String, overrides: [String] = []) throws -> SceneSpec {
    try SceneLoader.load(path: "\(packageRoot)/scenes/\(name).toml", overrides: overrides)
}

/// Bit-exact equality of two series (NaN equals NaN with the same payload).
func bitEqual(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
