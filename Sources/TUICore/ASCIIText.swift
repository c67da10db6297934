/// Turns text meant for Unicode terminals into printable ASCII for `--ascii` and consoles
/// without the glyphs (`TERM=linux`): Greek letters become their names, math symbols their
/// usual ASCII spellings (`ᵀ` -> `^T`, `≤` -> `<=`, `·` -> `*`), anything else unknown `?`.
public enum ASCIIText {
    /// Spellings of the non-ASCII characters the scenes, rules and widgets use.
    public static let table: [Character: String] = [
        "ᵀ": "^T", "²": "^2", "³": "^3", "¹": "^1", "⁻": "^-", "⁰": "^0", "⁴": "^4", "ⁿ": "^n", "₀": "0", "₁": "1",
        "₂": "2", "ᵢ": "_i", "ⱼ": "_j",
        "Δ": "d", "δ": "delta", "η": "eta", "Σ": "sum", "σ": "sigma", "θ": "theta", "α": "alpha", "β": "beta",
        "γ": "gamma", "τ": "tau", "ρ": "rho", "λ": "lambda", "μ": "mu", "ε": "eps", "φ": "phi", "ψ": "psi",
        "ω": "omega", "π": "pi", "κ": "kappa", "ν": "nu", "ξ": "xi", "χ": "chi", "ζ": "zeta", "Λ": "Lambda",
        "Ω": "Omega", "Φ": "Phi", "∂": "d", "∇": "grad", "∑": "sum", "∏": "prod", "√": "sqrt", "∞": "inf",
        "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "∼": "~", "±": "+-", "×": "x", "÷": "/", "·": "*", "⋅": "*",
        "∙": "*", "•": "*", "⊙": "(.)", "⊗": "(x)", "∘": "o", "−": "-", "–": "-", "—": "--", "‖": "||",
        "←": "<-", "→": "->", "↔": "<->", "⇒": "=>", "↑": "^", "↓": "v", "∈": " in ", "…": "...", "°": "deg",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "µ": "u", "⟨": "<", "⟩": ">", "⌊": "floor(", "⌋": ")",
        "‾": "-", "ˆ": "^", "∝": "~", "∆": "d", "ℓ": "l",
        "⟲": "<<",
    ]

    /// `s` in printable ASCII.
    public static func transliterate(_ s: String) -> String {
        guard !s.allSatisfy(\.isASCII) else { return s }
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            if ch.isASCII {
                out.append(ch)
            } else if let t = table[ch] {
                out += t
            } else if let base = ch.unicodeScalars.first, base.isASCII {
                out.append(Character(base))  // a letter with combining marks: keep the letter
            } else {
                out.append("?")
            }
        }
        return out
    }

    /// One ASCII character standing for `ch` (for a single cell): the first of its spelling.
    public static func character(_ ch: Character) -> Character {
        if ch.isASCII { return ch }
        return transliterate(String(ch)).first ?? "?"
    }
}

extension Buffer {
    /// Replaces every non-ASCII symbol left in the buffer by one ASCII character (a last
    /// guarantee for `--ascii`; text should be transliterated before layout).
    public mutating func makeASCII() {
        for y in 0..<height {
            for x in 0..<width {
                var c = self[x, y]
                guard !c.scalar.isASCII else { continue }
                c.symbol = ASCIIText.character(c.symbol)
                set(x: x, y: y, cell: c)
            }
        }
    }
}
