import SynModels
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds scene files. `SCENE` on the command line is a path (contains `/` or ends in `.toml`)
/// or a bare name looked up, in order, in:
/// 1. each directory of `$SYNAPTOP_SCENES` (colon-separated),
/// 2. `./scenes` in the current directory,
/// 3. the `scenes/` of the source checkout the binary was built in (found by walking up from
///    the executable to a directory holding `Package.swift` and `scenes/`),
/// 4. `<prefix>/share/synaptop/scenes` next to an installed `<prefix>/bin/synaptop`.
public enum SceneLocator {
    /// Scenes tried, in order, when `synaptop` starts without a scene.
    public static let defaultCandidates = ["stdp-song2000", "cuba", "mlp-digits", "oja"]

    /// The directories searched for bare scene names, in order (existing ones only).
    public static func searchDirectories() -> [String] {
        var dirs: [String] = []
        if let env = getenv("SYNAPTOP_SCENES") {
            dirs += String(cString: env).split(separator: ":").map(String.init)
        }
        dirs.append("scenes")
        if let exe = executablePath() {
            var dir = parent(exe)
            for _ in 0..<8 {
                if FileIO.isFile(dir + "/Package.swift") && FileIO.isDirectory(dir + "/scenes") {
                    dirs.append(dir + "/scenes")
                    break
                }
                let up = parent(dir)
                if up == dir { break }
                dir = up
            }
            dirs.append(parent(parent(exe)) + "/share/synaptop/scenes")
        }
        var seen = Set<String>()
        return dirs.filter { FileIO.isDirectory($0) && seen.insert($0).inserted }
    }

    /// Resolves a path or bare scene name to a readable file path.
    public static func resolve(_ nameOrPath: String) throws(SceneError) -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            guard FileIO.isFile(nameOrPath) else {
                let what = FileIO.isDirectory(nameOrPath) ? "is a directory, not a scene file"
                    : FileIO.exists(nameOrPath) ? "is not a regular file (a FIFO, device or socket), expected a scene file" : "no such scene file"
                throw SceneError(file: nameOrPath, key: nil, message: what)
            }
            return nameOrPath
        }
        let dirs = searchDirectories()
        for d in dirs where FileIO.isFile("\(d)/\(nameOrPath).toml") { return "\(d)/\(nameOrPath).toml" }
        let known = sceneFiles().map { SceneLoader.baseName($0) }
        var msg = "no scene named \"\(nameOrPath)\""
        if let near = Suggest.closest(to: nameOrPath, in: known) { msg += ", did you mean \"\(near)\"?" }
        msg += dirs.isEmpty ? " (no scenes directory found; set SYNAPTOP_SCENES)" : " (searched \(dirs.joined(separator: ", ")); `synaptop list` shows all)"
        throw SceneError(file: nameOrPath, key: nil, message: msg)
    }

    /// Every `*.toml` scene reachable by name (first directory wins for duplicate names).
    public static func sceneFiles() -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for d in searchDirectories() {
            for f in FileIO.list(d) where f.hasSuffix(".toml") && seen.insert(f).inserted {
                out.append("\(d)/\(f)")
            }
        }
        return out.sorted { SceneLoader.baseName($0) < SceneLoader.baseName($1) }
    }

    /// The scene opened when none is given: the first of `defaultCandidates` that exists.
    public static func defaultScene() -> String? {
        let names = Set(sceneFiles().map { SceneLoader.baseName($0) })
        return defaultCandidates.first { names.contains($0) }
    }

    static func executablePath() -> String? {
        #if os(Linux)
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        return CommandLine.arguments.first.flatMap { $0.contains("/") ? $0 : nil }
    }

    static func parent(_ path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        return i == path.startIndex ? "/" : String(path[..<i])
    }
}
